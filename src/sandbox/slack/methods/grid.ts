import { BOT_ID, BOT_USER_ID, TEAM_NAME, type FakeState } from '../state.js';
import { type MethodHandler, needString, optBool, optList, SlackFail } from './args.js';

/** The Slack app the fake plays: the client id and secret the OAuth code exchange checks. */
export interface FakeOAuthApp {
  clientId: string;
  clientSecret: string;
  appId: string;
}

/** A code Slack hands the installer's browser after "Allow": exchanged once at oauth.v2.access. */
export interface PendingInstall {
  orgWide: boolean;
  /** For a workspace install: the workspace. */
  teamId?: string;
  scopes: readonly string[];
  /** User scopes granted to the installer (an org admin's `admin.conversations:write`). */
  userScopes?: readonly string[];
  installer: string;
}

/** The OAuth side of the fake: the app, the codes handed out, the tokens they became. */
export class FakeOAuth {
  readonly codes = new Map<string, PendingInstall>();
  private seq = 0;
  constructor(readonly app: FakeOAuthApp) {}

  /** What the Slack page does when an admin clicks "Allow": a one-time code. */
  grant(install: PendingInstall): string {
    this.seq += 1;
    const code = `code-${this.seq}.${Math.random().toString(16).slice(2, 10)}`;
    this.codes.set(code, install);
    return code;
  }

  nextToken(orgWide: boolean, kind: 'xoxb' | 'xoxp' = 'xoxb'): string {
    this.seq += 1;
    return `${kind}-${orgWide ? 'org' : 'ws'}-${this.seq}-${Math.random().toString(16).slice(2, 10)}`;
  }
}

/**
 * oauth.v2.access: exchanges a code for a bot token. An org-wide install answers
 * `is_enterprise_install: true`, `team: null` and the `enterprise`; the token reaches no
 * workspace until the org admin adds the app to some (Slack's documented trap).
 */
export function oauthV2Access(oauth: FakeOAuth): MethodHandler {
  return ({ state, args }) => {
    const clientId = needString(args, 'client_id', 'invalid_client_id');
    if (clientId !== oauth.app.clientId) throw new SlackFail('invalid_client_id');
    if (needString(args, 'client_secret', 'bad_client_secret') !== oauth.app.clientSecret) throw new SlackFail('bad_client_secret');
    const code = needString(args, 'code', 'invalid_code');
    const pending = oauth.codes.get(code);
    if (pending === undefined) throw new SlackFail('invalid_code');
    oauth.codes.delete(code);
    const token = oauth.nextToken(pending.orgWide);
    state.install(token, pending.scopes, { orgWide: pending.orgWide, ...(pending.teamId === undefined ? {} : { teamId: pending.teamId }) });
    const team = pending.orgWide ? null : state.teams.get(pending.teamId ?? state.defaultTeamId());
    const userScopes = pending.userScopes ?? [];
    let authedUser: Record<string, unknown> = { id: pending.installer };
    if (userScopes.length > 0) {
      // The installer's own token: an org admin's admin.* scopes reach every workspace of the org.
      const userToken = oauth.nextToken(pending.orgWide, 'xoxp');
      const userInstall = state.install(userToken, userScopes, { orgWide: pending.orgWide });
      for (const id of state.teams.keys()) userInstall.teams.add(id);
      authedUser = { ...authedUser, scope: userScopes.join(','), access_token: userToken, token_type: 'user' };
    }
    return {
      ok: true,
      app_id: oauth.app.appId,
      authed_user: authedUser,
      scope: pending.scopes.join(','),
      token_type: 'bot',
      access_token: token,
      bot_user_id: BOT_USER_ID,
      team: team === null || team === undefined ? null : { id: team.id, name: team.name },
      enterprise: state.enterprise === undefined ? null : { id: state.enterprise.id, name: state.enterprise.name },
      is_enterprise_install: pending.orgWide,
    };
  };
}

/** auth.test: who the token belongs to; an org-wide token answers for its org. */
export const authTest: MethodHandler = ({ state, baseUrl, install }) => {
  const enterprise = state.enterprise === undefined ? {} : { enterprise_id: state.enterprise.id };
  if (install?.orgWide === true) {
    return {
      ok: true,
      url: baseUrl,
      team: state.enterprise?.name ?? TEAM_NAME,
      user: 'meridian',
      team_id: state.enterprise?.id,
      user_id: BOT_USER_ID,
      bot_id: BOT_ID,
      is_enterprise_install: true,
      ...enterprise,
    };
  }
  const teamId = install?.teams.values().next().value ?? state.defaultTeamId();
  return {
    ok: true,
    url: baseUrl,
    team: state.teams.get(teamId)?.name ?? TEAM_NAME,
    user: 'meridian',
    team_id: teamId,
    user_id: BOT_USER_ID,
    bot_id: BOT_ID,
    is_enterprise_install: false,
    ...enterprise,
  };
};

/** team.info: the workspace named by `team` (or `team_id`), else the call's. */
export const teamInfo: MethodHandler = ({ state, args, teamId }) => {
  const id = (typeof args['team'] === 'string' ? args['team'] : undefined) ?? teamId ?? state.defaultTeamId();
  const team = state.teams.get(id);
  if (team === undefined) throw new SlackFail('team_not_found');
  return { ok: true, team: { id: team.id, name: team.name, domain: team.domain, ...enterpriseOf(state) } };
};

function enterpriseOf(state: FakeState): Record<string, unknown> {
  return state.enterprise === undefined ? {} : { enterprise_id: state.enterprise.id, enterprise_name: state.enterprise.name };
}

/**
 * admin.conversations.setTeams: shares a channel with other workspaces of the org. Needs an
 * org-wide token with `admin.conversations:write` (checked by the server before this runs).
 */
export const adminConversationsSetTeams: MethodHandler = ({ state, args }) => {
  const channel = state.channels.get(needString(args, 'channel_id', 'channel_not_found'));
  if (channel === undefined || channel.isIm || channel.isMpim) throw new SlackFail('channel_not_found');
  if (optBool(args, 'org_channel')) {
    channel.sharedTeamIds = [...state.teams.keys()].filter((id) => id !== channel.teamId);
    return { ok: true };
  }
  const targets = optList(args, 'target_team_ids');
  if (targets.length === 0) throw new SlackFail('invalid_arguments');
  for (const id of targets) if (!state.teams.has(id)) throw new SlackFail('team_not_found');
  channel.sharedTeamIds = [...new Set([...(channel.sharedTeamIds ?? []), ...targets])].filter((id) => id !== channel.teamId);
  return { ok: true };
};

/** Whether a user of the org may be in this channel: it lives in their workspace or is shared to it. */
export function channelReaches(channel: { teamId?: string; sharedTeamIds?: string[] }, userTeamId: string | undefined): boolean {
  if (userTeamId === undefined || channel.teamId === undefined) return true;
  return channel.teamId === userTeamId || (channel.sharedTeamIds ?? []).includes(userTeamId);
}
