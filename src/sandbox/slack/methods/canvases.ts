/**
 * canvases.create and canvases.edit as Slack documents them (docs.slack.dev/reference/methods/
 * canvases.create, canvases.edit): `document_content` is `{ type: 'markdown', markdown }`, at most
 * 1 MiB of Markdown; edits are a list of `{ operation, document_content?, section_id? }`. The fake
 * keeps one Markdown string per canvas: it has no sections, so an edit naming one fails as Slack
 * does for a section it cannot find (`canvas_editing_failed`).
 */
import type { FakeCanvas } from '../types.js';
import { findConversation, type MethodHandler, needString, optString, SlackFail } from './args.js';

/** Slack: "The markdown content is limited to 1 MiB (1,048,576 characters)." */
const MAX_MARKDOWN = 1_048_576;

const OPERATIONS = new Set(['insert_after', 'insert_before', 'insert_at_start', 'insert_at_end', 'replace', 'delete', 'rename']);

/** `document_content` (or `title_content`) as Slack requires it; `invalid_document_content` otherwise. */
function markdownOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) throw new SlackFail('invalid_document_content');
  const content = value as Record<string, unknown>;
  if (content['type'] !== 'markdown' || typeof content['markdown'] !== 'string') throw new SlackFail('invalid_document_content');
  if (content['markdown'].length > MAX_MARKDOWN) throw new SlackFail('invalid_document_content');
  return content['markdown'];
}

/** canvases.create: a canvas, tabbed in `channel_id` when given; answers its `canvas_id`. */
export const canvasesCreate: MethodHandler = ({ state, args }) => {
  const channelId = optString(args, 'channel_id');
  const channel = channelId === undefined ? undefined : findConversation(state, channelId);
  const markdown = args['document_content'] === undefined ? '' : markdownOf(args['document_content']);
  const canvas: FakeCanvas = { id: state.nextId('F'), title: optString(args, 'title') ?? 'Untitled', markdown, edits: 0 };
  if (channel !== undefined) canvas.channelId = channel.id;
  state.canvases.set(canvas.id, canvas);
  return { ok: true, canvas_id: canvas.id };
};

/** canvases.edit: applies every change or none. */
export const canvasesEdit: MethodHandler = ({ state, args }) => {
  const canvas = state.canvases.get(needString(args, 'canvas_id', 'canvas_not_found'));
  if (canvas === undefined) throw new SlackFail('canvas_not_found');
  const changes = args['changes'];
  if (!Array.isArray(changes) || changes.length === 0) throw new SlackFail('invalid_arguments');
  let { markdown, title } = canvas;
  for (const raw of changes as unknown[]) {
    const change = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    const operation = change['operation'];
    if (typeof operation !== 'string' || !OPERATIONS.has(operation)) throw new SlackFail('invalid_arguments');
    if (change['section_id'] !== undefined) throw new SlackFail('canvas_editing_failed');
    if (operation === 'insert_after' || operation === 'insert_before' || operation === 'delete') throw new SlackFail('invalid_arguments');
    if (operation === 'rename') title = markdownOf(change['title_content']);
    else if (operation === 'replace') markdown = markdownOf(change['document_content']);
    else if (operation === 'insert_at_start') markdown = `${markdownOf(change['document_content'])}\n${markdown}`;
    else markdown = `${markdown}\n${markdownOf(change['document_content'])}`;
    if (markdown.length > MAX_MARKDOWN) throw new SlackFail('invalid_document_content');
  }
  Object.assign(canvas, { markdown, title, edits: canvas.edits + 1 });
  return { ok: true };
};
