import type { View } from '@slack/types';
import { SUMMARY_MAX, TITLE_MAX } from '../domain/declaration.js';
import { truncate } from '../domain/text.js';
import { severityOptions, type Catalog } from './catalog.js';
import { plainText } from './kit.js';
import { SLACK_LIMITS } from './slack-limits.js';

export const DECLARE_CALLBACK_ID = 'declare_incident';

/** Block ids double as field names, so inline errors land on the right input. */
export const DECLARE_BLOCKS = {
  title: 'title',
  severity: 'severity',
  category: 'category',
  summary: 'summary',
  private: 'private',
  respondBy: 'respond_by',
  received: 'received',
} as const;

export const DECLARE_ACTION_ID = 'value';

/** Round-tripped through Slack in private_metadata. */
export interface DeclareModalMetadata {
  originChannelId?: string;
  /** Declared from a report of the triage queue. */
  reportId?: string;
  /** Declared from a message (the message shortcut): linked in the incident's channel and timeline. */
  sourceMessage?: { channelId: string; ts: string };
}

/** The declare modal: title prefilled from `/incident declare <title>`. */
export function declareModal(
  catalog: Catalog,
  prefill: {
    title?: string;
    summary?: string;
    severity?: string;
    category?: string;
    respondBy?: Date;
    receivedAt?: Date;
    metadata?: DeclareModalMetadata;
  },
): View {
  const options = severityOptions(catalog);
  const initialSeverity = options.find((o) => o.value === prefill.severity);
  const categoryOptions = catalog.categories.map((c) => ({
    text: plainText(`${c.name} (${c.defaultSeverity.toUpperCase()}${c.private ? ', private' : ''})`, SLACK_LIMITS.optionText),
    value: c.id,
  }));
  const initialCategory = categoryOptions.find((o) => o.value === prefill.category);
  return {
    type: 'modal',
    callback_id: DECLARE_CALLBACK_ID,
    // Ids only: far below Slack's 3,000 characters.
    private_metadata: JSON.stringify(prefill.metadata ?? {}),
    title: { type: 'plain_text', text: 'Declare an incident' },
    submit: { type: 'plain_text', text: 'Declare' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: DECLARE_BLOCKS.title,
        label: { type: 'plain_text', text: 'Title' },
        element: {
          type: 'plain_text_input',
          action_id: DECLARE_ACTION_ID,
          max_length: TITLE_MAX,
          placeholder: { type: 'plain_text', text: 'What is happening, in a few words' },
          ...(prefill.title ? { initial_value: truncate(prefill.title, TITLE_MAX) } : {}),
        },
      },
      {
        type: 'input',
        block_id: DECLARE_BLOCKS.severity,
        optional: true,
        label: { type: 'plain_text', text: 'Severity' },
        hint: { type: 'plain_text', text: "Left empty, the category's usual severity applies (shown next to each category)." },
        element: {
          type: 'radio_buttons',
          action_id: DECLARE_ACTION_ID,
          options,
          ...(initialSeverity ? { initial_option: initialSeverity } : {}),
        },
      },
      {
        type: 'input',
        block_id: DECLARE_BLOCKS.category,
        label: { type: 'plain_text', text: 'Category' },
        element: {
          type: 'static_select',
          action_id: DECLARE_ACTION_ID,
          placeholder: { type: 'plain_text', text: 'Choose a category' },
          options: categoryOptions,
          ...(initialCategory ? { initial_option: initialCategory } : {}),
        },
      },
      {
        type: 'input',
        block_id: DECLARE_BLOCKS.summary,
        optional: true,
        label: { type: 'plain_text', text: 'Summary' },
        element: {
          type: 'plain_text_input',
          action_id: DECLARE_ACTION_ID,
          multiline: true,
          max_length: SUMMARY_MAX,
          placeholder: { type: 'plain_text', text: 'What we know so far, impact, links' },
          ...(prefill.summary ? { initial_value: truncate(prefill.summary, SUMMARY_MAX) } : {}),
        },
      },
      {
        type: 'input',
        block_id: DECLARE_BLOCKS.received,
        optional: true,
        label: { type: 'plain_text', text: 'Order received' },
        hint: {
          type: 'plain_text',
          text: "When the order or request reached you: the category's legal clock runs from receipt. Left empty, from now.",
        },
        element: {
          type: 'datetimepicker',
          action_id: DECLARE_ACTION_ID,
          ...(prefill.receivedAt ? { initial_date_time: Math.floor(prefill.receivedAt.getTime() / 1000) } : {}),
        },
      },
      {
        type: 'input',
        block_id: DECLARE_BLOCKS.respondBy,
        optional: true,
        label: { type: 'plain_text', text: 'Respond by' },
        hint: {
          type: 'plain_text',
          text: "A deadline you were given (an order, a partner's SLA). Left empty, the category's clock applies, if it has one.",
        },
        element: {
          type: 'datetimepicker',
          action_id: DECLARE_ACTION_ID,
          ...(prefill.respondBy ? { initial_date_time: Math.floor(prefill.respondBy.getTime() / 1000) } : {}),
        },
      },
      {
        type: 'input',
        block_id: DECLARE_BLOCKS.private,
        optional: true,
        label: { type: 'plain_text', text: 'Visibility' },
        element: {
          type: 'checkboxes',
          action_id: DECLARE_ACTION_ID,
          options: [
            {
              text: { type: 'plain_text', text: 'Private incident' },
              description: { type: 'plain_text', text: 'Private channel, not announced or listed to others' },
              value: 'private',
            },
          ],
        },
      },
    ],
  };
}
