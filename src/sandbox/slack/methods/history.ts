import { BOT_USER_ID } from '../state.js';
import type { FakeMessage } from '../types.js';
import { findConversation, type MethodHandler, needString, optBool, optString, SlackFail } from './args.js';

/** Slack's page sizes: conversations.history 100 by default, conversations.replies 1,000; at most 999 and 1,000. */
const HISTORY_LIMIT = { byDefault: 100, max: 999 };
const REPLIES_LIMIT = { byDefault: 1000, max: 1000 };

function limitOf(args: Record<string, unknown>, page: { byDefault: number; max: number }): number {
  const raw = Number(optString(args, 'limit') ?? page.byDefault);
  return Math.min(Math.max(Number.isFinite(raw) ? Math.floor(raw) : page.byDefault, 1), page.max);
}

/** Slack's cursors are opaque; the fake's, like Slack's, are base64 of `next_ts:<ts of the next message>`. */
function cursorFor(message: FakeMessage | undefined): string {
  return message === undefined ? '' : Buffer.from(`next_ts:${message.ts}`).toString('base64');
}

/** The ts a `cursor` argument resumes at, or undefined for the first page; a cursor the fake never made is `invalid_cursor`. */
function cursorTs(args: Record<string, unknown>): number | undefined {
  const cursor = optString(args, 'cursor');
  if (cursor === undefined) return undefined;
  const match = /^next_ts:(\d+\.\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (match?.[1] === undefined) throw new SlackFail('invalid_cursor');
  return Number(match[1]);
}

/** One page of `ordered` (already in the method's order) from the cursor on, as Slack answers it. */
function page(
  ordered: FakeMessage[],
  args: Record<string, unknown>,
  size: { byDefault: number; max: number },
  fromCursor: (m: FakeMessage, at: number) => boolean,
): { messages: FakeMessage[]; has_more: boolean; response_metadata: { next_cursor: string } } {
  const at = cursorTs(args);
  const rest = at === undefined ? ordered : ordered.filter((m) => fromCursor(m, at));
  const limit = limitOf(args, size);
  return { messages: rest.slice(0, limit), has_more: rest.length > limit, response_metadata: { next_cursor: cursorFor(rest[limit]) } };
}

/** A message as conversations.history and conversations.replies list it. */
function listed(message: FakeMessage, withMetadata = false): Record<string, unknown> {
  return {
    ...(withMetadata && message.metadata !== undefined ? { metadata: message.metadata } : {}),
    type: 'message',
    user: message.user,
    text: message.text,
    ts: message.ts,
    ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
    ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
    // Slack leaves `reactions` out when there are none.
    ...(message.reactions?.length
      ? { reactions: message.reactions.map((r) => ({ name: r.name, users: r.users, count: r.users.length })) }
      : {}),
  };
}

const isReply = (m: FakeMessage) => m.threadTs !== undefined && m.threadTs !== m.ts;

/**
 * conversations.history: top-level messages only (thread replies are left out, as in Slack),
 * newest first, between `oldest` and `latest` (exclusive unless `inclusive`), `limit` at a time:
 * `has_more` and `response_metadata.next_cursor` lead to the next page.
 */
export const conversationsHistory: MethodHandler = ({ state, args }) => {
  const channel = findConversation(state, needString(args, 'channel', 'channel_not_found'));
  if (!channel.members.has(BOT_USER_ID)) throw new SlackFail('not_in_channel');
  const inclusive = optBool(args, 'inclusive');
  const latest = optString(args, 'latest');
  const oldest = optString(args, 'oldest');
  const inRange = (ts: number) =>
    (latest === undefined || (inclusive ? ts <= Number(latest) : ts < Number(latest))) &&
    (oldest === undefined || (inclusive ? ts >= Number(oldest) : ts > Number(oldest)));
  const all = channel.messages.filter((m) => !isReply(m) && inRange(Number(m.ts))).sort((a, b) => Number(b.ts) - Number(a.ts));
  const withMetadata = optBool(args, 'include_all_metadata');
  const { messages, ...more } = page(all, args, HISTORY_LIMIT, (m, at) => Number(m.ts) <= at);
  return { ok: true, messages: messages.map((m) => listed(m, withMetadata)), ...more };
};

/**
 * conversations.replies: the thread a message belongs to, parent first; a lone message alone.
 * Paginated like conversations.history, oldest first.
 */
export const conversationsReplies: MethodHandler = ({ state, args }) => {
  const channel = findConversation(state, needString(args, 'channel', 'channel_not_found'));
  const ts = needString(args, 'ts', 'thread_not_found');
  const message = channel.messages.find((m) => m.ts === ts);
  if (message === undefined) throw new SlackFail('thread_not_found');
  const parentTs = isReply(message) && message.threadTs !== undefined ? message.threadTs : message.ts;
  const thread = channel.messages.filter((m) => m.ts === parentTs || m.threadTs === parentTs).sort((a, b) => Number(a.ts) - Number(b.ts));
  const withMetadata = optBool(args, 'include_all_metadata');
  const { messages, ...more } = page(thread, args, REPLIES_LIMIT, (m, at) => Number(m.ts) >= at);
  return { ok: true, messages: messages.map((m) => listed(m, withMetadata)), ...more };
};
