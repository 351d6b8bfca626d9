/** The small forms of triage: merge a report into an open incident, dismiss it with a reason. */
import type { View } from '@slack/types';
import type { Incident } from '../domain/incident.js';
import { plainText } from './kit.js';
import { SLACK_LIMITS } from './slack-limits.js';

export const TRIAGE_MERGE_CALLBACK_ID = 'triage_merge';
export const TRIAGE_DISMISS_CALLBACK_ID = 'triage_dismiss';
/** Block ids double as field names for inline errors. */
export const TRIAGE_BLOCKS = { incident: 'incident', reason: 'reason' } as const;
export const TRIAGE_ACTION_ID = 'value';
export const DISMISS_REASON_MAX = 500;

/** Round-tripped in private_metadata: only the report id. */
export interface TriageModalMetadata {
  reportId: string;
}

/** Merge: choose one of the open incidents the person may see. */
export function mergeModal(reportId: string, open: readonly Incident[]): View {
  const options = open.slice(0, 100).map((i) => ({
    text: plainText(`INC-${i.number} ${i.title}`, SLACK_LIMITS.optionText),
    value: i.id,
  }));
  return {
    type: 'modal',
    callback_id: TRIAGE_MERGE_CALLBACK_ID,
    private_metadata: JSON.stringify({ reportId } satisfies TriageModalMetadata),
    title: { type: 'plain_text', text: 'Merge the report' },
    ...(options.length ? { submit: { type: 'plain_text', text: 'Merge' } } : {}),
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: options.length
      ? [
          {
            type: 'input',
            block_id: TRIAGE_BLOCKS.incident,
            label: { type: 'plain_text', text: 'Incident' },
            element: {
              type: 'static_select',
              action_id: TRIAGE_ACTION_ID,
              placeholder: { type: 'plain_text', text: 'Choose an open incident' },
              options,
            },
          },
        ]
      : [{ type: 'section', text: { type: 'mrkdwn', text: 'There is no open incident you can merge this report into.' } }],
  };
}

/** Dismiss: the reason is required, and shown on the triage post. */
export function dismissModal(reportId: string): View {
  return {
    type: 'modal',
    callback_id: TRIAGE_DISMISS_CALLBACK_ID,
    private_metadata: JSON.stringify({ reportId } satisfies TriageModalMetadata),
    title: { type: 'plain_text', text: 'Dismiss the report' },
    submit: { type: 'plain_text', text: 'Dismiss' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: TRIAGE_BLOCKS.reason,
        label: { type: 'plain_text', text: 'Reason' },
        element: {
          type: 'plain_text_input',
          action_id: TRIAGE_ACTION_ID,
          multiline: true,
          max_length: DISMISS_REASON_MAX,
          placeholder: { type: 'plain_text', text: 'Why this needs no incident (duplicate, out of scope, spam, ...)' },
        },
      },
    ],
  };
}
