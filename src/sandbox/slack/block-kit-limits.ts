/**
 * Slack's Block Kit rules, as the fake enforces them (when `blockKitLimits` is on): sizes and
 * structure, from the data in `block-kit-rules.ts`.
 *
 * Pure: give it a message's `blocks` array or a view object, get back Slack-style problems,
 * e.g. `must be less than 3001 characters [json-pointer:/blocks/0/text/text]`. An empty list
 * means Slack would take it. Lengths are counted on the text as sent (after the bot's own `&lt;`
 * escaping), in UTF-16 code units like JS `.length`. Refused: unknown block and element types,
 * a block or element where it may not sit (surface, or block field), missing required fields,
 * empty text, mrkdwn where only plain_text is allowed, too many items, a button style other than
 * primary|danger, a URL that is not one, unknown keys, a block_id used twice in one message or
 * view, an action_id used twice in one block, a home view with submit or close, and a modal with
 * input blocks but no submit.
 */
import {
  BLOCK_KIT_LIMITS,
  BLOCKS,
  CONFIRM,
  ELEMENTS,
  type FieldRule,
  type ObjectRule,
  OPTION,
  OPTION_GROUP,
  type Surface,
  TEXT_FIELDS,
  VIEWS,
} from './block-kit-rules.js';

export { BLOCK_KIT_LIMITS };

const L = BLOCK_KIT_LIMITS;

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Slack's schemes for links in buttons, images and options. */
function isUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  return /^(https?|mailto|slack):/i.test(value);
}

/** Collects problems while walking; `at` is a JSON pointer. */
class Problems {
  readonly list: string[] = [];
  /** block_ids seen in this message or view. */
  readonly blockIds = new Set<string>();

  add(message: string, at: string): void {
    this.list.push(`${message} [json-pointer:${at}]`);
  }

  chars(value: string, max: number | undefined, min: number | undefined, at: string): void {
    if (max !== undefined && value.length > max) this.add(`must be less than ${max + 1} characters`, at);
    if (min !== undefined && value.length < min) this.add(`must be more than ${min - 1} characters`, at);
  }

  /** An array of `min`..`max` items; returns its items (or none when it is not an array). */
  items(value: unknown, min: number, max: number, at: string): unknown[] {
    if (!Array.isArray(value)) {
      this.add('must provide an array', at);
      return [];
    }
    if (value.length > max) this.add(`no more than ${max} items allowed`, at);
    if (value.length < min) this.add(`must provide at least ${min} items`, at);
    return value;
  }
}

/** A text object: `{ type: plain_text|mrkdwn, text, emoji|verbatim }`. */
function checkText(p: Problems, value: unknown, rule: { plainOnly: boolean; max: number; min?: number }, at: string) {
  if (!isRecord(value)) return p.add('must provide an object', at);
  const type = value['type'];
  if (type !== 'plain_text' && type !== 'mrkdwn') return p.add(`unsupported type: ${String(type)}`, `${at}/type`);
  if (rule.plainOnly && type !== 'plain_text') return p.add(`unsupported type: ${type}, expected plain_text`, `${at}/type`);
  checkFields(p, value, TEXT_FIELDS[type], at);
  const text = value['text'];
  if (typeof text === 'string') p.chars(text, rule.max, rule.min, `${at}/text`);
}

function checkOption(p: Problems, value: unknown, plainOnly: boolean, withUrl: boolean, at: string) {
  if (!isRecord(value)) return p.add('must provide an object', at);
  const fields = withUrl ? OPTION.fields : Object.fromEntries(Object.entries(OPTION.fields).filter(([k]) => k !== 'url'));
  const textRule = OPTION.fields['text'];
  checkObject(p, value, { fields: { ...fields, text: textRule?.kind === 'text' ? { ...textRule, plainOnly } : { kind: 'object' } } }, at);
}

/** Checks `value` against one field's rule; `at` points at the field. */
function checkField(p: Problems, value: unknown, rule: FieldRule, at: string) {
  switch (rule.kind) {
    case 'string':
      if (typeof value !== 'string') return p.add('must provide a string', at);
      return p.chars(value, rule.max, rule.min, at);
    case 'url':
      if (typeof value !== 'string') return p.add('must provide a string', at);
      p.chars(value, rule.max, undefined, at);
      if (!isUrl(value)) p.add('must be a valid URL', at);
      return;
    case 'enum':
      if (typeof value !== 'string' || !rule.values.includes(value)) p.add(`must be one of: ${rule.values.join(', ')}`, at);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') p.add('must provide a boolean', at);
      return;
    case 'number':
      if (typeof value !== 'number' && !(typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))) {
        p.add('must provide a number', at);
      }
      return;
    case 'text':
      return checkText(p, value, rule, at);
    case 'texts':
      for (const [i, item] of p.items(value, rule.minItems, rule.maxItems, at).entries()) {
        checkText(p, item, { plainOnly: rule.plainOnly, max: rule.itemMax, min: 1 }, `${at}/${i}`);
      }
      return;
    case 'element':
      return checkElement(p, value, rule.allowed, at);
    case 'elements': {
      const actionIds = new Set<string>();
      for (const [i, item] of p.items(value, rule.minItems, rule.maxItems, at).entries()) {
        checkElement(p, item, rule.allowed, `${at}/${i}`);
        const actionId = isRecord(item) ? item['action_id'] : undefined;
        if (typeof actionId !== 'string') continue;
        if (actionIds.has(actionId)) p.add(`duplicate action_id: ${actionId}`, `${at}/${i}/action_id`);
        actionIds.add(actionId);
      }
      return;
    }
    case 'options':
      for (const [i, item] of p.items(value, rule.minItems, rule.maxItems, at).entries()) {
        checkOption(p, item, rule.plainOnly, rule.withUrl === true, `${at}/${i}`);
      }
      return;
    case 'option':
      return checkOption(p, value, rule.plainOnly, false, at);
    case 'optionGroups':
      for (const [i, item] of p.items(value, 1, rule.maxItems, at).entries()) {
        if (!isRecord(item)) p.add('must provide an object', `${at}/${i}`);
        else checkObject(p, item, OPTION_GROUP, `${at}/${i}`);
      }
      return;
    case 'confirm':
      if (!isRecord(value)) return p.add('must provide an object', at);
      return checkObject(p, value, CONFIRM, at);
    case 'array':
      if (!Array.isArray(value)) p.add('must provide an array', at);
      return;
    case 'object':
      if (!isRecord(value)) p.add('must provide an object', at);
      return;
  }
}

/** Known keys only, required ones present, each by its rule. `type` is the caller's business. */
function checkFields(p: Problems, value: Json, fields: Readonly<Record<string, FieldRule>>, at: string) {
  for (const [key, field] of Object.entries(value)) {
    if (key === 'type') continue;
    const rule = fields[key];
    if (rule === undefined) p.add(`unsupported property: ${key}`, `${at}/${key}`);
    else if (field !== undefined && field !== null) checkField(p, field, rule, `${at}/${key}`);
  }
  for (const [key, rule] of Object.entries(fields)) {
    if (rule.required && (value[key] === undefined || value[key] === null)) p.add(`missing required field: ${key}`, `${at}/${key}`);
  }
}

function checkObject(p: Problems, value: Json, rule: ObjectRule, at: string) {
  checkFields(p, value, rule.fields, at);
  if (rule.anyOf !== undefined && !rule.anyOf.some((key) => value[key] !== undefined && value[key] !== null)) {
    p.add(`must provide one of: ${rule.anyOf.join(', ')}`, at);
  }
}

/** An element of one of the `allowed` types (a text object counts, in context blocks). */
function checkElement(p: Problems, value: unknown, allowed: readonly string[], at: string) {
  if (!isRecord(value)) return p.add('must provide an object', at);
  const type = value['type'];
  if (typeof type !== 'string' || !allowed.includes(type)) return p.add(`unsupported type: ${String(type)}`, `${at}/type`);
  if (type === 'plain_text' || type === 'mrkdwn') return checkText(p, value, { plainOnly: false, max: L.contextText, min: 1 }, at);
  const rule = ELEMENTS[type];
  if (rule === undefined) return p.add(`unsupported type: ${type}`, `${at}/type`);
  checkObject(p, value, rule, at);
}

function checkBlock(p: Problems, block: unknown, surface: Surface, at: string) {
  if (!isRecord(block)) return p.add('must provide an object', at);
  const type = block['type'];
  const rule = typeof type === 'string' ? BLOCKS[type] : undefined;
  if (rule === undefined) return p.add(`unsupported type: ${String(type)}`, `${at}/type`);
  if (!rule.surfaces.includes(surface)) return p.add(`unsupported type: ${String(type)} in a ${surface}`, `${at}/type`);
  checkObject(p, block, rule, at);
  const blockId = block['block_id'];
  if (typeof blockId === 'string') {
    if (p.blockIds.has(blockId)) p.add(`duplicate block_id: ${blockId}`, `${at}/block_id`);
    p.blockIds.add(blockId);
  }
}

function checkBlocks(p: Problems, blocks: unknown, max: number, surface: Surface, at: string) {
  if (!Array.isArray(blocks)) return;
  for (const [i, block] of p.items(blocks, 0, max, at).entries()) checkBlock(p, block, surface, `${at}/${i}`);
}

/**
 * What Slack would refuse in a message's `blocks` (an array; pointers start at `/blocks`) or in
 * a view (an object; pointers start at `/view`). Empty when Slack would take it.
 */
export function blockKitProblems(subject: readonly unknown[] | Record<string, unknown>): string[] {
  const p = new Problems();
  if (Array.isArray(subject)) {
    checkBlocks(p, subject, L.messageBlocks, 'message', '/blocks');
    return p.list;
  }
  const view = subject as Json;
  const type = view['type'];
  if (type !== 'modal' && type !== 'home') {
    p.add(`unsupported type: ${String(type)}`, '/view/type');
    return p.list;
  }
  if (type === 'home') {
    for (const key of ['submit', 'close', 'title'] as const) {
      if (view[key] !== undefined) p.add(`a home view cannot have ${key}`, `/view/${key}`);
    }
  }
  const { submit: _s, close: _c, title: _t, ...rest } = view;
  checkFields(p, type === 'home' ? rest : view, VIEWS[type].fields, '/view');
  checkBlocks(p, view['blocks'], L.viewBlocks, type, '/view/blocks');
  const blocks = Array.isArray(view['blocks']) ? view['blocks'] : [];
  if (type === 'modal' && view['submit'] === undefined && blocks.some((b) => isRecord(b) && b['type'] === 'input')) {
    p.add('a modal with input blocks must have submit', '/view/submit');
  }
  return p.list;
}
