import { SlackApiError } from './errors.js';
import { type GatewayContext, required } from './gateway-support.js';

/** A Slack user as Meridian needs one. */
export interface SlackUser {
  id: string;
  name: string;
  realName: string;
  /** The name Slack shows for the person (profile display name); empty when they set none. */
  displayName?: string;
  /** IANA zone; `UTC` when Slack has none (bots). */
  tz: string;
  tzLabel: string;
  isBot: boolean;
  email?: string;
}

/** Who we are, as Slack sees the token. */
export interface AuthIdentity {
  userId: string;
  botId?: string;
  teamId: string;
  team?: string;
  url?: string;
  /** The token's scopes, from the `x-oauth-scopes` header Slack sends with every answer; absent if it was not sent. */
  scopes?: string[];
}

/** Identity, users and user groups. */
export function userMethods({ client, call }: GatewayContext) {
  return {
    /** auth.test: checks the token and tells the bot's own ids. */
    async authTest(): Promise<AuthIdentity> {
      const res = await call('auth.test', () => client.auth.test());
      return {
        userId: required(res.user_id, 'auth.test', 'user_id'),
        teamId: required(res.team_id, 'auth.test', 'team_id'),
        ...(res.bot_id === undefined ? {} : { botId: res.bot_id }),
        ...(res.team === undefined ? {} : { team: res.team }),
        ...(res.url === undefined ? {} : { url: res.url }),
        ...(res.response_metadata?.scopes === undefined ? {} : { scopes: res.response_metadata.scopes.filter((s) => s !== '') }),
      };
    },

    /** users.info */
    async userInfo(userId: string): Promise<SlackUser> {
      const res = await call('users.info', () => client.users.info({ user: userId }));
      const user = required(res.user, 'users.info', 'user');
      const email = user.profile?.email;
      return {
        id: required(user.id, 'users.info', 'user.id'),
        name: user.name ?? '',
        realName: user.real_name ?? user.profile?.real_name ?? user.name ?? '',
        displayName: user.profile?.display_name ?? '',
        tz: user.tz ?? 'UTC',
        tzLabel: user.tz_label ?? 'UTC',
        isBot: user.is_bot ?? false,
        ...(email === undefined || email === '' ? {} : { email }),
      };
    },

    /** users.lookupByEmail: the user id, or null when no member has that address. */
    async lookupUserByEmail(email: string): Promise<string | null> {
      try {
        const res = await call('users.lookupByEmail', () => client.users.lookupByEmail({ email }));
        return required(res.user?.id, 'users.lookupByEmail', 'user.id');
      } catch (err) {
        if (err instanceof SlackApiError && err.code === 'users_not_found') return null;
        throw err;
      }
    },

    /** usergroups.users.list: member ids of a user group (code `no_such_subteam` if unknown). */
    async usergroupMembers(groupId: string): Promise<string[]> {
      const res = await call('usergroups.users.list', () => client.usergroups.users.list({ usergroup: groupId }));
      return res.users ?? [];
    },

    /**
     * usergroups.users.update: sets a user group's members to exactly `userIds` (Slack refuses
     * an empty list: `no_users_provided`; unknown people: `invalid_users`; an unknown group:
     * `no_such_subteam`). Returns the members Slack now lists.
     */
    async setUsergroupMembers(groupId: string, userIds: readonly string[]): Promise<string[]> {
      const res = await call('usergroups.users.update', () =>
        client.usergroups.users.update({ usergroup: groupId, users: userIds.join(',') }),
      );
      return res.usergroup?.users ?? [...userIds];
    },
  };
}
