import type { App, BlockButtonAction } from '@slack/bolt';
import { ONCALL_ME_OPEN_ACTION } from '../../../blocks/paging-preferences.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { errorText, responseUrlOf } from '../../reply.js';

/** App Home's "Change" under "Where pages reach me": the same modal as `/oncall me`. */
export function registerOncallMeActions(app: App, deps: SlackEdgeDeps): void {
  app.action<BlockButtonAction>(ONCALL_ME_OPEN_ACTION, async ({ ack, body }) => {
    await ack();
    const userId = body.user.id;
    try {
      if (!deps.services.paging) throw new Error('paging services are not running');
      await deps.services.openModal(body.trigger_id, await deps.services.paging.myPagingModal(userId));
    } catch (err) {
      await deps.services.tellUser(
        body.channel?.id,
        userId,
        errorText(err, deps.logger, { action: ONCALL_ME_OPEN_ACTION, userId }),
        responseUrlOf(body),
      );
    }
  });
}
