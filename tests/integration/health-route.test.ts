import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { healthRoute, type HealthProbe } from '../../src/http/routes.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function get(probes: HealthProbe[]): Promise<{ status: number; body: unknown }> {
  const route = healthRoute(probes);
  server = createServer((req, res) => void route.handler(req as never, res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
  return { status: res.status, body: await res.json() };
}

describe('GET /healthz', () => {
  it('when both answer, then 200 with each one up', async () => {
    expect(
      await get([
        { name: 'database', check: async () => {} },
        { name: 'redis', check: async () => {} },
      ]),
    ).toEqual({
      status: 200,
      body: { status: 'ok', database: 'up', redis: 'up' },
    });
  });

  it('when Redis fails, then 503 naming it down', async () => {
    const result = await get([
      { name: 'database', check: async () => {} },
      { name: 'redis', check: async () => Promise.reject(new Error('ECONNREFUSED')) },
    ]);
    expect(result).toEqual({ status: 503, body: { status: 'degraded', database: 'up', redis: 'down' } });
  });

  it('when the database hangs, then 503 within the probe timeout', async () => {
    const started = Date.now();
    const result = await get([{ name: 'database', check: () => new Promise(() => {}) }]);
    expect(result.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
