import type { App } from '@slack/bolt';
import { CLOCK_RESPOND_BLOCKS, CLOCK_RESPOND_CALLBACK_ID } from '../../../blocks/clock-respond-modal.js';
import { InvalidInput } from '../../../errors.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { readClockResponseForm } from '../../inputs/clock-respond-view.js';
import { rowIdFromSlack } from '../../inputs/slack-ids.js';
import { cleanViewText } from '../../inputs/user-text.js';
import { answerViewSubmission } from '../../reply.js';

/** The "Mark responded" modal: records the response at the time given, with what was done and the evidence. */
export function registerClockRespondView(app: App, deps: SlackEdgeDeps): void {
  app.view(CLOCK_RESPOND_CALLBACK_ID, async ({ ack, body }) => {
    const userId = body.user.id;
    const where = {
      logger: deps.logger,
      context: { view: CLOCK_RESPOND_CALLBACK_ID, userId },
      fallbackBlock: CLOCK_RESPOND_BLOCKS.what,
      plainText: deps.services.plainText,
    };
    try {
      const text = cleanViewText(body.view.state.values);
      if (Object.keys(text.refused).length) throw new InvalidInput(text.refused);
      const read = readClockResponseForm(text.values, deps.clock());
      if (!read.ok) throw new InvalidInput(read.errors);
      const clockId = rowIdFromSlack(metadataClockId(body.view.private_metadata));
      // The channel hears of it ("Responded … by @x"), and the card shows it: no second, private confirmation.
      await deps.services.clocks.responded({ userId, clockId, ...read.form });
      await ack();
    } catch (err) {
      await answerViewSubmission(ack, err, where);
    }
  });
}

function metadataClockId(raw: string | undefined): string {
  try {
    const parsed: unknown = JSON.parse(raw || '{}');
    const id = typeof parsed === 'object' && parsed !== null ? (parsed as { clockId?: unknown }).clockId : undefined;
    return typeof id === 'string' ? id : '';
  } catch {
    return '';
  }
}
