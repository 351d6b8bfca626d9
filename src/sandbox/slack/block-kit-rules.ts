/**
 * Slack's Block Kit rules as DATA: which blocks and elements exist, where each may sit, which
 * fields each takes (anything else is an unknown key), which are required, plain_text-only,
 * non-empty, how long and how many. `block-kit-limits.ts` walks a message or view with them.
 *
 * Sources (read, not copied; numbers and field sets transcribed by hand):
 * - slackapi/python-slack-sdk at commit ae87985e2c3811ead978f31ea5a1e4a7ca5c3515:
 *   slack_sdk/models/blocks/blocks.py (each Block class's `attributes`, `*_max_length`,
 *   `@JsonValidator` rules), slack_sdk/models/blocks/block_elements.py (elements, ButtonStyles
 *   `@EnumValidator`, options/overflow counts), slack_sdk/models/blocks/basic_components.py
 *   (text, option, option group and confirm objects), slack_sdk/models/views/__init__.py (view
 *   fields, title/submit/close 24 characters, "home views cannot have submit/close").
 * - The Block Kit reference, https://docs.slack.dev/reference/block-kit/ (blocks: "available in
 *   surfaces"; elements: "works with block types"; which text fields are `plain_text` only; a
 *   modal's `submit` is "required if an input block is within the blocks array"; checkboxes and
 *   radio buttons take at most 10 options; option `value` 150 characters).
 * - Error wording from Slack's answers: `must be less than N characters`, `no more than N items
 *   allowed`, `unsupported type: x` (blocks.validate reference), each with `[json-pointer:…]`.
 */

export type Surface = 'message' | 'modal' | 'home';

/** What one field of a block, element or composition object must be. */
export type FieldRule = { required?: true } & (
  | { kind: 'string'; max?: number; min?: number }
  | { kind: 'url'; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'number' }
  /** A text object (`{ type, text }`): `plainOnly` refuses mrkdwn; `min` 1 refuses empty text. */
  | { kind: 'text'; plainOnly: boolean; max: number; min?: number }
  /** An array of text objects (section `fields`). */
  | { kind: 'texts'; plainOnly: boolean; itemMax: number; minItems: number; maxItems: number }
  /** One element of these types (section `accessory`, input `element`). */
  | { kind: 'element'; allowed: readonly string[] }
  /** An array of elements of these types (actions, context). */
  | { kind: 'elements'; allowed: readonly string[]; minItems: number; maxItems: number }
  /** Option objects; `plainOnly` when the element shows option text as plain text only. */
  | { kind: 'options'; plainOnly: boolean; minItems: number; maxItems: number; withUrl?: true }
  | { kind: 'option'; plainOnly: boolean }
  | { kind: 'optionGroups'; plainOnly: boolean; maxItems: number }
  | { kind: 'confirm' }
  /** A list whose items this table does not describe (rich text, table rows, user ids, ...). */
  | { kind: 'array' }
  /** An object whose keys this table does not describe (a filter, a dispatch config, ...). */
  | { kind: 'object' }
);

export interface ObjectRule {
  fields: Readonly<Record<string, FieldRule>>;
  /** At least one of these fields must be there (a section's `text` or `fields`). */
  anyOf?: readonly string[];
}

export interface BlockRule extends ObjectRule {
  surfaces: readonly Surface[];
}

/** Every count and length the rules use, by name (the fake's tests and docs quote them). */
export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  blockId: 255,
  actionId: 255,
  url: 3_000,
  sectionText: 3_000,
  sectionFields: 10,
  sectionFieldText: 2_000,
  headerText: 150,
  markdownText: 12_000,
  contextElements: 10,
  contextText: 3_000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2_000,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  optionGroupLabel: 75,
  selectOptions: 100,
  choiceOptions: 10,
  overflowOptions: 5,
  inputLabel: 2_000,
  inputHint: 2_000,
  placeholder: 150,
  imageAltText: 2_000,
  imageTitle: 2_000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  viewTitle: 24,
  viewSubmit: 24,
  viewClose: 24,
  privateMetadata: 3_000,
  callbackId: 255,
  externalId: 255,
} as const;

const L = BLOCK_KIT_LIMITS;
const ALL: readonly Surface[] = ['message', 'modal', 'home'];

/** Button and confirm styles (python-slack-sdk `ButtonStyles`). */
export const BUTTON_STYLES = ['primary', 'danger'] as const;

const SELECTS = ['static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select'] as const;
const MULTI_SELECTS = SELECTS.map((s) => `multi_${s}`);

/** Element types by the block field they may fill (Block Kit reference, "works with block types"). */
export const ELEMENTS_IN = {
  sectionAccessory: [
    'button',
    'checkboxes',
    'datepicker',
    'image',
    ...SELECTS,
    ...MULTI_SELECTS,
    'overflow',
    'radio_buttons',
    'timepicker',
    'workflow_button',
  ],
  actions: [
    'button',
    'checkboxes',
    'datepicker',
    'datetimepicker',
    ...SELECTS,
    ...MULTI_SELECTS,
    'overflow',
    'radio_buttons',
    'timepicker',
    'workflow_button',
  ],
  context: ['image', 'plain_text', 'mrkdwn'],
  input: [
    'checkboxes',
    'datepicker',
    'datetimepicker',
    'email_text_input',
    'file_input',
    ...SELECTS,
    ...MULTI_SELECTS,
    'number_input',
    'plain_text_input',
    'radio_buttons',
    'rich_text_input',
    'timepicker',
    'url_text_input',
  ],
} as const;

const blockId: FieldRule = { kind: 'string', min: 1, max: L.blockId };
const actionId: FieldRule = { kind: 'string', min: 1, max: L.actionId };
const placeholder: FieldRule = { kind: 'text', plainOnly: true, max: L.placeholder, min: 1 };
const confirm: FieldRule = { kind: 'confirm' };
const bool: FieldRule = { kind: 'boolean' };
const num: FieldRule = { kind: 'number' };
const str: FieldRule = { kind: 'string' };
const obj: FieldRule = { kind: 'object' };
const arr: FieldRule = { kind: 'array' };

/** Blocks: fields (python-slack-sdk `attributes`) and surfaces (Block Kit reference). */
export const BLOCKS: Readonly<Record<string, BlockRule>> = {
  section: {
    surfaces: ALL,
    anyOf: ['text', 'fields'],
    fields: {
      block_id: blockId,
      text: { kind: 'text', plainOnly: false, max: L.sectionText, min: 1 },
      fields: { kind: 'texts', plainOnly: false, itemMax: L.sectionFieldText, minItems: 1, maxItems: L.sectionFields },
      accessory: { kind: 'element', allowed: ELEMENTS_IN.sectionAccessory },
      expand: bool,
    },
  },
  divider: { surfaces: ALL, fields: { block_id: blockId } },
  header: {
    surfaces: ALL,
    fields: { block_id: blockId, text: { kind: 'text', plainOnly: true, max: L.headerText, min: 1, required: true } },
  },
  context: {
    surfaces: ALL,
    fields: {
      block_id: blockId,
      elements: { kind: 'elements', allowed: ELEMENTS_IN.context, minItems: 1, maxItems: L.contextElements, required: true },
    },
  },
  actions: {
    surfaces: ALL,
    fields: {
      block_id: blockId,
      elements: { kind: 'elements', allowed: ELEMENTS_IN.actions, minItems: 1, maxItems: L.actionsElements, required: true },
    },
  },
  input: {
    surfaces: ALL,
    fields: {
      block_id: blockId,
      label: { kind: 'text', plainOnly: true, max: L.inputLabel, min: 1, required: true },
      element: { kind: 'element', allowed: ELEMENTS_IN.input, required: true },
      hint: { kind: 'text', plainOnly: true, max: L.inputHint, min: 1 },
      optional: bool,
      dispatch_action: bool,
    },
  },
  image: {
    surfaces: ALL,
    anyOf: ['image_url', 'slack_file'],
    fields: {
      block_id: blockId,
      image_url: { kind: 'url', max: L.url },
      slack_file: obj,
      alt_text: { kind: 'string', min: 1, max: L.imageAltText, required: true },
      title: { kind: 'text', plainOnly: true, max: L.imageTitle, min: 1 },
    },
  },
  rich_text: { surfaces: ALL, fields: { block_id: blockId, elements: { kind: 'array', required: true } } },
  markdown: {
    surfaces: ['message'],
    fields: { block_id: blockId, text: { kind: 'string', min: 1, max: L.markdownText, required: true } },
  },
  file: {
    surfaces: ['message'],
    fields: {
      block_id: blockId,
      external_id: { kind: 'string', min: 1, required: true },
      source: { kind: 'enum', values: ['remote'], required: true },
    },
  },
  video: {
    surfaces: ALL,
    fields: {
      block_id: blockId,
      alt_text: { kind: 'string', min: 1, required: true },
      video_url: { kind: 'url', max: L.url, required: true },
      thumbnail_url: { kind: 'url', max: L.url, required: true },
      title: { kind: 'text', plainOnly: true, max: 199, min: 1, required: true },
      title_url: { kind: 'url', max: L.url },
      description: { kind: 'text', plainOnly: true, max: 199 },
      provider_icon_url: { kind: 'url', max: L.url },
      provider_name: str,
      author_name: { kind: 'string', max: 49 },
    },
  },
};

/** Fields every input-style element shares (python-slack-sdk `InputInteractiveElement`). */
const INPUT_COMMON = { action_id: actionId, placeholder, confirm, focus_on_load: bool } as const;

const selectOptions: FieldRule = { kind: 'options', plainOnly: true, minItems: 1, maxItems: L.selectOptions };
const selectGroups: FieldRule = { kind: 'optionGroups', plainOnly: true, maxItems: L.selectOptions };

/** Elements: fields and their rules (python-slack-sdk block_elements.py). */
export const ELEMENTS: Readonly<Record<string, ObjectRule>> = {
  button: {
    fields: {
      action_id: actionId,
      text: { kind: 'text', plainOnly: true, max: L.buttonText, min: 1, required: true },
      url: { kind: 'url', max: L.url },
      value: { kind: 'string', max: L.buttonValue },
      style: { kind: 'enum', values: BUTTON_STYLES },
      confirm,
      accessibility_label: { kind: 'string', max: L.buttonText },
    },
  },
  workflow_button: {
    fields: {
      action_id: actionId,
      text: { kind: 'text', plainOnly: true, max: L.buttonText, min: 1, required: true },
      workflow: { kind: 'object', required: true },
      style: { kind: 'enum', values: BUTTON_STYLES },
      accessibility_label: { kind: 'string', max: L.buttonText },
    },
  },
  checkboxes: {
    fields: {
      ...INPUT_COMMON,
      options: { kind: 'options', plainOnly: false, minItems: 1, maxItems: L.choiceOptions, required: true },
      initial_options: { kind: 'options', plainOnly: false, minItems: 0, maxItems: L.choiceOptions },
    },
  },
  radio_buttons: {
    fields: {
      ...INPUT_COMMON,
      options: { kind: 'options', plainOnly: false, minItems: 1, maxItems: L.choiceOptions, required: true },
      initial_option: { kind: 'option', plainOnly: false },
    },
  },
  static_select: {
    anyOf: ['options', 'option_groups'],
    fields: { ...INPUT_COMMON, options: selectOptions, option_groups: selectGroups, initial_option: { kind: 'option', plainOnly: true } },
  },
  multi_static_select: {
    anyOf: ['options', 'option_groups'],
    fields: {
      ...INPUT_COMMON,
      options: selectOptions,
      option_groups: selectGroups,
      initial_options: { kind: 'options', plainOnly: true, minItems: 0, maxItems: L.selectOptions },
      max_selected_items: num,
    },
  },
  external_select: { fields: { ...INPUT_COMMON, initial_option: { kind: 'option', plainOnly: true }, min_query_length: num } },
  multi_external_select: {
    fields: {
      ...INPUT_COMMON,
      initial_options: { kind: 'options', plainOnly: true, minItems: 0, maxItems: L.selectOptions },
      min_query_length: num,
      max_selected_items: num,
    },
  },
  users_select: { fields: { ...INPUT_COMMON, initial_user: str } },
  multi_users_select: { fields: { ...INPUT_COMMON, initial_users: arr, max_selected_items: num } },
  conversations_select: {
    fields: { ...INPUT_COMMON, initial_conversation: str, default_to_current_conversation: bool, response_url_enabled: bool, filter: obj },
  },
  multi_conversations_select: {
    fields: { ...INPUT_COMMON, initial_conversations: arr, default_to_current_conversation: bool, max_selected_items: num, filter: obj },
  },
  channels_select: { fields: { ...INPUT_COMMON, initial_channel: str, response_url_enabled: bool } },
  multi_channels_select: { fields: { ...INPUT_COMMON, initial_channels: arr, max_selected_items: num } },
  overflow: {
    fields: {
      action_id: actionId,
      confirm,
      options: { kind: 'options', plainOnly: true, minItems: 1, maxItems: L.overflowOptions, withUrl: true, required: true },
    },
  },
  datepicker: { fields: { ...INPUT_COMMON, initial_date: str } },
  timepicker: { fields: { ...INPUT_COMMON, initial_time: str, timezone: str } },
  datetimepicker: { fields: { action_id: actionId, confirm, focus_on_load: bool, initial_date_time: num } },
  plain_text_input: {
    fields: {
      ...INPUT_COMMON,
      initial_value: str,
      multiline: bool,
      min_length: num,
      max_length: num,
      dispatch_action_config: obj,
    },
  },
  email_text_input: { fields: { ...INPUT_COMMON, initial_value: str, dispatch_action_config: obj } },
  url_text_input: { fields: { ...INPUT_COMMON, initial_value: str, dispatch_action_config: obj } },
  number_input: {
    fields: {
      ...INPUT_COMMON,
      is_decimal_allowed: { kind: 'boolean', required: true },
      initial_value: str,
      min_value: str,
      max_value: str,
      dispatch_action_config: obj,
    },
  },
  rich_text_input: { fields: { ...INPUT_COMMON, initial_value: obj, dispatch_action_config: obj } },
  file_input: { fields: { action_id: actionId, filetypes: arr, max_files: num } },
  image: {
    anyOf: ['image_url', 'slack_file'],
    fields: {
      image_url: { kind: 'url', max: L.url },
      slack_file: obj,
      alt_text: { kind: 'string', min: 1, max: L.imageAltText, required: true },
    },
  },
};

/** Composition objects (python-slack-sdk basic_components.py). */
export const TEXT_FIELDS = {
  plain_text: { text: { kind: 'string', required: true }, emoji: bool },
  mrkdwn: { text: { kind: 'string', required: true }, verbatim: bool },
} as const satisfies Record<string, Readonly<Record<string, FieldRule>>>;

export const OPTION: ObjectRule = {
  fields: {
    text: { kind: 'text', plainOnly: false, max: L.optionText, min: 1, required: true },
    value: { kind: 'string', min: 1, max: L.optionValue, required: true },
    description: { kind: 'text', plainOnly: false, max: L.optionDescription },
    url: { kind: 'url', max: L.url },
  },
};

export const OPTION_GROUP: ObjectRule = {
  fields: {
    label: { kind: 'text', plainOnly: true, max: L.optionGroupLabel, min: 1, required: true },
    options: { kind: 'options', plainOnly: true, minItems: 1, maxItems: L.selectOptions, required: true },
  },
};

export const CONFIRM: ObjectRule = {
  fields: {
    title: { kind: 'text', plainOnly: true, max: L.confirmTitle, min: 1, required: true },
    text: { kind: 'text', plainOnly: false, max: L.confirmText, min: 1, required: true },
    confirm: { kind: 'text', plainOnly: true, max: L.confirmButton, min: 1, required: true },
    deny: { kind: 'text', plainOnly: true, max: L.confirmButton, min: 1, required: true },
    style: { kind: 'enum', values: BUTTON_STYLES },
  },
};

/** Views (python-slack-sdk views/__init__.py; Block Kit reference "View objects"). */
export const VIEWS: Readonly<Record<'modal' | 'home', ObjectRule>> = {
  modal: {
    fields: {
      title: { kind: 'text', plainOnly: true, max: L.viewTitle, min: 1, required: true },
      blocks: { kind: 'array', required: true },
      close: { kind: 'text', plainOnly: true, max: L.viewClose, min: 1 },
      submit: { kind: 'text', plainOnly: true, max: L.viewSubmit, min: 1 },
      private_metadata: { kind: 'string', max: L.privateMetadata },
      callback_id: { kind: 'string', max: L.callbackId },
      clear_on_close: bool,
      notify_on_close: bool,
      external_id: { kind: 'string', max: L.externalId },
      submit_disabled: bool,
    },
  },
  home: {
    fields: {
      blocks: { kind: 'array', required: true },
      private_metadata: { kind: 'string', max: L.privateMetadata },
      callback_id: { kind: 'string', max: L.callbackId },
      external_id: { kind: 'string', max: L.externalId },
    },
  },
};
