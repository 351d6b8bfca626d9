import type { FakeState } from '../state.js';
import type { FakeChannel, FakeMessage } from '../types.js';
import {
  checkMessageBlocks,
  findConversation,
  type MethodContext,
  type MethodHandler,
  needString,
  optBlocks,
  optString,
  SlackFail,
} from './args.js';

/**
 * Slack's cap on a message's `text`. chat.postMessage truncates longer text and says so with
 * `warning: 'message_truncated'` (Slack's changelog, 2018-04 "truncating really long messages");
 * chat.update and chat.postEphemeral refuse it with `msg_too_long`.
 */
export const MAX_TEXT_LENGTH = 40_000;

/**
 * Where a message goes: a channel or DM id, or a user id, which Slack treats as "that user's DM
 * with the app". Public channels accept posts without membership (the bot has
 * `chat:write.public`); private ones do not exist for a non-member.
 */
function resolveTarget(state: FakeState, target: string, acceptUserId = true): FakeChannel {
  if (/^[UW]/.test(target)) {
    // chat.update needs the conversation the message is in; a user id is not one.
    if (!acceptUserId) throw new SlackFail('channel_not_found');
    if (!state.users.has(target)) throw new SlackFail('channel_not_found');
    return state.dmWith([target]);
  }
  const channel = findConversation(state, target);
  if (channel.archived) throw new SlackFail('is_archived');
  return channel;
}

/**
 * text and/or blocks; Slack wants at least one of them. Text over {@link MAX_TEXT_LENGTH} is
 * cut (`truncated`) when `onLongText` is `'truncate'` (chat.postMessage), else refused.
 */
function readContent(
  ctx: MethodContext,
  onLongText: 'truncate' | 'refuse' = 'refuse',
): { text: string; blocks: unknown[] | undefined; truncated: boolean } {
  const { args } = ctx;
  const sent = optString(args, 'text') ?? '';
  const blocks = optBlocks(args);
  if (sent === '' && (blocks === undefined || blocks.length === 0)) throw new SlackFail('no_text');
  const tooLong = sent.length > MAX_TEXT_LENGTH;
  if (tooLong && onLongText === 'refuse') throw new SlackFail('msg_too_long');
  checkMessageBlocks(ctx, blocks);
  return { text: tooLong ? sent.slice(0, MAX_TEXT_LENGTH) : sent, blocks, truncated: tooLong };
}

function messageJson(message: FakeMessage): Record<string, unknown> {
  return {
    type: 'message',
    user: message.user,
    text: message.text,
    ts: message.ts,
    ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
    ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
  };
}

function findMessage(channel: FakeChannel, ts: string): FakeMessage {
  const message = channel.messages.find((m) => m.ts === ts);
  if (message === undefined) throw new SlackFail('message_not_found');
  return message;
}

/** chat.postMessage */
export const chatPostMessage: MethodHandler = (ctx) => {
  const { state, args } = ctx;
  const channel = resolveTarget(state, needString(args, 'channel', 'channel_not_found'));
  const { text, blocks, truncated } = readContent(ctx, 'truncate');
  const threadTs = optString(args, 'thread_ts');
  const metadata = readMetadata(args['metadata']);
  const message = state.postMessage(channel, {
    text,
    blocks,
    ...(threadTs === undefined ? {} : { threadTs }),
    ...(metadata === undefined ? {} : { metadata }),
  });
  return {
    ok: true,
    channel: channel.id,
    ts: message.ts,
    message: messageJson(message),
    ...(truncated ? { warning: 'message_truncated', response_metadata: { warnings: ['message_truncated'] } } : {}),
  };
};

/** chat.update: only the bot's own messages, which is all the fake holds. */
export const chatUpdate: MethodHandler = (ctx) => {
  const { state, args } = ctx;
  const channel = resolveTarget(state, needString(args, 'channel', 'channel_not_found'), false);
  const message = findMessage(channel, needString(args, 'ts', 'message_not_found'));
  const { text, blocks } = readContent(ctx);
  message.text = text;
  message.blocks = blocks;
  message.edited = true;
  return { ok: true, channel: channel.id, ts: message.ts, text, message: messageJson(message) };
};

/** chat.postEphemeral: the user must be in the conversation to see it. */
export const chatPostEphemeral: MethodHandler = (ctx) => {
  const { state, args } = ctx;
  const channel = resolveTarget(state, needString(args, 'channel', 'channel_not_found'));
  const user = needString(args, 'user', 'user_not_found');
  if (!state.users.has(user)) throw new SlackFail('user_not_found');
  if (!channel.members.has(user)) throw new SlackFail('user_not_in_channel');
  const { text, blocks } = readContent(ctx);
  const messageTs = state.nextTs();
  state.ephemerals.push({ messageTs, channel: channel.id, user, text, blocks });
  return { ok: true, message_ts: messageTs };
};

/** chat.getPermalink */
export const chatGetPermalink: MethodHandler = ({ state, args }) => {
  const channel = findConversation(state, needString(args, 'channel', 'channel_not_found'));
  const message = findMessage(channel, needString(args, 'message_ts', 'message_not_found'));
  const permalink = `https://meridian-test.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}`;
  return { ok: true, channel: channel.id, permalink };
};

/**
 * Message metadata as Slack accepts it: an object with a non-empty string `event_type` and an
 * object `event_payload`. Anything else is refused with `invalid_metadata_format`, as Slack does
 * (a string that is not JSON arrives here as that string, and is refused too).
 */
function readMetadata(raw: unknown): FakeMessage['metadata'] {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new SlackFail('invalid_metadata_format');
  const { event_type, event_payload } = raw as { event_type?: unknown; event_payload?: unknown };
  if (typeof event_type !== 'string' || event_type === '') throw new SlackFail('invalid_metadata_format');
  if (typeof event_payload !== 'object' || event_payload === null || Array.isArray(event_payload)) {
    throw new SlackFail('invalid_metadata_format');
  }
  return { event_type, event_payload: event_payload as Record<string, unknown> };
}
