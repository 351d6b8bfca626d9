import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { type DurableRedis, faultsConfig, type PrivatePostgres, startDurableRedis, startPrivatePostgres } from './support.js';

/**
 * The heartbeat (HEARTBEAT_URL) as an external dead man's switch sees it: a local HTTP server
 * records each GET. The bot runs on a Postgres and a Redis of this file's own, each stopped and
 * started again; the pings stop within two intervals of either going down and resume once it is back.
 */
const EVERY_MS = 300;
let h: Harness;
let pg: PrivatePostgres;
let redis: DurableRedis;
let switchServer: Server;
const pings: number[] = [];

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pingsSince = (t: number) => pings.filter((at) => at > t).length;

beforeAll(async () => {
  [pg, redis] = await Promise.all([startPrivatePostgres(), startDurableRedis()]);
  switchServer = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/ping/3f0c') pings.push(Date.now());
    res.end('OK');
  });
  await new Promise<void>((resolve) => switchServer.listen(0, '127.0.0.1', resolve));
  const { port } = switchServer.address() as AddressInfo;
  h = await startHarness(import.meta.url, {
    meridian: faultsConfig(),
    env: {
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      HEARTBEAT_URL: `http://127.0.0.1:${port}/ping/3f0c`,
      HEARTBEAT_EVERY_MS: String(EVERY_MS),
    },
    reconcileEveryMs: 1000,
  });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await Promise.all([pg?.destroy(), redis?.destroy()]);
  switchServer?.close();
});

/** Stops a store, checks the pings stop within two intervals and stay stopped, starts it, checks they resume. */
async function outage(
  stop: () => Promise<void>,
  start: () => Promise<void>,
): Promise<{ lastPingAfterStopMs: number; resumedAfterMs: number }> {
  await eventually(() => pingsSince(Date.now() - 2 * EVERY_MS) > 0 || undefined, 'pings before the outage', 10_000);
  await stop();
  const stoppedAt = Date.now();
  await pause(6 * EVERY_MS);
  const after = pings.filter((at) => at > stoppedAt);
  const lastPingAfterStopMs = after.length ? (after.at(-1) as number) - stoppedAt : 0;
  // Quiet for the last four intervals of the outage.
  expect(pingsSince(Date.now() - 4 * EVERY_MS)).toBe(0);
  await start();
  const startedAt = Date.now();
  const resumed = await eventually(() => pings.find((at) => at > startedAt), 'the first ping after the store is back', 15_000);
  return { lastPingAfterStopMs, resumedAfterMs: resumed - startedAt };
}

describe('the heartbeat', () => {
  it('when all is healthy, then the switch is pinged every interval', async () => {
    const from = Date.now();
    await pause(5 * EVERY_MS);
    expect(pingsSince(from)).toBeGreaterThanOrEqual(3);
  });

  it('when Redis is down, then the pings stop within two intervals and resume after it is back', async () => {
    const { lastPingAfterStopMs, resumedAfterMs } = await outage(
      () => redis.stop(),
      () => redis.start(),
    );
    expect(lastPingAfterStopMs).toBeLessThanOrEqual(2 * EVERY_MS);
    console.log(`heartbeat: Redis down, last ping ${lastPingAfterStopMs} ms after; resumed ${resumedAfterMs} ms after it was back`);
  });

  it('when Postgres is down, then the pings stop within two intervals and resume after it is back', async () => {
    const { lastPingAfterStopMs, resumedAfterMs } = await outage(
      () => pg.stop(),
      () => pg.start(),
    );
    expect(lastPingAfterStopMs).toBeLessThanOrEqual(2 * EVERY_MS);
    console.log(`heartbeat: Postgres down, last ping ${lastPingAfterStopMs} ms after; resumed ${resumedAfterMs} ms after it was back`);
  });
});
