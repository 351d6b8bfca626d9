/**
 * An open-loop HTTP load generator: requests leave at fixed intervals whatever the servers do,
 * so a slow response cannot hold back the next request (no coordinated omission). One
 * keep-alive agent is shared by all requests, so connection set-up does not dominate.
 * Request i goes to `urls[targetOf(i)]`, so several servers can share one schedule in slots.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PreparedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface OpenLoopOptions {
  urls: string[];
  ratePerSecond: number;
  /** How many requests to send in all. */
  total: number;
  targetOf: (i: number) => number;
  /** Builds (and signs) request i just before it is sent. */
  prepare: (i: number) => PreparedRequest;
  /** A response slower than this counts as an error. */
  timeoutMs?: number;
}

export interface OpenLoopResult {
  /** Send-to-last-byte latency of request i, ms; null when it failed (no response). */
  latencyByIndex: Array<number | null>;
  /** HTTP status of request i; 0 when it failed. */
  statusByIndex: number[];
  /** How late request i left compared with the plan, ms (the client's own scheduling noise). */
  lagByIndex: number[];
  /** Date.now() when request i left, to match the fake Slack's stamps. */
  sentAtEpochMs: number[];
}

export function keepAliveAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 10_000 });
}

/** One POST; resolves with status and the time from the call to the last byte of the body. */
export function post(
  agent: http.Agent,
  url: URL,
  req: PreparedRequest,
  timeoutMs: number,
): Promise<{ status: number; ms: number; text: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const r = http.request(
      {
        agent,
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no response within ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(req.body);
  });
}

export async function runOpenLoop(agent: http.Agent, opts: OpenLoopOptions): Promise<OpenLoopResult> {
  const urls = opts.urls.map((u) => new URL(u));
  const interval = 1000 / opts.ratePerSecond;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const latencyByIndex: Array<number | null> = new Array(opts.total).fill(null);
  const statusByIndex: number[] = new Array(opts.total).fill(0);
  const lagByIndex: number[] = new Array(opts.total).fill(0);
  const sentAtEpochMs: number[] = new Array(opts.total).fill(0);
  const pending: Promise<void>[] = [];

  const fire = (i: number, plannedAt: number) => {
    const prepared = opts.prepare(i);
    lagByIndex[i] = performance.now() - plannedAt;
    sentAtEpochMs[i] = Date.now();
    pending.push(
      post(agent, urls[opts.targetOf(i)]!, prepared, timeoutMs).then(
        ({ status, ms }) => {
          statusByIndex[i] = status;
          latencyByIndex[i] = ms;
        },
        () => {
          statusByIndex[i] = 0;
        },
      ),
    );
  };

  const start = performance.now();
  await new Promise<void>((done) => {
    let i = 0;
    const tick = () => {
      const now = performance.now();
      while (i < opts.total && start + i * interval <= now) {
        fire(i, start + i * interval);
        i += 1;
      }
      if (i >= opts.total) return done();
      setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  return { latencyByIndex, statusByIndex, lagByIndex, sentAtEpochMs };
}
