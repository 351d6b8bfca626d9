import type { CustomRoute } from '@slack/bolt';
import type { Registry } from 'prom-client';

export interface HealthProbe {
  name: string;
  check(): Promise<void>;
}

/** GET /healthz: 200 with each dependency's state, 503 when any is down. */
export function healthRoute(probes: readonly HealthProbe[]): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: async (_req, res) => {
      const states = await Promise.all(
        probes.map(async (p) => {
          try {
            await withTimeout(p.check(), 2000);
            return [p.name, 'up'] as const;
          } catch {
            return [p.name, 'down'] as const;
          }
        }),
      );
      const ok = states.every(([, s]) => s === 'up');
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'degraded', ...Object.fromEntries(states) }));
    },
  };
}

/** GET /metrics in Prometheus text format. */
export function metricsRoute(registry: Registry): CustomRoute {
  return {
    path: '/metrics',
    method: ['GET'],
    handler: async (_req, res) => {
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(await registry.metrics());
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
