/**
 * An open-loop HTTP load generator: requests leave at fixed intervals whatever the server does,
 * so a slow response cannot hold back the next request (no coordinated omission). One
 * keep-alive agent is shared by all requests, so connection set-up does not dominate.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PreparedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface OpenLoopOptions {
  url: string;
  ratePerSecond: number;
  warmupMs: number;
  durationMs: number;
  /** Builds (and signs) request i just before it is sent. */
  prepare: (i: number) => PreparedRequest;
  /** A response slower than this counts as an error. */
  timeoutMs?: number;
}

export interface OpenLoopResult {
  /** Send-to-last-byte latency of each request in the measured window, ms. */
  latencies: number[];
  sent: number;
  measured: number;
  errors: number;
  statuses: Record<string, number>;
  /** How late the scheduler fired requests compared with the plan, ms (p99 and max). */
  lagP99: number;
  lagMax: number;
  /** Requests per second actually sent in the measured window. */
  achievedRate: number;
}

export function keepAliveAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 10_000 });
}

/** One POST; resolves with status and the time from the call to the last byte of the body. */
export function post(agent: http.Agent, url: URL, req: PreparedRequest, timeoutMs: number): Promise<{ status: number; ms: number; text: string }> {
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
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no response within ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(req.body);
  });
}

export async function runOpenLoop(agent: http.Agent, opts: OpenLoopOptions): Promise<OpenLoopResult> {
  const url = new URL(opts.url);
  const interval = 1000 / opts.ratePerSecond;
  const total = Math.round(((opts.warmupMs + opts.durationMs) / 1000) * opts.ratePerSecond);
  const warmupCount = Math.round((opts.warmupMs / 1000) * opts.ratePerSecond);
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const latencies: number[] = [];
  const lags: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const pending: Promise<void>[] = [];
  let firstMeasuredAt = 0;
  let lastMeasuredAt = 0;

  const fire = (i: number, plannedAt: number) => {
    const prepared = opts.prepare(i);
    const now = performance.now();
    lags.push(now - plannedAt);
    if (i === warmupCount) firstMeasuredAt = now;
    if (i >= warmupCount) lastMeasuredAt = now;
    pending.push(
      post(agent, url, prepared, timeoutMs).then(
        ({ status, ms }) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status !== 200) errors += 1;
          if (i >= warmupCount) latencies.push(ms);
        },
        () => {
          statuses['error'] = (statuses['error'] ?? 0) + 1;
          errors += 1;
        },
      ),
    );
  };

  const start = performance.now();
  await new Promise<void>((done) => {
    let i = 0;
    const tick = () => {
      const now = performance.now();
      while (i < total && start + i * interval <= now) {
        fire(i, start + i * interval);
        i += 1;
      }
      if (i >= total) return done();
      setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  const sortedLags = lags.slice(warmupCount).sort((a, b) => a - b);
  const measured = total - warmupCount;
  return {
    latencies,
    sent: total,
    measured,
    errors,
    statuses,
    lagP99: sortedLags[Math.max(0, Math.ceil(sortedLags.length * 0.99) - 1)] ?? 0,
    lagMax: sortedLags.at(-1) ?? 0,
    achievedRate: measured > 1 ? ((measured - 1) * 1000) / (lastMeasuredAt - firstMeasuredAt) : Number.NaN,
  };
}
