import type { App, BlockButtonAction } from '@slack/bolt';
import { CARD_ORDER_ACTION, CARD_ORDER_EDIT_ACTION } from '../../../blocks/incident-messages.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { rowIdFromSlack } from '../../inputs/slack-ids.js';
import { errorText, responseUrlOf } from '../../reply.js';

/** The card's "Record order": opens the order modal (ack first, the trigger id lives 3 s). */
export function registerOrderActions(app: App, deps: SlackEdgeDeps): void {
  app.action<BlockButtonAction>(CARD_ORDER_ACTION, async ({ ack, body, action }) => {
    await ack();
    const userId = body.user.id;
    try {
      const view = await deps.services.regulatory.orderForm({ userId, where: { incidentId: rowIdFromSlack(action.value) } });
      await deps.services.openModal(body.trigger_id, view);
    } catch (err) {
      await deps.services.tellUser(
        body.channel?.id,
        userId,
        errorText(err, deps.logger, { action: CARD_ORDER_ACTION, userId }),
        responseUrlOf(body),
      );
    }
  });
  // "Edit order" beside an order on the card: the same modal, filled in.
  app.action<BlockButtonAction>(CARD_ORDER_EDIT_ACTION, async ({ ack, body, action }) => {
    await ack();
    const userId = body.user.id;
    try {
      const view = await deps.services.regulatory.orderEditForm({ userId, orderId: rowIdFromSlack(action.value) });
      await deps.services.openModal(body.trigger_id, view);
    } catch (err) {
      await deps.services.tellUser(
        body.channel?.id,
        userId,
        errorText(err, deps.logger, { action: CARD_ORDER_EDIT_ACTION, userId }),
        responseUrlOf(body),
      );
    }
  });
}
