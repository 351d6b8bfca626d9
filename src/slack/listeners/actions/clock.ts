import type { App, BlockButtonAction } from '@slack/bolt';
import { CLOCK_MISS_ACK_ACTION, CLOCK_RESPONDED_ACTION } from '../../../blocks/clock-messages.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { rowIdFromSlack } from '../../inputs/slack-ids.js';
import { errorText, responseUrlOf } from '../../reply.js';

/** The card's "Mark responded" (a modal) and a missed deadline's "Acknowledge": ack, record, tell the clicker. */
export function registerClockActions(app: App, deps: SlackEdgeDeps): void {
  // Opens the modal (when it was done, what, evidence); nothing is recorded by the click itself.
  app.action<BlockButtonAction>(CLOCK_RESPONDED_ACTION, async ({ ack, body, action }) => {
    await ack();
    const userId = body.user.id;
    try {
      const view = await deps.services.clocks.respondForm({ userId, clockId: rowIdFromSlack(action.value) });
      await deps.services.openModal(body.trigger_id, view);
    } catch (err) {
      const text = errorText(err, deps.logger, { action: CLOCK_RESPONDED_ACTION, userId });
      await deps.services.tellUser(body.channel?.id, userId, text, responseUrlOf(body));
    }
  });
  app.action<BlockButtonAction>(CLOCK_MISS_ACK_ACTION, async ({ ack, body, action }) => {
    await ack();
    const userId = body.user.id;
    // The DM to update is the one recorded when it was sent, never the payload's channel and ts.
    const text = await deps.services.clocks
      .acknowledgeMiss({ userId, clockId: rowIdFromSlack(action.value) })
      .catch((err: unknown) => errorText(err, deps.logger, { action: CLOCK_MISS_ACK_ACTION, userId }));
    await deps.services.tellUser(body.channel?.id, userId, text, responseUrlOf(body));
  });
}
