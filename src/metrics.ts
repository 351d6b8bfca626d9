import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The bot's Prometheus metrics, one registry per process (tests make their own). It sits at the
 * top, beside log.ts, so the jobs that count import it without reaching up into the HTTP edge.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'meridian_' });
  return {
    registry,
    actionsRun: new Counter({
      name: 'meridian_scheduled_actions_total',
      help: 'Scheduled actions run, by kind and outcome (done, skipped, failed, busy)',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    overdueActionsFired: new Counter({
      name: 'meridian_overdue_actions_fired_total',
      help: 'Pending actions found more than a minute overdue by the reconciler and fired',
      registers: [registry],
    }),
    actionsReenqueued: new Counter({
      name: 'meridian_actions_reenqueued_total',
      help: 'Pending actions the reconciler found missing in Redis and enqueued again',
      registers: [registry],
    }),
    actionLateness: new Histogram({
      name: 'meridian_action_lateness_seconds',
      help: 'How long after its due time a scheduled action started',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
