import http from 'node:http';
import https from 'node:https';
import { type FetchFunction, LogLevel, type Logger as WebClientLogger, WebClient } from '@slack/web-api';

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
  before(method: string, channel: string | undefined): Promise<void>;
  retryAfter(method: string, channel: string | undefined, ms: number): Promise<void>;
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

/**
 * The pacer in front of every Web API request the client makes (files.uploadV2's steps included;
 * the upload of the bytes to its own URL is not a Web API call), through WebClient's public `fetch`
 * option. A 429's Retry-After blocks that key for every replica.
 */
function pacedFetch(transport: FetchFunction, base: string, pacing: RequestPacing): FetchFunction {
  return async (input, init = {}) => {
    const url = String(input);
    const method = url.startsWith(base) ? (url.slice(base.length).split('?')[0] ?? '') : '';
    if (!/^[a-zA-Z]+(\.[a-zA-Z]+)+$/.test(method)) return transport(input, init);
    const channel = channelOf(init.body);
    await pacing.before(method, channel);
    const res = await transport(input, init);
    if (res.status === 429) {
      const seconds = Number(res.headers.get('retry-after'));
      if (seconds > 0) await pacing.retryAfter(method, channel, seconds * 1000);
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
  /** Paces each Web API request (see {@link pacedFetch}); unset: none. */
  pacing?: RequestPacing;
}): WebClient {
  const slackApiUrl = opts.apiUrl ?? DEFAULT_API_URL;
  const transport = keepAliveFetch(opts.timeoutMs);
  return new WebClient(opts.token, {
    slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // The transport times calls out itself (WebClient's own timeout is a per-call AbortSignal).
    timeout: 0,
    fetch: opts.pacing ? pacedFetch(transport, slackApiUrl, opts.pacing) : transport,
    logger: quietLogger(opts.logger),
  });
}
