import type { App, BlockButtonAction } from '@slack/bolt';
import { CARD_ACTIONS } from '../../../blocks/incident-messages.js';
import type { IncidentModal } from '../../../services/incident/index.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { rowIdFromSlack } from '../../inputs/slack-ids.js';
import { errorText, responseUrlOf } from '../../reply.js';

/** Card (and reminder) buttons open the incident's modals; ack first, the trigger id lives 3 s. */
export function registerCardActions(app: App, deps: SlackEdgeDeps): void {
  for (const [modal, actionId] of Object.entries(CARD_ACTIONS) as Array<[IncidentModal, string]>) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action }) => {
      await ack();
      const userId = body.user.id;
      try {
        const view = await deps.services.incidents.modal({ userId, modal, where: { incidentId: rowIdFromSlack(action.value) } });
        await deps.services.openModal(body.trigger_id, view);
      } catch (err) {
        await deps.services.tellUser(
          body.channel?.id,
          userId,
          errorText(err, deps.logger, { action: actionId, userId }),
          responseUrlOf(body),
        );
      }
    });
  }
}
