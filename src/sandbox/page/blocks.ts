import { esc } from './html.js';
import { emoji, mrkdwnHtml, plainTextHtml, type ReadingContext } from './mrkdwn.js';
import { epochSecondsToZoned } from './zone-time.js';
import { safeUrl } from './safe-url.js';

/** What rendering blocks needs besides the reader: people and channels to pick from, ids, errors. */
export interface BlockContext extends ReadingContext {
  people: ReadonlyArray<{ id: string; name: string }>;
  channels: ReadonlyArray<{ id: string; name: string }>;
  /** Makes element ids unique on the page (a message's ts, a view's id). */
  idPrefix: string;
  /** Inline errors of a view submission, by block id. */
  errors?: Readonly<Record<string, string>>;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** A text object: mrkdwn rendered, plain_text escaped (with emoji). */
export function textHtml(text: unknown, ctx: ReadingContext): string {
  if (!isObj(text)) return '';
  return text['type'] === 'mrkdwn' ? mrkdwnHtml(str(text['text']), ctx) : plainTextHtml(str(text['text']));
}

/** A text object's words without markup, for labels and accessible names. */
export function plainOf(text: unknown): string {
  return isObj(text) ? str(text['text']) : '';
}

function attrs(values: Record<string, string | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(v ?? '')}"`)
    .join('');
}

/** The data attributes the page's script reads to send a block action. */
function actionAttrs(el: Obj, blockId: string): Record<string, string | undefined> {
  return { 'data-action-id': str(el['action_id']), 'data-block-id': blockId, 'data-type': str(el['type']) };
}

function optionsOf(el: Obj): Obj[] {
  const groups = list(el['option_groups']);
  return groups.length ? groups.flatMap((g) => list(g['options'])) : list(el['options']);
}

function selectOptions(options: Obj[], selected: string | undefined, placeholder: string): string {
  const first = `<option value=""${selected === undefined ? ' selected' : ''}>${esc(placeholder || 'Choose…')}</option>`;
  return (
    first +
    options
      .map(
        (o) =>
          `<option value="${esc(str(o['value']))}"${str(o['value']) === selected ? ' selected' : ''}>${esc(plainOf(o['text']))}</option>`,
      )
      .join('')
  );
}

/** An interactive element, in a message (acting at once) or in a modal's input (a form field when `name` is set). */
function elementHtml(el: Obj, blockId: string, ctx: BlockContext, field?: { id: string; name: string; label: string }): string {
  const type = str(el['type']);
  const act = field ? { 'data-type': type } : actionAttrs(el, blockId);
  const id = field?.id;
  const name = field?.name;
  const placeholder = plainOf(el['placeholder']);
  switch (type) {
    case 'button': {
      const url = safeUrl(str(el['url']));
      const cls = `btn${el['style'] === 'primary' ? ' primary' : el['style'] === 'danger' ? ' danger' : ''}`;
      if (url) return `<a class="${cls}" href="${esc(url)}" target="_blank" rel="noreferrer">${plainTextHtml(plainOf(el['text']))}</a>`;
      const confirm = isObj(el['confirm']) ? plainOf(el['confirm']['text']) || plainOf(el['confirm']['title']) : undefined;
      return `<button type="button" class="${cls}"${attrs({ ...act, 'data-value': str(el['value']), 'data-confirm': confirm })}>${plainTextHtml(plainOf(el['text']))}</button>`;
    }
    case 'static_select':
    case 'overflow': {
      const initial = isObj(el['initial_option']) ? str(el['initial_option']['value']) : undefined;
      const label = field ? undefined : type === 'overflow' ? 'More actions' : placeholder || 'Choose';
      return `<select${attrs({ ...act, id, name, 'aria-label': label })}>${selectOptions(optionsOf(el), initial, type === 'overflow' ? '⋯' : placeholder)}</select>`;
    }
    case 'users_select':
    case 'multi_users_select': {
      const initial = str(el['initial_user']) || undefined;
      const multiple = type === 'multi_users_select' ? ' multiple' : '';
      const opts = ctx.people.map((p) => ({ value: p.id, text: { type: 'plain_text', text: p.name } }));
      return `<select${multiple}${attrs({ ...act, id, name, 'aria-label': field ? undefined : placeholder || 'Choose a person' })}>${selectOptions(opts, initial, placeholder || 'Choose a person')}</select>`;
    }
    case 'conversations_select':
    case 'channels_select': {
      const initial = str(el['initial_conversation'] ?? el['initial_channel']) || undefined;
      const opts = ctx.channels.map((c) => ({ value: c.id, text: { type: 'plain_text', text: `#${c.name}` } }));
      return `<select${attrs({ ...act, id, name, 'aria-label': field ? undefined : placeholder || 'Choose a channel' })}>${selectOptions(opts, initial, placeholder || 'Choose a channel')}</select>`;
    }
    case 'checkboxes':
    case 'radio_buttons': {
      const input = type === 'checkboxes' ? 'checkbox' : 'radio';
      const initial = new Set(
        (type === 'checkboxes' ? list(el['initial_options']) : isObj(el['initial_option']) ? [el['initial_option']] : []).map((o) =>
          str(o['value']),
        ),
      );
      const groupName = name ?? `${ctx.idPrefix}-${blockId}-${str(el['action_id'])}`;
      const items = list(el['options'])
        .map((o) => {
          const desc = isObj(o['description']) ? `<span class="hint">${textHtml(o['description'], ctx)}</span>` : '';
          return `<label class="choice"><input type="${input}" name="${esc(groupName)}" value="${esc(str(o['value']))}"${initial.has(str(o['value'])) ? ' checked' : ''}${field ? '' : attrs(actionAttrs(el, blockId))}> ${textHtml(o['text'], ctx)}${desc}</label>`;
        })
        .join('');
      const role = input === 'radio' ? 'radiogroup' : 'group';
      return `<div role="${role}"${attrs({ id, 'aria-labelledby': field ? `${id}-label` : undefined, 'aria-label': field ? undefined : 'Options' })} class="choices">${items}</div>`;
    }
    case 'datepicker':
      return `<input type="date"${attrs({ ...act, id, name, value: str(el['initial_date']) || undefined, 'aria-label': field ? undefined : placeholder || 'Date' })}>`;
    case 'timepicker':
      return `<input type="time"${attrs({ ...act, id, name, value: str(el['initial_time']) || undefined, 'aria-label': field ? undefined : placeholder || 'Time' })}>`;
    case 'datetimepicker': {
      const initial = typeof el['initial_date_time'] === 'number' ? epochSecondsToZoned(el['initial_date_time'], ctx.tz) : undefined;
      return `<input type="datetime-local"${attrs({ ...act, id, name, value: initial, 'aria-label': field ? undefined : 'Date and time' })}>`;
    }
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input': {
      const maxlength = typeof el['max_length'] === 'number' ? String(el['max_length']) : undefined;
      const value = str(el['initial_value']);
      if (el['multiline'] === true) {
        return `<textarea${attrs({ ...act, id, name, maxlength, placeholder: placeholder || undefined, rows: '4' })}>${esc(value)}</textarea>`;
      }
      const inputType =
        type === 'number_input' ? 'number' : type === 'email_text_input' ? 'email' : type === 'url_text_input' ? 'url' : 'text';
      return `<input type="${inputType}"${attrs({ ...act, id, name, maxlength, placeholder: placeholder || undefined, value: value || undefined })}>`;
    }
    case 'image':
      return `<img class="thumb"${attrs({ src: safeUrl(str(el['image_url'])), alt: str(el['alt_text']) })}>`;
    default:
      return `<span class="unsupported">[${esc(type)}]</span>`;
  }
}

function richInline(el: Obj, ctx: BlockContext): string {
  const style = isObj(el['style']) ? el['style'] : {};
  let html: string;
  switch (el['type']) {
    case 'text':
      html = esc(str(el['text'])).replace(/\n/g, '<br>');
      break;
    case 'link': {
      const url = safeUrl(str(el['url']));
      const label = esc(str(el['text']) || str(el['url']));
      html = url ? `<a href="${esc(url)}" target="_blank" rel="noreferrer">${label}</a>` : label;
      break;
    }
    case 'user':
      html = `<span class="mention">@${esc(ctx.userName(str(el['user_id'])) ?? str(el['user_id']))}</span>`;
      break;
    case 'channel':
      html = `<a class="mention" href="${esc(ctx.channelHref(str(el['channel_id'])))}">#${esc(ctx.channelName(str(el['channel_id'])) ?? str(el['channel_id']))}</a>`;
      break;
    case 'emoji':
      html = emoji(str(el['name']));
      break;
    case 'date':
      html = mrkdwnHtml(`<!date^${str(el['timestamp'])}^${str(el['format'])}|${str(el['fallback'])}>`, ctx);
      break;
    case 'usergroup':
      html = `<span class="mention">@${esc(str(el['usergroup_id']))}</span>`;
      break;
    case 'broadcast':
      html = `<span class="mention">@${esc(str(el['range']))}</span>`;
      break;
    default:
      html = '';
  }
  if (style['code']) html = `<code>${html}</code>`;
  if (style['bold']) html = `<strong>${html}</strong>`;
  if (style['italic']) html = `<em>${html}</em>`;
  if (style['strike']) html = `<del>${html}</del>`;
  return html;
}

function richText(block: Obj, ctx: BlockContext): string {
  const part = (el: Obj): string => {
    const inner = list(el['elements']);
    switch (el['type']) {
      case 'rich_text_section':
        return `<div>${inner.map((i) => richInline(i, ctx)).join('')}</div>`;
      case 'rich_text_quote':
        return `<blockquote>${inner.map((i) => richInline(i, ctx)).join('')}</blockquote>`;
      case 'rich_text_preformatted':
        return `<pre>${inner.map((i) => richInline(i, ctx)).join('')}</pre>`;
      case 'rich_text_list': {
        const tag = el['style'] === 'ordered' ? 'ol' : 'ul';
        return `<${tag}>${inner
          .map(
            (i) =>
              `<li>${list(i['elements'])
                .map((x) => richInline(x, ctx))
                .join('')}</li>`,
          )
          .join('')}</${tag}>`;
      }
      default:
        return '';
    }
  };
  return `<div class="b-rich">${list(block['elements']).map(part).join('')}</div>`;
}

function inputBlock(block: Obj, blockId: string, ctx: BlockContext): string {
  const el = isObj(block['element']) ? block['element'] : {};
  const actionId = str(el['action_id']) || 'value';
  const id = `${ctx.idPrefix}-${blockId}`;
  const label = plainOf(block['label']);
  const field = { id, name: `${blockId}/${actionId}`, label };
  const error = ctx.errors?.[blockId];
  const optional = block['optional'] === true ? ' <span class="optional">(optional)</span>' : '';
  const group = el['type'] === 'checkboxes' || el['type'] === 'radio_buttons';
  const labelHtml = group
    ? `<div class="label" id="${esc(id)}-label">${esc(label)}</div>`
    : `<label class="label" for="${esc(id)}">${esc(label)}</label>`;
  const hint = isObj(block['hint']) ? `<div class="hint">${textHtml(block['hint'], ctx)}</div>` : '';
  const errorHtml = error ? `<div class="error" role="alert" id="${esc(id)}-error">${esc(error)}</div>` : '';
  return `<div class="b-input${error ? ' invalid' : ''}" data-block-id="${esc(blockId)}">${labelHtml}${optional}${elementHtml(el, blockId, ctx, field)}${hint}${errorHtml}</div>`;
}

function blockHtml(block: Obj, index: number, ctx: BlockContext): string {
  const blockId = str(block['block_id']) || `b${index}`;
  switch (block['type']) {
    case 'header':
      return `<div class="b-header" role="heading" aria-level="3">${plainTextHtml(plainOf(block['text']))}</div>`;
    case 'section': {
      const text = block['text'] === undefined ? '' : `<div class="b-text">${textHtml(block['text'], ctx)}</div>`;
      const fields = list(block['fields']);
      const fieldsHtml = fields.length ? `<div class="b-fields">${fields.map((f) => `<div>${textHtml(f, ctx)}</div>`).join('')}</div>` : '';
      const accessory = isObj(block['accessory']) ? `<div class="b-accessory">${elementHtml(block['accessory'], blockId, ctx)}</div>` : '';
      return `<div class="b-section"><div class="b-main">${text}${fieldsHtml}</div>${accessory}</div>`;
    }
    case 'context':
      return `<div class="b-context">${list(block['elements'])
        .map((e) => (e['type'] === 'image' ? elementHtml(e, blockId, ctx) : `<span>${textHtml(e, ctx)}</span>`))
        .join('')}</div>`;
    case 'actions':
      return `<div class="b-actions">${list(block['elements'])
        .map((e) => elementHtml(e, blockId, ctx))
        .join('')}</div>`;
    case 'divider':
      return '<hr class="b-divider">';
    case 'image': {
      const title = isObj(block['title']) ? `<figcaption>${plainTextHtml(plainOf(block['title']))}</figcaption>` : '';
      return `<figure class="b-image"><img${attrs({ src: safeUrl(str(block['image_url'])), alt: str(block['alt_text']) })}>${title}</figure>`;
    }
    case 'rich_text':
      return richText(block, ctx);
    case 'input':
      return inputBlock(block, blockId, ctx);
    default:
      return `<div class="unsupported">[${esc(str(block['type']))} block]</div>`;
  }
}

/** Block Kit blocks as HTML; interactive elements carry what the page's script needs to act. */
export function blocksHtml(blocks: unknown, ctx: BlockContext): string {
  return list(blocks)
    .map((b, i) => blockHtml(b, i, ctx))
    .join('');
}
