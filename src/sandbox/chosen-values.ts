import { zonedToEpochSeconds as zonedSeconds } from './page/zone-time.js';
import type { BlockAction } from './slack/requests.js';

type Obj = Record<string, unknown>;

/** What the page sends when a person uses an element: which one, and what they chose. */
export interface ElementInput {
  blockId: string;
  actionId: string;
  type: string;
  value: string | string[];
}

/** The element an action came from, with what was chosen, as Slack reports it in block_actions. */
export function chosenAction(input: ElementInput, blocks: unknown, actionTs: string): BlockAction {
  const el = findElement(blocks, input.blockId, input.actionId) ?? {};
  const base = { type: input.type, action_id: input.actionId, block_id: input.blockId, action_ts: actionTs };
  const one = Array.isArray(input.value) ? (input.value[0] ?? '') : input.value;
  switch (input.type) {
    case 'button':
      return { ...base, value: one, text: el['text'] ?? { type: 'plain_text', text: '' } };
    case 'static_select':
    case 'overflow':
    case 'radio_buttons':
      return { ...base, selected_option: optionByValue(el, one) ?? null };
    case 'checkboxes': {
      const chosen = Array.isArray(input.value) ? input.value : [input.value];
      return { ...base, selected_options: chosen.map((v) => optionByValue(el, v)).filter(Boolean) };
    }
    case 'users_select':
      return { ...base, selected_user: one };
    case 'conversations_select':
      return { ...base, selected_conversation: one };
    case 'channels_select':
      return { ...base, selected_channel: one };
    case 'datepicker':
      return { ...base, selected_date: one };
    case 'timepicker':
      return { ...base, selected_time: one };
    default:
      return { ...base, value: one };
  }
}

/**
 * A modal's inputs as Slack reports them in `view.state.values`, and which required ones are
 * empty (Slack refuses those itself, before the app hears anything). `raw` is keyed
 * `blockId/actionId`; `tz` is the person's zone, for time and date-time pickers.
 */
export function stateValues(
  view: Obj,
  raw: Record<string, string | string[]>,
  tz: string,
): { values: Record<string, Record<string, unknown>>; missing: Record<string, string> } {
  const values: Record<string, Record<string, unknown>> = {};
  const missing: Record<string, string> = {};
  const blocks = Array.isArray(view['blocks']) ? (view['blocks'] as Obj[]) : [];
  blocks.forEach((block, index) => {
    if (block['type'] !== 'input') return;
    const blockId = typeof block['block_id'] === 'string' ? block['block_id'] : `b${index}`;
    const el = (block['element'] ?? {}) as Obj;
    const actionId = typeof el['action_id'] === 'string' ? el['action_id'] : 'value';
    const got = raw[`${blockId}/${actionId}`];
    const all = (Array.isArray(got) ? got : got === undefined ? [] : [got]).filter((v) => v !== '');
    const first = all[0];
    const type = String(el['type']);
    values[blockId] = { [actionId]: elementValue(type, el, all, first, tz) };
    if (block['optional'] !== true && all.length === 0) missing[blockId] = 'Please complete this required field.';
  });
  return { values, missing };
}

/** The block id of a view's first input, where Slack shows a connection error. */
export function firstInputBlock(view: Obj): string | undefined {
  const blocks = Array.isArray(view['blocks']) ? (view['blocks'] as Obj[]) : [];
  const input = blocks.find((b) => b['type'] === 'input');
  return typeof input?.['block_id'] === 'string' ? input['block_id'] : undefined;
}

function elementValue(type: string, el: Obj, all: string[], first: string | undefined, tz: string): Obj {
  switch (type) {
    case 'static_select':
    case 'radio_buttons':
      return { type, selected_option: first === undefined ? null : (optionByValue(el, first) ?? null) };
    case 'checkboxes':
      return { type, selected_options: all.map((v) => optionByValue(el, v)).filter(Boolean) };
    case 'users_select':
      return { type, selected_user: first ?? null };
    case 'multi_users_select':
      return { type, selected_users: all };
    case 'conversations_select':
      return { type, selected_conversation: first ?? null };
    case 'channels_select':
      return { type, selected_channel: first ?? null };
    case 'datepicker':
      return { type, selected_date: first ?? null };
    case 'timepicker':
      return { type, selected_time: first ?? null, timezone: tz };
    case 'datetimepicker':
      return { type, selected_date_time: first === undefined ? null : (zonedSeconds(first, tz) ?? null) };
    default:
      return { type, value: first ?? null };
  }
}

function optionByValue(el: Obj, value: string): Obj | undefined {
  const groups = Array.isArray(el['option_groups']) ? (el['option_groups'] as Obj[]) : [];
  const options = (
    groups.length ? groups.flatMap((g) => (g['options'] as unknown[]) ?? []) : ((el['options'] as unknown[]) ?? [])
  ) as Obj[];
  return options.find((o) => o['value'] === value);
}

function findElement(blocks: unknown, blockId: string, actionId: string): Obj | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const [index, block] of (blocks as Obj[]).entries()) {
    const id = typeof block['block_id'] === 'string' ? block['block_id'] : `b${index}`;
    if (id !== blockId) continue;
    const candidates = [block['accessory'], block['element'], ...((block['elements'] as unknown[]) ?? [])];
    for (const el of candidates) {
      if (typeof el === 'object' && el !== null && (el as Obj)['action_id'] === actionId) return el as Obj;
    }
  }
  return undefined;
}
