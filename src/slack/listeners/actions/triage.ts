import type { App, BlockButtonAction } from '@slack/bolt';
import { TRIAGE_ACTIONS } from '../../../blocks/triage.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { errorText, responseUrlOf } from '../../reply.js';

/** Declare, Merge and Dismiss on a triage post open their forms; ack first, the trigger id lives 3 s. */
export function registerTriageActions(app: App, deps: SlackEdgeDeps): void {
  const { intake } = deps.services;
  const forms = {
    [TRIAGE_ACTIONS.declare]: (userId: string, reportId: string, _teamId: string, channelId?: string) =>
      intake.declareForm({ userId, reportId, ...(channelId ? { channelId } : {}) }),
    [TRIAGE_ACTIONS.merge]: (userId: string, reportId: string, teamId: string) => intake.mergeForm({ userId, teamId, reportId }),
    [TRIAGE_ACTIONS.dismiss]: (userId: string, reportId: string) => intake.dismissForm({ userId, reportId }),
  };
  for (const [actionId, form] of Object.entries(forms)) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action }) => {
      await ack();
      const userId = body.user.id;
      const channelId = body.channel?.id;
      try {
        const view = await form(userId, action.value ?? '', body.team?.id ?? body.user.team_id ?? 'unknown', channelId);
        await deps.services.openModal(body.trigger_id, view);
      } catch (err) {
        await deps.services.tellUser(channelId, userId, errorText(err, deps.logger, { action: actionId, userId }), responseUrlOf(body));
      }
    });
  }
}
