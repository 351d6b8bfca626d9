import type { App, BlockButtonAction } from '@slack/bolt';
import { REDACT_CALLBACK_ID, REDACT_REASON_BLOCK, redactModal } from '../../../blocks/redact-modal.js';
import { REDACT_ENTRY_ACTION } from '../../../blocks/timeline-message.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { rowIdFromSlack } from '../../inputs/slack-ids.js';
import { answerViewSubmission, errorText, responseUrlOf } from '../../reply.js';

/** The timeline's Redact button opens the modal; its submission redacts the entry (issue 24). */
export function registerRedactView(app: App, deps: SlackEdgeDeps): void {
  app.action<BlockButtonAction>(REDACT_ENTRY_ACTION, async ({ ack, body, action }) => {
    await ack();
    try {
      await deps.services.openModal(body.trigger_id, redactModal(rowIdFromSlack(action.value)));
    } catch (err) {
      const text = errorText(err, deps.logger, { action: REDACT_ENTRY_ACTION, userId: body.user.id });
      await deps.services.tellUser(body.channel?.id, body.user.id, text, responseUrlOf(body));
    }
  });
  app.view(REDACT_CALLBACK_ID, async ({ ack, body }) => {
    const userId = body.user.id;
    const where = {
      logger: deps.logger,
      context: { view: REDACT_CALLBACK_ID, userId },
      fallbackBlock: REDACT_REASON_BLOCK,
      plainText: deps.services.plainText,
    };
    try {
      const reason = body.view.state.values[REDACT_REASON_BLOCK]?.[REDACT_REASON_BLOCK]?.value ?? '';
      const entryId = rowIdFromSlack(entryIdOf(body.view.private_metadata));
      await deps.services.retention.redact({ userId, entryId, reason });
      await ack();
    } catch (err) {
      await answerViewSubmission(ack, err, where);
    }
  });
}

function entryIdOf(raw: string | undefined): string {
  try {
    const parsed: unknown = JSON.parse(raw || '{}');
    const id = typeof parsed === 'object' && parsed !== null ? (parsed as { entryId?: unknown }).entryId : undefined;
    return typeof id === 'string' ? id : '';
  } catch {
    return '';
  }
}
