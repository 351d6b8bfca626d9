import type { App, BlockButtonAction } from '@slack/bolt';
import { REDACT_CALLBACK_ID, REDACT_REASON_BLOCK, redactModal } from '../../../blocks/redact-modal.js';
import { REDACT_ENTRY_ACTION } from '../../../blocks/timeline-message.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { targetFromSlack } from '../../inputs/slack-ids.js';
import { answerViewSubmission, errorText, responseUrlOf } from '../../reply.js';

/** The timeline's Redact button opens the modal; its submission redacts the entry (issue 24). */
export function registerRedactView(app: App, deps: SlackEdgeDeps): void {
  app.action<BlockButtonAction>(REDACT_ENTRY_ACTION, async ({ ack, body, action }) => {
    await ack();
    try {
      await deps.services.openModal(body.trigger_id, redactModal(targetFromSlack(action.value)));
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
      const target = targetFromSlack(targetOf(body.view.private_metadata));
      await deps.services.retention.redact({ userId, target, reason });
      await ack();
    } catch (err) {
      await answerViewSubmission(ack, err, where);
    }
  });
}

/** The modal's target: `{ target }`, or `{ entryId }` from a modal opened before other targets existed. */
function targetOf(raw: string | undefined): string {
  try {
    const parsed: unknown = JSON.parse(raw || '{}');
    if (typeof parsed !== 'object' || parsed === null) return '';
    const { target, entryId } = parsed as { target?: unknown; entryId?: unknown };
    return typeof target === 'string' ? target : typeof entryId === 'string' ? entryId : '';
  } catch {
    return '';
  }
}
