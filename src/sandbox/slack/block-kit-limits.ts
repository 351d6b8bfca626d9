/**
 * Slack's Block Kit size limits, as the fake enforces them (when `blockKitLimits` is on).
 *
 * Pure: give it a message's `blocks` array or a view object, get back Slack-style problems,
 * e.g. `must be less than 3001 characters [json-pointer:/blocks/0/text/text]`. An empty list
 * means "fits". Lengths are counted on the text as sent (after the bot's own `&lt;` escaping),
 * in UTF-16 code units like JS `.length`. Anything this table does not name is let through:
 * the fake stays permissive about structures it does not know.
 */

/** Every limit, in characters or items. */
export const BLOCK_KIT_LIMITS = {
  /** Blocks in one message / in one modal or App Home view. */
  messageBlocks: 50,
  viewBlocks: 100,
  blockId: 255,
  actionId: 255,
  url: 3_000,
  sectionText: 3_000,
  sectionFields: 10,
  sectionFieldText: 2_000,
  headerText: 150,
  contextElements: 10,
  contextText: 3_000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2_000,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  overflowOptions: 5,
  inputLabel: 2_000,
  inputHint: 2_000,
  placeholder: 150,
  imageAltText: 2_000,
  viewTitle: 24,
  viewSubmit: 24,
  viewClose: 24,
  privateMetadata: 3_000,
  callbackId: 255,
} as const;

const L = BLOCK_KIT_LIMITS;

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects problems while walking; `at` is a JSON pointer. */
class Problems {
  readonly list: string[] = [];

  /** A string at most `max` long; anything that is not a string is not this check's business. */
  chars(value: unknown, max: number, at: string): void {
    if (typeof value === 'string' && value.length > max) {
      this.list.push(`must be less than ${max + 1} characters [json-pointer:${at}]`);
    }
  }

  /** A text object's `text` (`{ type, text }`) at most `max` long. */
  text(value: unknown, max: number, at: string): void {
    if (isRecord(value)) this.chars(value['text'], max, `${at}/text`);
  }

  /** An array of at most `max` items; returns its items (or none when it is not an array). */
  items(value: unknown, max: number, at: string): unknown[] {
    if (!Array.isArray(value)) return [];
    if (value.length > max) this.list.push(`no more than ${max} items allowed [json-pointer:${at}]`);
    return value;
  }
}

function checkOption(p: Problems, option: unknown, at: string): void {
  if (!isRecord(option)) return;
  p.text(option['text'], L.optionText, `${at}/text`);
  p.chars(option['value'], L.optionValue, `${at}/value`);
  p.chars(option['url'], L.url, `${at}/url`);
}

function checkOptions(p: Problems, element: Json, max: number, at: string): void {
  for (const [i, o] of p.items(element['options'], max, `${at}/options`).entries()) checkOption(p, o, `${at}/options/${i}`);
  for (const [g, group] of p.items(element['option_groups'], max, `${at}/option_groups`).entries()) {
    if (!isRecord(group)) continue;
    const groupAt = `${at}/option_groups/${g}`;
    for (const [i, o] of p.items(group['options'], max, `${groupAt}/options`).entries()) {
      checkOption(p, o, `${groupAt}/options/${i}`);
    }
  }
}

/** An interactive element: a section accessory, an actions element or an input's element. */
function checkElement(p: Problems, element: unknown, at: string): void {
  if (!isRecord(element)) return;
  p.chars(element['action_id'], L.actionId, `${at}/action_id`);
  p.text(element['placeholder'], L.placeholder, `${at}/placeholder`);
  switch (element['type']) {
    case 'button':
      p.text(element['text'], L.buttonText, `${at}/text`);
      p.chars(element['value'], L.buttonValue, `${at}/value`);
      p.chars(element['url'], L.url, `${at}/url`);
      break;
    case 'static_select':
    case 'multi_static_select':
      checkOptions(p, element, L.selectOptions, at);
      break;
    case 'overflow':
      checkOptions(p, element, L.overflowOptions, at);
      break;
    case 'image':
      p.chars(element['alt_text'], L.imageAltText, `${at}/alt_text`);
      break;
  }
}

function checkBlock(p: Problems, block: unknown, at: string): void {
  if (!isRecord(block)) return;
  p.chars(block['block_id'], L.blockId, `${at}/block_id`);
  switch (block['type']) {
    case 'section':
      p.text(block['text'], L.sectionText, `${at}/text`);
      for (const [i, field] of p.items(block['fields'], L.sectionFields, `${at}/fields`).entries()) {
        p.text(field, L.sectionFieldText, `${at}/fields/${i}`);
      }
      checkElement(p, block['accessory'], `${at}/accessory`);
      break;
    case 'header':
      p.text(block['text'], L.headerText, `${at}/text`);
      break;
    case 'context':
      for (const [i, element] of p.items(block['elements'], L.contextElements, `${at}/elements`).entries()) {
        if (!isRecord(element)) continue;
        const elementAt = `${at}/elements/${i}`;
        if (element['type'] === 'image') p.chars(element['alt_text'], L.imageAltText, `${elementAt}/alt_text`);
        else p.chars(element['text'], L.contextText, `${elementAt}/text`);
      }
      break;
    case 'actions':
      for (const [i, element] of p.items(block['elements'], L.actionsElements, `${at}/elements`).entries()) {
        checkElement(p, element, `${at}/elements/${i}`);
      }
      break;
    case 'input':
      p.text(block['label'], L.inputLabel, `${at}/label`);
      p.text(block['hint'], L.inputHint, `${at}/hint`);
      checkElement(p, block['element'], `${at}/element`);
      break;
    case 'image':
      p.chars(block['alt_text'], L.imageAltText, `${at}/alt_text`);
      p.chars(block['image_url'], L.url, `${at}/image_url`);
      break;
  }
}

function checkBlocks(p: Problems, blocks: unknown, max: number, at: string): void {
  for (const [i, block] of p.items(blocks, max, at).entries()) checkBlock(p, block, `${at}/${i}`);
}

/**
 * What Slack would refuse in a message's `blocks` (an array; pointers start at `/blocks`) or in
 * a view (an object; pointers start at `/view`). Empty when everything fits.
 */
export function blockKitProblems(subject: readonly unknown[] | Record<string, unknown>): string[] {
  const p = new Problems();
  if (Array.isArray(subject)) {
    checkBlocks(p, subject, L.messageBlocks, '/blocks');
    return p.list;
  }
  const view = subject as Json;
  p.text(view['title'], L.viewTitle, '/view/title');
  p.text(view['submit'], L.viewSubmit, '/view/submit');
  p.text(view['close'], L.viewClose, '/view/close');
  p.chars(view['private_metadata'], L.privateMetadata, '/view/private_metadata');
  p.chars(view['callback_id'], L.callbackId, '/view/callback_id');
  checkBlocks(p, view['blocks'], L.viewBlocks, '/view/blocks');
  return p.list;
}
