/** The Redact modal (issue 24): why one timeline entry, incident text or report body is redacted. */
import type { View } from '@slack/types';
import { type RedactTarget, redactTargetValue } from '../domain/retention.js';

export const REDACT_CALLBACK_ID = 'redact_entry';
/** The reason's input block and action ids (inline errors name the block). */
export const REDACT_REASON_BLOCK = 'reason';

export function redactModal(target: RedactTarget): View {
  return {
    type: 'modal',
    callback_id: REDACT_CALLBACK_ID,
    private_metadata: JSON.stringify({ target: redactTargetValue(target) }),
    title: { type: 'plain_text', text: 'Redact in Meridian' },
    submit: { type: 'plain_text', text: 'Redact' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'The text is replaced everywhere Meridian keeps or shows it (timeline, card, review, exports). It cannot be brought back.',
        },
      },
      {
        type: 'input',
        block_id: REDACT_REASON_BLOCK,
        label: { type: 'plain_text', text: 'Reason' },
        element: { type: 'plain_text_input', action_id: REDACT_REASON_BLOCK, max_length: 300 },
      },
    ],
  };
}
