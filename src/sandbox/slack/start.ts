import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { CallLog } from './call-log.js';
import { FaultQueue, type FaultMatch } from './faults.js';
import { RateLimiter } from './rate-limits.js';
import { ResponseUrls } from './response-urls.js';
import { startServer } from './server.js';
import { FakeOAuth } from './methods/grid.js';
import {
  BOT_ID,
  BOT_USER_ID,
  DEFAULT_FAKE_USERS,
  type FakeEnterprise,
  FakeState,
  type FakeTeam,
  type StateSnapshot,
  TEAM_ID,
} from './state.js';
import type { FakeCanvas, FakeChannel, FakeEphemeral, FakeFile, FakeUser, FakeView, Fault, RecordedCall } from './types.js';

/** Options of {@link startFakeSlack}. */
export interface FakeSlackOptions {
  /** The only token the fake accepts. Default `xoxb-test-token`. */
  token?: string;
  /**
   * The bot token's scopes. Default: the `oauth_config.scopes.bot` of the manifest at
   * `manifestPath`, as if the app were installed from it. Pass fewer to see what breaks.
   */
  scopes?: readonly string[];
  /** The manifest the app is installed from. Default the repository's `manifests/slack-app.yaml`. */
  manifestPath?: string | URL;
  /** Workspace members. Default {@link DEFAULT_FAKE_USERS}; the bot user is always there. */
  users?: readonly FakeUser[];
  /**
   * Enforce Slack's Block Kit size limits (section text 3,000, 50 blocks a message, view title
   * 24, ...; see `block-kit-limits.ts`): messages over them answer `invalid_blocks`, views
   * `invalid_arguments`. Default on, so every test checks that what the bot sends fits;
   * `enforceBlockKitLimits` flips it while the fake runs.
   */
  blockKitLimits?: boolean;
  /** Message timestamps from the wall clock, as in Slack (the sandbox); default a fixed epoch counting up. */
  realTimestamps?: boolean;
  /** The workspace as a previous run left it (see `FakeState.snapshot`). */
  restore?: StateSnapshot;
  /** Told of every answered call (see `ServerDeps.onCall`). */
  onCall?: (call: RecordedCall) => void;
  /** How many calls `calls` keeps; default all. */
  keepCalls?: number;
  /**
   * Slack's per-method rate limits (`rate-limits.ts`), on by default at Slack's published rates.
   * `scale` multiplies them: give the fake the same scale as the bot's `SLACK_RATE_SCALE`, so it
   * refuses exactly what the bot would overrun. `false` turns enforcement off: only for tests of
   * the enforcement itself.
   */
  rateLimits?: { scale?: number } | false;
  /**
   * Plays an Enterprise Grid org: these workspaces (the first is the default for users and
   * channels) under one enterprise. The fake's own `token` is then a workspace token of the
   * first; an org-wide token comes from the OAuth install (`grantInstall`).
   */
  org?: { enterprise: FakeEnterprise; teams: readonly FakeTeam[] };
  /** The Slack app's OAuth credentials, checked by oauth.v2.access. Default {@link FAKE_OAUTH_APP}. */
  oauthApp?: { clientId: string; clientSecret: string; appId: string };
}

/** The OAuth credentials of the app the fake plays unless told others. */
export const FAKE_OAUTH_APP = { clientId: '1111.2222', clientSecret: 'fake-client-secret', appId: 'A0MERIDIAN' } as const;

/** A running fake Slack Web API. */
export interface FakeSlack {
  /** Web API base URL, ending in `/api/`: give it to WebClient as `slackApiUrl`. */
  readonly url: string;
  readonly token: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  /** The workspace itself, for the sandbox's page (tests use the helpers below). */
  readonly state: FakeState;
  /**
   * Every request, in the order answered (faults included). A `hang` is recorded on arrival
   * with status 0; a `delay` the client gave up on, with status 0 when the delay ends.
   * `at` is always the arrival time.
   */
  readonly calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  lastCallTo(method: string): RecordedCall | undefined;
  waitForCall(method: string, predicate?: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** Clears recorded calls; keeps the workspace state and queued faults. */
  reset(): void;

  addUser(user: FakeUser): void;
  addUsergroup(id: string, userIds: readonly string[]): void;
  /** Seeds a channel, e.g. a private one the bot is not in. Returns its id. */
  addChannel(input: { name: string; isPrivate?: boolean; members?: readonly string[]; botIsMember?: boolean }): string;
  channel(id: string): FakeChannel | undefined;
  channelByName(name: string): FakeChannel | undefined;
  /** A message typed by `user` in a channel (not through the bot); returns its ts. */
  postAsUser(channelId: string, input: { user: string; text: string; threadTs?: string }): string;
  /** The DM id between the bot and this user (created if needed, like conversations.open). */
  dmChannelId(userId: string): string;
  views(): FakeView[];
  view(id: string): FakeView | undefined;
  ephemerals(): FakeEphemeral[];
  files(): FakeFile[];
  /** Canvases made with canvases.create, as last edited. */
  canvases(): FakeCanvas[];
  /**
   * A fresh response URL for a command or interaction by `user` in `channel` (5 uses, 30 min):
   * a POST shows `user` an ephemeral there (member or not), or with `response_type: in_channel`
   * posts in the channel. Recorded as calls to `response_url`.
   */
  responseUrl(user: string, channel: string): string;
  /** A fresh trigger id, valid for 3 s and one views.open; `ageMs` makes it that old already. */
  mintTriggerId(opts?: { ageMs?: number }): string;

  /**
   * Makes the next `times` (default 1) calls to `method` (or `*`) fail with `fault`; with `when`,
   * only calls whose arguments it accepts (others pass untouched).
   */
  fail(method: string, fault: Fault, opts?: { times?: number; when?: FaultMatch }): void;
  clearFaults(): void;
  /** The scopes a token has (default: the fake's own token), sorted. */
  scopesOf(token?: string): string[];
  /** Adds scopes to a token, as reinstalling the app with a longer manifest does (Slack keeps the token). */
  grantScopes(scopes: readonly string[], token?: string): void;
  /** Installs the app again under a new token with these scopes (default the manifest's); returns the token. */
  install(opts?: { scopes?: readonly string[] }): string;
  /** Revokes a token (default the fake's own): every call with it answers `token_revoked`. */
  revokeToken(token?: string): void;
  /** Turns Slack's per-method rate limits on or off (on by default); `scale` multiplies every tier's burst and rate. */
  enforceRateLimits(on: boolean, opts?: { scale?: number }): void;
  /** Turns Block Kit size limits on or off (see {@link FakeSlackOptions.blockKitLimits}). */
  enforceBlockKitLimits(on: boolean): void;
  /**
   * What Slack's install page does when `installer` clicks "Allow": a one-time code for the
   * app's redirect URL. `orgWide`: an org-wide install (no workspace until `addToWorkspaces`).
   */
  grantInstall(opts: {
    orgWide?: boolean;
    teamId?: string;
    scopes?: readonly string[];
    userScopes?: readonly string[];
    installer: string;
  }): string;
  /** The org admin adds an org-wide install to these workspaces. */
  addToWorkspaces(token: string, teamIds: readonly string[]): void;
  /** The org admin removes the app from these workspaces (Slack then sends `team_access_revoked`). */
  removeFromWorkspaces(token: string, teamIds: readonly string[]): void;
  /** Every installation's token, newest last (the tokens the OAuth exchange minted among them). */
  tokens(): string[];
  /** Stops the server and drops hanging connections. Safe to call twice. */
  close(): Promise<void>;
}

const DEFAULT_MANIFEST = new URL('../../../manifests/slack-app.yaml', import.meta.url);

/** The bot scopes a manifest asks for; a manifest without them is a mistake worth stopping on. */
export function manifestBotScopes(path: string | URL = DEFAULT_MANIFEST): string[] {
  const manifest = parseYaml(readFileSync(path, 'utf8')) as { oauth_config?: { scopes?: { bot?: unknown } } };
  const scopes = manifest.oauth_config?.scopes?.bot;
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) {
    throw new Error(`fake Slack: ${String(path)} has no oauth_config.scopes.bot list`);
  }
  return scopes;
}

let tokenSeq = 0;

/** Starts a fake Slack Web API on 127.0.0.1 with a free port. */
export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const token = opts.token ?? 'xoxb-test-token';
  const state = new FakeState(opts.users ?? DEFAULT_FAKE_USERS, {
    realTimestamps: opts.realTimestamps ?? false,
    ...(opts.org === undefined ? {} : { org: opts.org }),
  });
  const oauth = new FakeOAuth(opts.oauthApp ?? FAKE_OAUTH_APP);
  const manifestScopes = manifestBotScopes(opts.manifestPath);
  state.install(token, opts.scopes ?? manifestScopes);
  const installOf = (t: string | undefined) => {
    const install = state.installs.get(t ?? token);
    if (install === undefined) throw new Error('fake Slack: no such token installed');
    return install;
  };
  if (opts.restore !== undefined) state.restore(opts.restore);
  const log = new CallLog(opts.keepCalls);
  const faults = new FaultQueue();
  const limiter = new RateLimiter();
  limiter.enabled = opts.rateLimits !== false;
  limiter.scale = (opts.rateLimits === false ? undefined : opts.rateLimits?.scale) ?? 1;
  const settings = { blockKitLimits: opts.blockKitLimits ?? true };
  const responses = new ResponseUrls();
  const server = await startServer({
    state,
    log,
    faults,
    limiter,
    responses,
    settings,
    oauth,
    ...(opts.onCall === undefined ? {} : { onCall: opts.onCall }),
  });
  return {
    url: `${server.baseUrl}/api/`,
    token,
    botUserId: BOT_USER_ID,
    botId: BOT_ID,
    teamId: opts.org?.teams[0]?.id ?? TEAM_ID,
    state,
    calls: log.calls,
    callsTo: (method) => log.callsTo(method),
    lastCallTo: (method) => log.lastCallTo(method),
    waitForCall: (method, predicate, timeoutMs) => log.waitForCall(method, predicate, timeoutMs),
    reset: () => log.reset(),
    addUser: (user) => state.addUser(user),
    addUsergroup: (id, userIds) => void state.usergroups.set(id, [...userIds]),
    addChannel: (input) => state.addChannel(input).id,
    channel: (id) => state.channels.get(id),
    channelByName: (name) => state.channelByName(name),
    postAsUser: (channelId, input) => {
      const channel = state.channels.get(channelId);
      if (channel === undefined) throw new Error(`fake Slack: no channel ${channelId}`);
      return state.postUserMessage(channel, input.user, input).ts;
    },
    dmChannelId: (userId) => state.dmWith([userId]).id,
    views: () => [...state.views.values()],
    view: (id) => state.views.get(id),
    ephemerals: () => [...state.ephemerals],
    files: () => [...state.files.values()],
    canvases: () => [...state.canvases.values()],
    responseUrl: (user, channel) => responses.mint(server.baseUrl, user, channel),
    mintTriggerId: (mintOpts) => state.mintTriggerId(mintOpts?.ageMs ?? 0),
    fail: (method, fault, failOpts) => faults.add(method, fault, failOpts?.times ?? 1, failOpts?.when),
    clearFaults: () => faults.clear(),
    scopesOf: (t) => [...installOf(t).scopes].sort(),
    grantScopes: (scopes, t) => {
      const install = installOf(t);
      for (const scope of scopes) install.scopes.add(scope);
    },
    install: (installOpts) => {
      tokenSeq += 1;
      const fresh = `xoxb-test-reinstalled-${tokenSeq}`;
      state.install(fresh, installOpts?.scopes ?? manifestScopes);
      return fresh;
    },
    revokeToken: (t) => {
      installOf(t).revoked = true;
    },
    enforceRateLimits: (on, limitOpts) => {
      limiter.enabled = on;
      if (limitOpts?.scale !== undefined) limiter.scale = limitOpts.scale;
      limiter.reset();
    },
    enforceBlockKitLimits: (on) => {
      settings.blockKitLimits = on;
    },
    grantInstall: (grant) =>
      oauth.grant({
        orgWide: grant.orgWide === true,
        scopes: grant.scopes ?? manifestScopes,
        installer: grant.installer,
        ...(grant.userScopes === undefined ? {} : { userScopes: grant.userScopes }),
        ...(grant.teamId === undefined ? {} : { teamId: grant.teamId }),
      }),
    addToWorkspaces: (t, teamIds) => {
      for (const id of teamIds) installOf(t).teams.add(id);
    },
    removeFromWorkspaces: (t, teamIds) => {
      for (const id of teamIds) installOf(t).teams.delete(id);
    },
    tokens: () => [...state.installs.keys()],
    close: () => server.close(),
  };
}
