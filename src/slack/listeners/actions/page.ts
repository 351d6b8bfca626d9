import type { App, BlockButtonAction } from '@slack/bolt';
import { INCIDENT_ACK_ACTION } from '../../../blocks/incident-messages.js';
import { PAGE_ACK_ACTION, PAGE_ESCALATE_ACTION } from '../../../blocks/page-messages.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { rowIdFromSlack } from '../../inputs/slack-ids.js';
import { errorText, responseUrlOf } from '../../reply.js';

/** Buttons on page DMs and on the incident card. Ack first: the work may wait on a step in flight. */
export function registerPageActions(app: App, deps: SlackEdgeDeps): void {
  const handle = (actionId: string, run: (userId: string, value: string) => Promise<string>, opts: { quietInDm?: boolean } = {}) =>
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action }) => {
      await ack();
      const userId = body.user.id;
      const channelId = body.channel?.id;
      let text: string;
      let failed = false;
      try {
        text = await run(userId, rowIdFromSlack(action.value));
      } catch (err) {
        failed = true;
        text = errorText(err, deps.logger, { action: actionId, userId });
      }
      // Acknowledged from the page DM itself: the DM now says so; a second message would be noise.
      const quiet = opts.quietInDm && !failed && channelId?.startsWith('D');
      if (!quiet) await deps.services.tellUser(channelId, userId, text, responseUrlOf(body));
      // Clicked in App Home: show the page gone without waiting for the tab to be reopened.
      if (body.view?.type === 'home') await deps.services.home.publish({ userId, teamId: body.team?.id ?? '' }).catch(() => {});
    });
  handle(PAGE_ACK_ACTION, (userId, pageId) => deps.services.pages.acknowledge({ userId, pageId }), { quietInDm: true });
  handle(PAGE_ESCALATE_ACTION, (userId, pageId) => deps.services.pages.escalateNow({ userId, pageId }));
  handle(INCIDENT_ACK_ACTION, (userId, incidentId) => deps.services.pages.acknowledge({ userId, incidentId }));
}
