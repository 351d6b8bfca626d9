import type { CustomRoute } from '@slack/bolt';
import type { Registry } from 'prom-client';
import type { Logger } from '../log.js';
import { bearerAllowed, reply } from './reply.js';

export interface HealthProbe {
  name: string;
  check(): Promise<void>;
}

/**
 * GET /healthz: 200 with each dependency's state, 503 when any is down. `notices` adds what is
 * wrong but stops nothing (a Slack scope the token lacks): still 200, with status `attention`.
 */
export function healthRoute(
  probes: readonly HealthProbe[],
  notices: () => Record<string, unknown> | undefined = () => undefined,
): CustomRoute {
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
      const notice = notices();
      const status = !ok ? 'degraded' : notice === undefined ? 'ok' : 'attention';
      reply(res, ok ? 200 : 503, { status, ...Object.fromEntries(states), ...notice });
    },
  };
}

/** GET /metrics in Prometheus text format. */
export function metricsRoute(registry: Registry): CustomRoute {
  return {
    path: '/metrics',
    method: ['GET'],
    handler: async (_req, res) => {
      reply(res, 200, await registry.metrics(), { 'content-type': registry.contentType });
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

/**
 * GET /reviews/INC-<n> (or /reviews/<n>): the post-incident review draft as Markdown, for people
 * who write reviews outside Slack. Bearer REVIEW_API_TOKEN; without one configured, the route is off.
 */
export function reviewRoute(token: string | undefined, markdown: (number: number) => Promise<string | null>, logger: Logger): CustomRoute {
  return {
    path: '/reviews/:ref',
    method: ['GET'],
    handler: async (req, res) => {
      if (!bearerAllowed(req, res, token, 'Reviews over HTTP are off: set REVIEW_API_TOKEN.\n')) return;
      const ref = String((req as { params?: Record<string, string> }).params?.ref ?? '');
      const match = /^(?:INC-)?(\d{1,9})$/i.exec(ref);
      if (!match) return reply(res, 400, 'Ask for /reviews/INC-<number>.\n');
      const number = Number(match[1]);
      try {
        const body = await markdown(number);
        if (body === null) return reply(res, 404, `No incident INC-${match[1]}.\n`);
        return reply(res, 200, body, { 'content-type': 'text/markdown; charset=utf-8' });
      } catch (err) {
        logger.error({ err, incidentNumber: number }, 'building a review over HTTP failed');
        return reply(res, 500, 'The review could not be built right now; try again in a minute.\n');
      }
    },
  };
}
