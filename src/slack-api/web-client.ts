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

/**
 * A WebClient that makes exactly one attempt per call: the gateway owns retries, so the
 * client's 30-minute default retry policy and its queue-pausing 429 handling are switched off.
 */
export function createWebClient(opts: { token: string; apiUrl: string | undefined; timeoutMs: number; logger: GatewayLogger }): WebClient {
  return new WebClient(opts.token, {
    ...(opts.apiUrl === undefined ? {} : { slackApiUrl: opts.apiUrl }),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // The transport times calls out itself (WebClient's own timeout is a per-call AbortSignal).
    timeout: 0,
    fetch: keepAliveFetch(opts.timeoutMs),
    logger: quietLogger(opts.logger),
  });
}
