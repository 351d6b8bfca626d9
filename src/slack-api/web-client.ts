import http from 'node:http';
import https from 'node:https';
import { type FetchFunction, LogLevel, type Logger as WebClientLogger, WebClient } from '@slack/web-api';
import { WorkspaceUnavailable } from './errors.js';
import { ORG_TOKEN_NEEDS_TEAM_ID } from './org-token.js';
import { currentWorkspace, memoryRoutingMemory, type Workspace, type WorkspaceRouting, type WorkspaceToken } from './workspace.js';

/** The logger the gateway needs: pino's object-first shape (a pino Logger fits). */
export interface GatewayLogger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

/**
 * WebClient's own logger, kept quiet: its info line on every 429 and its "http request failed"
 * warnings duplicate what the gateway logs with context, and its debug lines dump request
 * bodies (user text). Its warnings and errors go to our debug level, stringified, so nothing
 * is lost when debugging and nothing noisy reaches production logs.
 */
function quietLogger(logger: GatewayLogger): WebClientLogger {
  let level = LogLevel.WARN;
  const forward =
    (severity: string) =>
    (...msg: unknown[]): void =>
      logger.debug({ webClient: severity, detail: msg.map(String).join(' ').slice(0, 500) }, 'WebClient log');
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: forward('warn'),
    error: forward('error'),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** Sockets kept open between calls; idle ones close before a server's usual 5 s keep-alive limit. */
const agents = {
  http: new http.Agent({ keepAlive: true, timeout: 4_000 }),
  https: new https.Agent({ keepAlive: true, timeout: 4_000 }),
};

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

function timeoutError(ms: number): Error {
  const err = new Error(`Slack did not answer within ${ms} ms`);
  // The name fetch gives its timeout: the gateway classifies a failure by it (classify-failure.ts).
  err.name = 'TimeoutError';
  return err;
}

function responseOf(url: string, res: http.IncomingMessage, body: Buffer): FetchResponse {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const status = res.statusCode ?? 0;
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: res.statusMessage ?? '',
    url,
    headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null, entries: () => headers.entries() },
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
    json: async () => JSON.parse(body.toString('utf8')) as unknown,
    text: async () => body.toString('utf8'),
  };
}

/**
 * WebClient's transport: node:http on keep-alive agents, with one plain timer per call for the
 * whole-call timeout. The default (global fetch with a fresh `AbortSignal.timeout` per call)
 * cost about a third more CPU per Slack call in the escalation bench. Multipart bodies (file
 * uploads) still go through fetch.
 */
function keepAliveFetch(timeoutMs: number): FetchFunction {
  return (input, init = {}) => {
    const url = String(input);
    const { body } = init;
    if (body !== undefined && typeof body !== 'string') {
      return globalThis.fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    }
    return new Promise<FetchResponse>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const req = (secure ? https : http).request(target, {
        method: init.method ?? 'GET',
        headers: { ...init.headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) },
        agent: secure ? agents.https : agents.http,
      });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        req.destroy(timeoutError(timeoutMs));
      }, timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      req.on('error', fail);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('close', () => {
          if (!res.complete) fail(timedOut ? timeoutError(timeoutMs) : new Error('the connection closed before the answer was complete'));
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve(responseOf(url, res, Buffer.concat(chunks)));
        });
      });
      req.end(body);
    });
  };
}

/** WebClient's own default base URL. */
const DEFAULT_API_URL = 'https://slack.com/api/';

/** What the transport asks of a pacer: wait for a token before a request, and hear of a 429's Retry-After. */
export interface RequestPacing {
  before(method: string, channel: string | undefined, workspace?: string): Promise<void>;
  retryAfter(method: string, channel: string | undefined, ms: number, workspace?: string): Promise<void>;
}

/** The `channel` argument of a request body (form-encoded, or JSON for some methods), for per-channel buckets. */
function channelOf(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  if (body.startsWith('{')) {
    try {
      const channel: unknown = (JSON.parse(body) as Record<string, unknown>)['channel'];
      return typeof channel === 'string' ? channel : undefined;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(body).get('channel') ?? undefined;
}

/** A request body (form-encoded, or JSON for some methods) with one more argument. */
function withArgument(body: string, name: string, value: string): string {
  if (body.startsWith('{')) return JSON.stringify({ ...(JSON.parse(body) as Record<string, unknown>), [name]: value });
  const params = new URLSearchParams(body);
  params.set(name, value);
  return params.toString();
}

/** One argument of a request body. */
function argumentOf(body: unknown, name: string): string | undefined {
  if (typeof body !== 'string') return undefined;
  if (body.startsWith('{')) {
    try {
      const value: unknown = (JSON.parse(body) as Record<string, unknown>)[name];
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(body).get(name) ?? undefined;
}

/** A form-encoded Web API call made by the router itself (a lookup or a share), paced in `workspace`, answered as JSON. */
async function callDirect(
  transport: FetchFunction,
  base: string,
  pacing: RequestPacing | undefined,
  call: { method: string; token: string; workspace: string; args: Record<string, string> },
) {
  await pacing?.before(call.method, call.args['channel'], call.workspace);
  const res = await transport(`${base}${call.method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${call.token}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(call.args).toString(),
  });
  return (await res.json()) as { ok?: boolean; error?: string } & Record<string, unknown>;
}

/** The conversation a request acts on (`channel`, or `channel_id` for admin and some other methods). */
const conversationOf = (body: unknown): string | undefined => argumentOf(body, 'channel') ?? argumentOf(body, 'channel_id');

/**
 * Enterprise Grid routing, per request: the token of the workspace the work belongs to (the
 * request's or the job's, else the home workspace), and with an org-wide token the `team_id`
 * Slack requires for some methods. A DM is opened in the person's own workspace (users.info
 * says which). Unreachable workspace: the request is never sent.
 *
 * The call is paced in the workspace it acts in, as Slack counts it ("per method, per workspace,
 * per app"): the `team_id` it carries, else the workspace of the conversation it names (one the
 * bot created or opened), else the work's own. A DM to an EMEA responder from an APAC incident
 * counts against EMEA.
 *
 * An invitation of people from other workspaces of the org to a channel first shares the channel
 * with their workspaces (admin.conversations.setTeams, with the org admin's token when the
 * install granted `admin.conversations:write`); without that scope each of them is told once,
 * by DM in their own workspace, where the channel is and how to join it. What this learns (the
 * workspaces of people and conversations, who was told) is kept in `routing.memory` (Postgres in
 * production), so a restart or a second instance neither asks again nor tells twice.
 */
function workspaceRouter(
  transport: FetchFunction,
  base: string,
  routing: WorkspaceRouting,
  logger: GatewayLogger,
  pacing: RequestPacing | undefined,
) {
  const memory = routing.memory ?? memoryRoutingMemory();
  // Where people and conversations are does not change: read through to the memory once per process.
  const userTeams = new Map<string, string>();
  const conversationTeams = new Map<string, string>();
  const teamOfUser = async (userId: string, token: string, workspace: string): Promise<string | undefined> => {
    const known = userTeams.get(userId) ?? (await memory.userTeam(userId));
    if (known !== undefined) {
      userTeams.set(userId, known);
      return known;
    }
    const answer = await callDirect(transport, base, pacing, { method: 'users.info', token, workspace, args: { user: userId } });
    const teamId = answer.ok === true ? (answer['user'] as { team_id?: string } | undefined)?.team_id : undefined;
    if (teamId !== undefined) {
      userTeams.set(userId, teamId);
      await memory.rememberUserTeam(userId, teamId);
    }
    return teamId;
  };
  const teamOfConversation = async (channelId: string): Promise<string | undefined> => {
    const known = conversationTeams.get(channelId) ?? (await memory.conversationTeam(channelId));
    if (known !== undefined) conversationTeams.set(channelId, known);
    return known;
  };

  const tellHowToJoin = async (channel: string, channelTeam: string, team: string, user: string, token: string): Promise<void> => {
    if (!(await memory.claimJoinNotice(channel, user))) return;
    const text =
      `You were added to <#${channel}>, a channel of another workspace of your org (${channelTeam}). ` +
      `Meridian cannot share it with your workspace (${team}) by itself: open it from the link, or ask an org admin to add ${team} to the channel.`;
    const sent = await callDirect(transport, base, pacing, {
      method: 'chat.postMessage',
      token,
      workspace: team,
      args: { channel: user, text },
    }).catch((err: unknown) => ({ ok: false, error: String(err) }));
    if (sent.ok === true) return;
    logger.warn({ channel, error: sent.error }, 'could not tell a person of another workspace how to join');
    await memory.releaseJoinNotice(channel, user);
  };

  const reachAcrossWorkspaces = async (body: string, workspace: string, auth: WorkspaceToken): Promise<void> => {
    const channel = argumentOf(body, 'channel');
    const users = (argumentOf(body, 'users') ?? '').split(',').filter((u) => u !== '');
    if (channel === undefined || users.length === 0) return;
    const channelTeam = (await teamOfConversation(channel)) ?? workspace;
    const foreign = new Map<string, string[]>();
    for (const user of users) {
      const team = await teamOfUser(user, auth.token, channelTeam);
      if (team !== undefined && team !== channelTeam) foreign.set(team, [...(foreign.get(team) ?? []), user]);
    }
    if (foreign.size === 0) return;
    if (auth.adminToken !== undefined) {
      const args = { channel_id: channel, team_id: channelTeam, target_team_ids: [...foreign.keys()].join(',') };
      const shared = await callDirect(transport, base, pacing, {
        method: 'admin.conversations.setTeams',
        token: auth.adminToken,
        workspace: channelTeam,
        args,
      });
      if (shared.ok === true) return;
      logger.warn({ channel, error: shared.error }, 'Slack: could not share a channel with other workspaces of the org');
    }
    for (const [team, people] of foreign) {
      for (const user of people) await tellHowToJoin(channel, channelTeam, team, user, auth.token);
    }
  };

  const route = async (
    method: string,
    init: Parameters<FetchFunction>[1] & object,
  ): Promise<{ init: Parameters<FetchFunction>[1] & object; workspace: string } | WorkspaceUnavailable> => {
    const workspace: Workspace | undefined = currentWorkspace() ?? routing.home();
    if (workspace === undefined) {
      const why = 'no workspace was named for this call (set SLACK_HOME_TEAM_ID for schedule-wide work)';
      return new WorkspaceUnavailable({ code: 'workspace_unavailable', method, teamId: undefined, why });
    }
    let auth: WorkspaceToken;
    try {
      auth = await routing.tokenFor(workspace);
    } catch (err) {
      if (err instanceof WorkspaceUnavailable) return err;
      throw err;
    }
    let body = init.body;
    let teamId = workspace.teamId;
    if (auth.orgWide && typeof body === 'string') {
      const named = argumentOf(body, 'team_id');
      if (ORG_TOKEN_NEEDS_TEAM_ID.has(method)) {
        const dmWith = method === 'conversations.open' ? argumentOf(body, 'users') : undefined;
        const personal = dmWith !== undefined && !dmWith.includes(',') ? await teamOfUser(dmWith, auth.token, teamId) : undefined;
        teamId = named ?? personal ?? teamId;
        if (named === undefined) body = withArgument(body, 'team_id', teamId);
      } else {
        const conversation = conversationOf(body);
        teamId = named ?? (conversation === undefined ? undefined : await teamOfConversation(conversation)) ?? teamId;
      }
    }
    if (auth.orgWide && method === 'conversations.invite' && typeof body === 'string') await reachAcrossWorkspaces(body, teamId, auth);
    const headers = { ...(init.headers as Record<string, string> | undefined), Authorization: `Bearer ${auth.token}` };
    return { init: { ...init, headers, ...(body === undefined ? {} : { body }) }, workspace: teamId };
  };

  /** Remembers the workspace of each conversation the bot creates or opens (a channel, a DM), for later calls. */
  const learn = async (method: string, workspace: string, res: Awaited<ReturnType<FetchFunction>>): Promise<void> => {
    if ((method !== 'conversations.create' && method !== 'conversations.open') || res.status !== 200) return;
    const answer = (await res.json().catch(() => undefined)) as { ok?: boolean; channel?: { id?: string } } | undefined;
    const id = answer?.ok === true ? answer.channel?.id : undefined;
    if (id === undefined || conversationTeams.get(id) === workspace) return;
    conversationTeams.set(id, workspace);
    await memory.rememberConversationTeam(id, workspace);
  };
  return { route, learn };
}

/**
 * The pacer (and, on Enterprise Grid, the workspace router) in front of every Web API request
 * the client makes (files.uploadV2's steps included; the upload of the bytes to its own URL is
 * not a Web API call), through WebClient's public `fetch` option. A 429's Retry-After blocks
 * that key for every replica.
 */
function gatewayFetch(
  transport: FetchFunction,
  base: string,
  pacing: RequestPacing | undefined,
  routing: WorkspaceRouting | undefined,
  logger: GatewayLogger,
): FetchFunction {
  const router = routing === undefined ? undefined : workspaceRouter(transport, base, routing, logger, pacing);
  return async (input, init = {}) => {
    const url = String(input);
    const method = url.startsWith(base) ? (url.slice(base.length).split('?')[0] ?? '') : '';
    if (!/^[a-zA-Z]+(\.[a-zA-Z]+)+$/.test(method)) return transport(input, init);
    let request = init;
    let workspace: string | undefined;
    if (router !== undefined) {
      const routed = await router.route(method, init);
      if (routed instanceof WorkspaceUnavailable) throw routed;
      request = routed.init;
      workspace = routed.workspace;
    }
    const channel = channelOf(request.body);
    await pacing?.before(method, channel, workspace);
    const res = await transport(input, request);
    if (router !== undefined && workspace !== undefined) await router.learn(method, workspace, res);
    if (res.status === 429) {
      const seconds = Number(res.headers.get('retry-after'));
      if (seconds > 0) await pacing?.retryAfter(method, channel, seconds * 1000, workspace);
    }
    return res;
  };
}

/**
 * A WebClient that makes exactly one attempt per call: the gateway owns retries, so the
 * client's 30-minute default retry policy and its queue-pausing 429 handling are switched off.
 */
export function createWebClient(opts: {
  token: string;
  apiUrl: string | undefined;
  timeoutMs: number;
  logger: GatewayLogger;
  /** Paces each Web API request (see {@link gatewayFetch}); unset: none. */
  pacing?: RequestPacing;
  /** Enterprise Grid / OAuth installs: the token and `team_id` of each call's workspace; unset: `token` for every call. */
  routing?: WorkspaceRouting;
}): WebClient {
  const slackApiUrl = opts.apiUrl ?? DEFAULT_API_URL;
  const transport = keepAliveFetch(opts.timeoutMs);
  return new WebClient(opts.token, {
    slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // The transport times calls out itself (WebClient's own timeout is a per-call AbortSignal).
    timeout: 0,
    fetch: opts.pacing || opts.routing ? gatewayFetch(transport, slackApiUrl, opts.pacing, opts.routing, opts.logger) : transport,
    logger: quietLogger(opts.logger),
  });
}
