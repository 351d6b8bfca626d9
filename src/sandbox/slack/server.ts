import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ConversationType, METHOD_SCOPES, scopesForCall } from '../../slack-api/method-scopes.js';
import { needsOrgToken, ORG_TOKEN_NEEDS_TEAM_ID } from '../../slack-api/org-token.js';
import type { CallLog } from './call-log.js';
import type { FaultQueue } from './faults.js';
import { SlackFail } from './methods/args.js';
import { UPLOAD_PATH } from './methods/files.js';
import { type FakeOAuth, oauthV2Access } from './methods/grid.js';
import { METHODS } from './methods/index.js';
import { parseRequest, type ParsedRequest } from './parse-request.js';
import type { RateLimiter } from './rate-limits.js';
import { BOT_USER_ID, type FakeInstall, type FakeState } from './state.js';
import { RESPONSE_PATH, type ResponseUrls } from './response-urls.js';
import type { RecordedCall, SlackBody } from './types.js';

/** What the HTTP layer needs from the rest of the fake. */
export interface ServerDeps {
  state: FakeState;
  log: CallLog;
  faults: FaultQueue;
  limiter: RateLimiter;
  /** The response URLs handed out with commands and interactions, served under RESPONSE_PATH. */
  responses: ResponseUrls;
  /** Switches the tests may flip while the fake runs. */
  settings: { blockKitLimits: boolean };
  /** The Slack app whose OAuth code exchange (oauth.v2.access) the fake answers. */
  oauth: FakeOAuth;
  /** Told of every answered call, after the state changed (the sandbox redraws its page). */
  onCall?: (call: RecordedCall) => void;
}

/** A running fake: its base URL and an idempotent close. */
export interface RunningServer {
  baseUrl: string;
  close(): Promise<void>;
}

interface Exchange {
  method: string;
  args: Record<string, unknown>;
  at: number;
  res: ServerResponse;
  /** A `lose-answer` fault: the call is carried out and recorded, the response is never sent. */
  loseAnswer?: boolean;
}

/** Sends a response and records the call with what was sent. */
function answer(deps: ServerDeps, ex: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (ex.loseAnswer) {
    const call = { method: ex.method, args: ex.args, at: ex.at, status, response: body };
    deps.log.record(call);
    deps.onCall?.(call);
    return;
  }
  const isText = typeof body === 'string';
  const payload = isText ? body : JSON.stringify(body);
  ex.res.writeHead(status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    ...headers,
  });
  ex.res.end(payload);
  const call = { method: ex.method, args: ex.args, at: ex.at, status, response: body };
  deps.log.record(call);
  deps.onCall?.(call);
}

function runHandler(
  deps: ServerDeps,
  method: string,
  args: Record<string, unknown>,
  baseUrl: string,
  call: { install?: FakeInstall; teamId?: string } = {},
): SlackBody {
  const spec = METHODS.get(method);
  if (spec === undefined) return { ok: false, error: 'unknown_method' };
  try {
    return spec.handler({ state: deps.state, args, baseUrl, blockKitLimits: deps.settings.blockKitLimits, ...call });
  } catch (err) {
    if (err instanceof SlackFail) return { ok: false, error: err.error, ...err.extra };
    throw err;
  }
}

function exchangeCode(deps: ServerDeps, args: Record<string, unknown>): SlackBody {
  try {
    return oauthV2Access(deps.oauth)({ state: deps.state, args, baseUrl: '' });
  } catch (err) {
    if (err instanceof SlackFail) return { ok: false, error: err.error, ...err.extra };
    throw err;
  }
}

/** The conversation a call acts on, as Slack's scopes split conversation types. */
function conversationOf(state: FakeState, method: string, args: Record<string, unknown>): ConversationType | undefined {
  if (method === 'conversations.create') return args['is_private'] === true || args['is_private'] === 'true' ? 'private' : 'public';
  if (method === 'conversations.open' && typeof args['users'] === 'string') return args['users'].includes(',') ? 'mpim' : 'im';
  const channel = args['channel'] ?? args['channel_id'];
  return typeof channel === 'string' ? state.conversationType(channel) : undefined;
}

/**
 * Slack's scope check: a call without a scope it needs answers `missing_scope` with what was
 * `needed` and what the token has (`provided`); a post to a public channel the bot is not in
 * needs chat:write.public on top of chat:write (Slack: `not_in_channel`).
 */
function scopeRefusal(state: FakeState, install: FakeInstall, method: string, args: Record<string, unknown>): SlackBody | undefined {
  const conversation = conversationOf(state, method, args);
  const needed = scopesForCall(method, conversation).filter((scope) => !install.scopes.has(scope));
  if (needed.length > 0) {
    return { ok: false, error: 'missing_scope', needed: needed.join(','), provided: [...install.scopes].join(',') };
  }
  const publicScope = METHOD_SCOPES[method]?.publicWithoutMembership;
  if (publicScope !== undefined && conversation === 'public' && !install.scopes.has(publicScope)) {
    const channel = state.channels.get(String(args['channel']));
    if (channel !== undefined && !channel.members.has(BOT_USER_ID)) return { ok: false, error: 'not_in_channel' };
  }
  return undefined;
}

/**
 * The workspace a call acts in: its `team_id`, else the workspace of the conversation it names,
 * else the one the token was installed in.
 */
function teamOfCall(state: FakeState, install: FakeInstall, args: Record<string, unknown>): string | undefined {
  const named = args['team_id'];
  if (typeof named === 'string' && named !== '') return named;
  const channel = args['channel'] ?? args['channel_id'];
  const found = typeof channel === 'string' ? state.channels.get(channel) : undefined;
  if (found?.teamId !== undefined) return found.teamId;
  return install.orgWide === true ? undefined : install.teams.values().next().value;
}

/**
 * Enterprise Grid's token rules: admin.* methods take only an org-wide token
 * (`not_allowed_token_type`); with one, the methods that must name a workspace refuse a call
 * without `team_id` (`missing_argument`), and a workspace the org admin has not added the app to
 * (or removed it from) answers `team_access_not_granted`.
 */
function orgTokenRefusal(
  install: FakeInstall,
  method: string,
  teamId: string | undefined,
  args: Record<string, unknown>,
): SlackBody | undefined {
  if (needsOrgToken(method) && install.orgWide !== true) return { ok: false, error: 'not_allowed_token_type' };
  if (install.orgWide !== true) return undefined;
  const named = typeof args['team_id'] === 'string' && args['team_id'] !== '';
  if (ORG_TOKEN_NEEDS_TEAM_ID.has(method) && !named) return { ok: false, error: 'missing_argument', arg: 'team_id' };
  if (teamId !== undefined && !install.teams.has(teamId)) return { ok: false, error: 'team_access_not_granted' };
  return undefined;
}

/** Applies an injected fault. Returns true when the fault answered (or swallowed) the request. */
async function applyFault(deps: ServerDeps, ex: Exchange, timers: Set<NodeJS.Timeout>): Promise<boolean> {
  const fault = deps.faults.take(ex.method, ex.args);
  if (fault === undefined) return false;
  switch (fault.kind) {
    case 'hang':
      deps.log.record({ method: ex.method, args: ex.args, at: ex.at, status: 0, response: undefined });
      return true;
    case 'delay':
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, fault.ms);
        timers.add(timer);
      });
      if (!ex.res.destroyed) return false;
      // The client gave up during the delay (its timeout): still an attempt worth counting.
      deps.log.record({ method: ex.method, args: ex.args, at: ex.at, status: 0, response: undefined });
      return true;
    case 'lose-answer':
      ex.loseAnswer = true;
      return false;
    case 'ratelimited':
      answer(deps, ex, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfterSeconds) });
      return true;
    case 'http':
      answer(deps, ex, fault.status, `fake Slack: injected HTTP ${fault.status}`);
      return true;
    case 'error':
      answer(deps, ex, 200, { ok: false, error: fault.error });
      return true;
  }
}

function handleUpload(deps: ServerDeps, ex: Exchange, parsed: ParsedRequest): void {
  const file = deps.state.files.get(String(ex.args['fileId']));
  if (file === undefined) {
    answer(deps, ex, 404, 'fake Slack: no such upload');
    return;
  }
  // WebClient sends the bytes as a multipart field named `body`; raw bodies are accepted too.
  file.content = parsed.uploads[0] ?? parsed.raw;
  answer(deps, ex, 200, `OK - ${file.content.length}`);
}

async function handle(
  deps: ServerDeps,
  baseUrl: string,
  req: IncomingMessage,
  res: ServerResponse,
  timers: Set<NodeJS.Timeout>,
): Promise<void> {
  const path = new URL(req.url ?? '/', baseUrl).pathname;
  const isUpload = path.startsWith(UPLOAD_PATH);
  if (path.startsWith(RESPONSE_PATH)) return handleResponseUrl(deps, path.slice(RESPONSE_PATH.length), req, res, timers);
  const method = isUpload ? 'upload' : path.replace(/^\/api\//, '');
  const at = Date.now();
  const parsed = await parseRequest(req).catch(() => undefined);
  if (parsed === undefined) {
    // Slack's answer to a body it cannot parse (e.g. malformed JSON).
    return answer(deps, { method, args: {}, at, res }, 200, { ok: false, error: 'invalid_json' });
  }
  const args = isUpload ? { fileId: path.slice(UPLOAD_PATH.length), bytes: (parsed.uploads[0] ?? parsed.raw).length } : parsed.args;
  const ex: Exchange = { method, args, at, res };
  if (!isUpload && (!path.startsWith('/api/') || !METHODS.has(method))) {
    return answer(deps, ex, 404, { ok: false, error: 'unknown_method' });
  }
  if (await applyFault(deps, ex, timers)) return;
  if (isUpload) return handleUpload(deps, ex, parsed);
  // The OAuth code exchange authenticates with the app's client id and secret, not a token.
  if (method === 'oauth.v2.access') return answer(deps, ex, 200, exchangeCode(deps, args));
  // Slack answers auth problems with HTTP 200 and ok:false.
  if (parsed.token === undefined) return answer(deps, ex, 200, { ok: false, error: 'not_authed' });
  const install = deps.state.installs.get(parsed.token);
  if (install === undefined) return answer(deps, ex, 200, { ok: false, error: 'invalid_auth' });
  if (install.revoked) return answer(deps, ex, 200, { ok: false, error: 'token_revoked' });
  // Slack tells every call which scopes the token has (auth.test's answer is how a bot checks its own).
  const scopeHeaders = {
    'x-oauth-scopes': [...install.scopes].join(','),
    'x-accepted-oauth-scopes': scopesForCall(method, conversationOf(deps.state, method, args)).join(','),
  };
  const teamId = teamOfCall(deps.state, install, args);
  const refusal = orgTokenRefusal(install, method, teamId, args) ?? scopeRefusal(deps.state, install, method, args);
  if (refusal !== undefined) return answer(deps, ex, 200, refusal, scopeHeaders);
  const tier = METHODS.get(method)?.tier ?? 4;
  const channel = typeof args['channel'] === 'string' ? args['channel'] : undefined;
  // Slack counts per method, per workspace, per app: each workspace of an org has its own buckets.
  const retryAfter = deps.limiter.take(method, tier, channel, Date.now(), teamId);
  if (retryAfter !== undefined) {
    return answer(deps, ex, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
  }
  const call = { install, ...(teamId === undefined ? {} : { teamId }) };
  answer(deps, ex, 200, runHandler(deps, method, args, `${baseUrl}/`, call), scopeHeaders);
}

/**
 * A POST to a response URL, recorded as method `response_url` with the body sent, plus the
 * `user` and `channel` the URL answers. Faults on `response_url` apply, as to any method.
 */
async function handleResponseUrl(deps: ServerDeps, id: string, req: IncomingMessage, res: ServerResponse, timers: Set<NodeJS.Timeout>) {
  const at = Date.now();
  const parsed = await parseRequest(req).catch(() => undefined);
  const ex: Exchange = { method: 'response_url', args: parsed?.args ?? {}, at, res };
  if (parsed === undefined) return answer(deps, ex, 400, { ok: false, error: 'invalid_json' });
  if (await applyFault(deps, ex, timers)) return;
  const done = deps.responses.answer(deps.state, id, parsed.args);
  if (done.for) ex.args = { ...parsed.args, user: done.for.user, channel: done.for.channel };
  answer(deps, ex, done.status, done.body);
}

/** Starts the HTTP server on 127.0.0.1 with a free port. */
export async function startServer(deps: ServerDeps): Promise<RunningServer> {
  const timers = new Set<NodeJS.Timeout>();
  let baseUrl = '';
  const server: Server = createServer((req, res) => {
    handle(deps, baseUrl, req, res, timers).catch((err: unknown) => {
      // A bug in the fake must be loud, not a silent hang of the test.
      console.error('fake Slack: handler crashed', err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'fake_internal_error' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;
  return {
    baseUrl,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        // Hanging requests and keep-alive sockets would keep close() waiting forever.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
