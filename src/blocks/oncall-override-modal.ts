/** The override modal: who covers which schedule, from when to when, and why. */
import type { View } from '@slack/types';
import { plainText } from './kit.js';
import { SLACK_LIMITS } from './slack-limits.js';

/** Slack shows at most 100 options in a static select. */
const MAX_OPTIONS = 100;

export const ONCALL_OVERRIDE_CALLBACK_ID = 'oncall_override';

/** Block ids double as field names, so inline errors land on the right input. */
export const OVERRIDE_BLOCKS = {
  schedule: 'schedule',
  user: 'user',
  from: 'from',
  to: 'to',
  reason: 'reason',
} as const;

export const OVERRIDE_ACTION_ID = 'value';
export const OVERRIDE_REASON_MAX = 300;

/**
 * The modal. `from` starts at the next whole hour after `now` and `to` eight hours later;
 * Slack's datetimepicker shows both in the reader's own zone and returns epoch seconds.
 */
export function overrideModal(input: { schedules: ReadonlyArray<{ id: string; name: string }>; userId: string; now: Date }): View {
  const options = input.schedules.slice(0, MAX_OPTIONS).map((s) => ({ text: plainText(s.name, SLACK_LIMITS.optionText), value: s.id }));
  const nextHour = Math.ceil(input.now.getTime() / 3_600_000) * 3600;
  const only = options.length === 1 ? options[0] : undefined;
  return {
    type: 'modal',
    callback_id: ONCALL_OVERRIDE_CALLBACK_ID,
    title: { type: 'plain_text', text: 'On-call override' },
    submit: { type: 'plain_text', text: 'Save override' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: OVERRIDE_BLOCKS.schedule,
        label: { type: 'plain_text', text: 'Schedule' },
        element: {
          type: 'static_select',
          action_id: OVERRIDE_ACTION_ID,
          placeholder: { type: 'plain_text', text: 'Choose a schedule' },
          options,
          ...(only ? { initial_option: only } : {}),
        },
      },
      {
        type: 'input',
        block_id: OVERRIDE_BLOCKS.user,
        label: { type: 'plain_text', text: 'Who covers' },
        element: { type: 'users_select', action_id: OVERRIDE_ACTION_ID, initial_user: input.userId },
      },
      {
        type: 'input',
        block_id: OVERRIDE_BLOCKS.from,
        label: { type: 'plain_text', text: 'From' },
        element: { type: 'datetimepicker', action_id: OVERRIDE_ACTION_ID, initial_date_time: nextHour },
      },
      {
        type: 'input',
        block_id: OVERRIDE_BLOCKS.to,
        label: { type: 'plain_text', text: 'To' },
        element: { type: 'datetimepicker', action_id: OVERRIDE_ACTION_ID, initial_date_time: nextHour + 8 * 3600 },
      },
      {
        type: 'input',
        block_id: OVERRIDE_BLOCKS.reason,
        optional: true,
        label: { type: 'plain_text', text: 'Reason' },
        element: {
          type: 'plain_text_input',
          action_id: OVERRIDE_ACTION_ID,
          max_length: OVERRIDE_REASON_MAX,
          placeholder: { type: 'plain_text', text: 'Leave, a swap, a public holiday…' },
        },
      },
    ],
  };
}
