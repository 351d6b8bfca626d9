import { BOT_USER_ID } from '../state.js';
import type { FakeMessage } from '../types.js';
import { findConversation, type MethodHandler, needString, optBool, optString, SlackFail } from './args.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

function limitOf(args: Record<string, unknown>): number {
  const raw = Number(optString(args, 'limit') ?? DEFAULT_LIMIT);
  return Math.min(Math.max(Number.isFinite(raw) ? Math.floor(raw) : DEFAULT_LIMIT, 1), MAX_LIMIT);
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
 * newest first, between `oldest` and `latest` (exclusive unless `inclusive`). No pagination:
 * `has_more` says whether `limit` cut the list.
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
  const limit = limitOf(args);
  const withMetadata = optBool(args, 'include_all_metadata');
  return {
    ok: true,
    messages: all.slice(0, limit).map((m) => listed(m, withMetadata)),
    has_more: all.length > limit,
    response_metadata: { next_cursor: '' },
  };
};

/** conversations.replies: the thread a message belongs to, parent first; a lone message alone. */
export const conversationsReplies: MethodHandler = ({ state, args }) => {
  const channel = findConversation(state, needString(args, 'channel', 'channel_not_found'));
  const ts = needString(args, 'ts', 'thread_not_found');
  const message = channel.messages.find((m) => m.ts === ts);
  if (message === undefined) throw new SlackFail('thread_not_found');
  const parentTs = isReply(message) && message.threadTs !== undefined ? message.threadTs : message.ts;
  const thread = channel.messages.filter((m) => m.ts === parentTs || m.threadTs === parentTs).sort((a, b) => Number(a.ts) - Number(b.ts));
  const limit = limitOf(args);
  return {
    ok: true,
    messages: thread.slice(0, limit).map((m) => listed(m)),
    has_more: thread.length > limit,
    response_metadata: { next_cursor: '' },
  };
};
