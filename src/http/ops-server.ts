import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CustomRoute } from '@slack/bolt';
import { reply } from './reply.js';

/**
 * A plain HTTP server for a worker-only process (`npm run worker`): the same /healthz and
 * /metrics routes the edge serves, without Slack's endpoints. Returns the port it listens on.
 */
export async function startOpsServer(
  port: number,
  routes: readonly CustomRoute[],
  track: (name: string, cleanup: () => Promise<unknown>) => void,
): Promise<number> {
  const server = createServer((req: IncomingMessage, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find((r) => r.path === path && [r.method].flat().includes(req.method ?? 'GET'));
    if (!route) return reply(res, 404, 'A worker serves only /healthz and /metrics.\n');
    route.handler(Object.assign(req, { params: {} }), res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  track('ops server', () => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}
