import { channelReaches } from './grid.js';
import { BOT_USER_ID } from '../state.js';
import {
  channelJson,
  findConversation,
  memberConversation,
  type MethodHandler,
  needString,
  optList,
  optString,
  SlackFail,
} from './args.js';

const MAX_TOPIC_LENGTH = 250;
const MAX_INVITES = 1000;

/** conversations.setTopic: 250 characters at most. */
export const conversationsSetTopic: MethodHandler = ({ state, args }) => {
  const channel = memberConversation(state, needString(args, 'channel', 'channel_not_found'));
  const topic = optString(args, 'topic') ?? '';
  if ([...topic].length > MAX_TOPIC_LENGTH) throw new SlackFail('too_long');
  channel.topic = topic;
  return { ok: true, channel: channelJson(channel) };
};

/**
 * conversations.invite: one bad user fails the whole call, as in Slack; `errors` lists each
 * user's problem so a client can tell which one it was.
 */
export const conversationsInvite: MethodHandler = ({ state, args }) => {
  const channel = memberConversation(state, needString(args, 'channel', 'channel_not_found'));
  const users = [...new Set(optList(args, 'users'))];
  if (users.length === 0) throw new SlackFail('no_user');
  if (users.length > MAX_INVITES) throw new SlackFail('too_many_users');
  const errors: Array<{ user: string; ok: false; error: string }> = [];
  for (const user of users) {
    const error =
      user === BOT_USER_ID
        ? 'cant_invite_self'
        : !state.users.has(user)
          ? 'user_not_found'
          : // A person of another workspace of the org: only once the channel is shared to it.
            !channelReaches(channel, state.users.get(user)?.teamId)
            ? 'cant_invite'
            : channel.members.has(user)
              ? 'already_in_channel'
              : undefined;
    if (error !== undefined) errors.push({ user, ok: false, error });
  }
  const first = errors[0];
  if (first !== undefined) throw new SlackFail(first.error, { errors });
  for (const user of users) channel.members.add(user);
  return { ok: true, channel: channelJson(channel) };
};

/** conversations.info */
export const conversationsInfo: MethodHandler = ({ state, args }) => {
  const channel = findConversation(state, needString(args, 'channel', 'channel_not_found'));
  return { ok: true, channel: channelJson(channel) };
};

/** conversations.members: cursor pagination like Slack (opaque cursor, empty when done). */
export const conversationsMembers: MethodHandler = ({ state, args }) => {
  const channel = findConversation(state, needString(args, 'channel', 'channel_not_found'));
  const limit = Math.min(Math.max(Number(optString(args, 'limit') ?? 100) || 100, 1), 1000);
  const cursor = optString(args, 'cursor');
  const offset = cursor === undefined ? 0 : Number(Buffer.from(cursor, 'base64url').toString('utf8').slice(7));
  if (!Number.isInteger(offset) || offset < 0) throw new SlackFail('invalid_cursor');
  const all = [...channel.members];
  const page = all.slice(offset, offset + limit);
  const next = offset + limit < all.length ? Buffer.from(`offset:${offset + limit}`).toString('base64url') : '';
  return { ok: true, members: page, response_metadata: { next_cursor: next } };
};

/** conversations.open: a stable DM per user (a group DM for several users). */
export const conversationsOpen: MethodHandler = ({ state, args, teamId, install }) => {
  const existing = optString(args, 'channel');
  if (existing !== undefined) {
    return { ok: true, channel: { id: findConversation(state, existing).id } };
  }
  const users = optList(args, 'users');
  if (users.length === 0) throw new SlackFail('users_list_not_supplied');
  if (users.length > 8) throw new SlackFail('too_many_users');
  for (const user of users) {
    const known = state.users.get(user);
    if (known === undefined) throw new SlackFail('user_not_found');
    // An org-wide token opens the DM in the workspace it names; the person must be in it.
    if (install?.orgWide === true && teamId !== undefined && known.teamId !== teamId) throw new SlackFail('user_not_found');
  }
  return { ok: true, channel: { id: state.dmWith(users, teamId).id } };
};

/** conversations.archive */
export const conversationsArchive: MethodHandler = ({ state, args }) => {
  const channel = findConversation(state, needString(args, 'channel', 'channel_not_found'));
  if (channel.isIm || channel.isMpim) throw new SlackFail('method_not_supported_for_channel_type');
  if (channel.archived) throw new SlackFail('already_archived');
  if (!channel.members.has(BOT_USER_ID)) throw new SlackFail('not_in_channel');
  channel.archived = true;
  return { ok: true };
};
