/** "Mark responded" on the card: when the response was given, what was done, and the evidence, before it is recorded. */
import type { View } from '@slack/types';
import type { IncidentClock } from '../domain/clocks.js';
import { escapeMrkdwn, slackDate } from '../slack-api/mrkdwn.js';
import { fitText, plainText } from './kit.js';
import { SLACK_LIMITS } from './slack-limits.js';

export const CLOCK_RESPOND_CALLBACK_ID = 'clock_respond';

/** Block ids double as field names, so inline errors land on the right input. */
export const CLOCK_RESPOND_BLOCKS = { at: 'responded_at', what: 'what', evidence: 'evidence' } as const;
export const CLOCK_RESPOND_ACTION_ID = 'value';

/** What the note may hold (the card shows it). */
export const RESPONSE_NOTE_MAX = 500;

export function clockRespondModal(clock: Pick<IncidentClock, 'id' | 'name' | 'source' | 'dueAt'>, now: Date): View {
  const source = clock.source ? ` · _${escapeMrkdwn(clock.source)}_` : '';
  return {
    type: 'modal',
    callback_id: CLOCK_RESPOND_CALLBACK_ID,
    private_metadata: JSON.stringify({ clockId: clock.id }),
    title: plainText('Record the response', 24),
    submit: plainText('Record', 24),
    close: plainText('Cancel', 24),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: fitText(
            `*${escapeMrkdwn(clock.name)}*${source}\nDue ${slackDate(clock.dueAt, '{date_short_pretty} at {time}')}`,
            SLACK_LIMITS.sectionText,
          ),
        },
      },
      {
        type: 'input',
        block_id: CLOCK_RESPOND_BLOCKS.at,
        label: plainText('When it was done'),
        hint: plainText('The time of the removal or answer, as the authority will ask; not the time of this form.'),
        element: { type: 'datetimepicker', action_id: CLOCK_RESPOND_ACTION_ID, initial_date_time: Math.floor(now.getTime() / 1000) },
      },
      {
        type: 'input',
        block_id: CLOCK_RESPOND_BLOCKS.what,
        label: plainText('What was done'),
        element: {
          type: 'plain_text_input',
          action_id: CLOCK_RESPOND_ACTION_ID,
          multiline: true,
          max_length: RESPONSE_NOTE_MAX,
          placeholder: plainText('Content removed in all EU member states; reply sent to the authority'),
        },
      },
      {
        type: 'input',
        block_id: CLOCK_RESPOND_BLOCKS.evidence,
        optional: true,
        label: plainText('Evidence link'),
        element: { type: 'url_text_input', action_id: CLOCK_RESPOND_ACTION_ID },
      },
    ],
  };
}
