import { SlackApiError } from './errors.js';
import { type GatewayContext, required, succeedingOn } from './gateway-support.js';

/** Outcome of {@link channelMethods} `invite`, user by user. */
export interface InviteResult {
  /** Newly added. */
  invited: string[];
  /** Already members (or the bot itself): nothing to do. */
  alreadyIn: string[];
  /** Could not be added, with Slack's reason (`user_not_found`, `user_is_restricted`, ...). */
  failed: Array<{ userId: string; code: string }>;
}

/** Codes that concern one invitee, not the channel: the other invitees can still be added. */
const PER_USER_INVITE_ERRORS = new Set([
  'already_in_channel',
  'cant_invite_self',
  'user_not_found',
  'cant_invite',
  'user_is_restricted',
  'user_is_ultra_restricted',
  'user_is_bot',
  'ura_max_channels',
  'user_team_not_in_channel',
  'missing_profile_id',
]);
const ALREADY_IN = new Set(['already_in_channel', 'cant_invite_self']);
const MEMBERS_PAGE_SIZE = 200;

/** Channel lifecycle and membership. */
export function channelMethods({ client, call }: GatewayContext) {
  /** Invites `users` in one call; a per-user error is returned, anything else thrown. */
  async function inviteAll(channelId: string, users: readonly string[]): Promise<string | undefined> {
    try {
      await call('conversations.invite', () => client.conversations.invite({ channel: channelId, users: users.join(',') }));
      return undefined;
    } catch (err) {
      if (err instanceof SlackApiError && PER_USER_INVITE_ERRORS.has(err.code)) return err.code;
      throw err;
    }
  }

  function note(result: InviteResult, userId: string, code: string | undefined): void {
    if (code === undefined) result.invited.push(userId);
    else if (ALREADY_IN.has(code)) result.alreadyIn.push(userId);
    else result.failed.push({ userId, code });
  }

  return {
    /** conversations.create. Throws ChannelNameTaken / InvalidChannelName. */
    async createChannel(input: { name: string; isPrivate: boolean }): Promise<{ id: string; name: string }> {
      const res = await call('conversations.create', () => client.conversations.create({ name: input.name, is_private: input.isPrivate }));
      const channel = required(res.channel, 'conversations.create', 'channel');
      return { id: required(channel.id, 'conversations.create', 'channel.id'), name: channel.name ?? input.name };
    },

    /** conversations.setTopic (250 characters at most, else code `too_long`). */
    async setTopic(channelId: string, topic: string): Promise<void> {
      await call('conversations.setTopic', () => client.conversations.setTopic({ channel: channelId, topic }));
    },

    /**
     * Adds users to a channel in one call. Slack fails the whole call when one invitee is bad,
     * so then each user is invited alone and the result says who got in. Channel-level errors
     * (ChannelNotFound, NotInChannel, `is_archived`, auth) are thrown.
     */
    async invite(channelId: string, userIds: readonly string[]): Promise<InviteResult> {
      const users = [...new Set(userIds)];
      const result: InviteResult = { invited: [], alreadyIn: [], failed: [] };
      if (users.length === 0) return result;
      const code = await inviteAll(channelId, users);
      if (code === undefined || users.length === 1) {
        for (const userId of users) note(result, userId, code);
        return result;
      }
      // One at a time, in order: parallel calls would burst through the Tier 3 limit.
      for (const userId of users) note(result, userId, await inviteAll(channelId, [userId]));
      return result;
    },

    /** conversations.members, every page. */
    async channelMembers(channelId: string): Promise<string[]> {
      const members: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await call('conversations.members', () =>
          client.conversations.members({ channel: channelId, limit: MEMBERS_PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
        );
        members.push(...(page.members ?? []));
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor !== undefined);
      return members;
    },

    /** conversations.archive; an already archived channel counts as success. */
    async archiveChannel(channelId: string): Promise<void> {
      await succeedingOn(['already_archived'], () =>
        call('conversations.archive', () => client.conversations.archive({ channel: channelId })),
      );
    },

    /** pins.add; an already pinned message counts as success. */
    async pin(channelId: string, ts: string): Promise<void> {
      await succeedingOn(['already_pinned'], () => call('pins.add', () => client.pins.add({ channel: channelId, timestamp: ts })));
    },

    /** pins.remove; a message that is not pinned counts as success. */
    async unpin(channelId: string, ts: string): Promise<void> {
      await succeedingOn(['no_pin'], () => call('pins.remove', () => client.pins.remove({ channel: channelId, timestamp: ts })));
    },
  };
}
