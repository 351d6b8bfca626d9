import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What a scrape reads from the stores (Postgres counts, BullMQ queue depths); wired in runtime.ts. */
export interface MetricsSample {
  /** By declared severity. */
  incidents: Array<{ severity: string; category: string; count: number }>;
  /** By the worst severity reached. */
  incidentsByPeak: Array<{ severity: string; category: string; count: number }>;
  pages: Array<{ status: string; count: number }>;
  actionsPending: number;
  actionsOverdue: number;
  queue: Record<string, number>;
  /** Slack deliveries and submissions refused as repeats (retries, replays, double clicks) in this process, by key kind. */
  deliveriesDeduplicated?: ReadonlyMap<string, number>;
}

/**
 * The bot's Prometheus metrics, one registry per process (tests make their own). It sits at the
 * top, beside log.ts, so the jobs that count import it without reaching up into the HTTP edge.
 */
export function createMetrics(opts: { sample?: () => Promise<MetricsSample> } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'meridian_' });
  // One read of the stores per scrape, shared by the gauges below (collected together).
  let pending: Promise<MetricsSample | undefined> | undefined;
  const sample = () => {
    if (!opts.sample) return Promise.resolve(undefined);
    if (!pending) {
      const p = opts.sample().catch(() => undefined);
      pending = p;
      void p.then(() => setImmediate(() => (pending = pending === p ? undefined : pending)));
    }
    return pending;
  };
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], fill: (g: Gauge<L>, s: MetricsSample) => void) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const s = await sample();
        if (!s) return;
        this.reset();
        fill(this, s);
      },
    });
  gauge(
    'meridian_incidents_declared',
    'Incidents declared so far (all replicas, from Postgres), by the severity each was declared at (a later change never moves one) and category',
    ['severity', 'category'],
    (g, s) => {
      for (const r of s.incidents) g.set({ severity: r.severity, category: r.category }, r.count);
    },
  );
  gauge(
    'meridian_incidents_peak_severity',
    'Incidents declared so far (all replicas, from Postgres), by the worst severity each reached, and category',
    ['severity', 'category'],
    (g, s) => {
      for (const r of s.incidentsByPeak) g.set({ severity: r.severity, category: r.category }, r.count);
    },
  );
  gauge(
    'meridian_pages',
    'Pages sent so far (all replicas, from Postgres), by status: sent (open), acknowledged, cancelled, undeliverable',
    ['status'],
    (g, s) => {
      for (const r of s.pages) g.set({ status: r.status }, r.count);
    },
  );
  gauge('meridian_scheduled_actions_pending', 'Scheduled actions waiting to run (Postgres)', [], (g, s) => g.set(s.actionsPending));
  gauge('meridian_scheduled_actions_overdue', 'Pending scheduled actions more than a minute past due (Postgres)', [], (g, s) =>
    g.set(s.actionsOverdue),
  );
  // Monotonic per process, like a counter; read at scrape from the claim table's own tally.
  gauge(
    'meridian_slack_deliveries_deduplicated_total',
    'Slack events, submissions and clicks refused as repeats of one already handled (this process), by kind: event, view, cmd, escalate, ...',
    ['kind'],
    (g, s) => {
      for (const [kind, n] of s.deliveriesDeduplicated ?? []) g.set({ kind }, n);
    },
  );
  gauge('meridian_queue_jobs', 'BullMQ jobs of the action queue, by state', ['state'], (g, s) => {
    for (const [state, n] of Object.entries(s.queue)) g.set({ state }, n);
  });
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
    slackCalls: new Counter({
      name: 'meridian_slack_calls_total',
      help: 'Slack Web API attempts, by method and result (ok, or the error code: ratelimited for 429s, timeout, ...)',
      labelNames: ['method', 'result'] as const,
      registers: [registry],
    }),
    slackRefusals: new Counter({
      name: 'meridian_slack_refusals_total',
      help: 'Slack calls refused for a configuration reason a person must fix (missing_scope, token_revoked, not_in_channel, ...), by method and code',
      labelNames: ['method', 'code'] as const,
      registers: [registry],
    }),
    slackScopeMissing: new Gauge({
      name: 'meridian_slack_scope_missing',
      help: "1 for each scope this version needs that the Slack token lacks (auth.test's x-oauth-scopes), 0 once granted; reinstall the app from manifests/slack-app.yaml",
      labelNames: ['scope'] as const,
      registers: [registry],
    }),
    slackLimiterWait: new Histogram({
      name: 'meridian_slack_limiter_wait_seconds',
      help: 'Time Slack calls waited for the rate limiter (pacing) before going out, by method and tier (post: chat.postMessage per channel)',
      labelNames: ['method', 'tier'] as const,
      buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
    heartbeats: new Counter({
      name: 'meridian_heartbeats_total',
      help: 'Heartbeat ticks (HEARTBEAT_URL), by result: sent, withheld (a part of Meridian was unhealthy), failed (the URL did not answer 2xx)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    userGroupSyncFailures: new Counter({
      name: 'meridian_user_group_sync_failures_total',
      help: 'On-call user groups Slack would not update (no_such_subteam, invalid_users, missing_scope, ...), by Slack error code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    notifications: new Counter({
      name: 'meridian_page_notifications_total',
      help: 'SMS, call and email notifications of pages, by method and outcome (sent, adopted: found sent by an earlier attempt, failed: fell through to the next rule)',
      labelNames: ['method', 'outcome'] as const,
      registers: [registry],
    }),
    pagesAcknowledged: new Counter({
      name: 'meridian_pages_acknowledged_total',
      help: 'Acknowledgements that stopped paging (this process)',
      registers: [registry],
    }),
    timeToAcknowledge: new Histogram({
      name: 'meridian_time_to_acknowledge_seconds',
      help: 'From declaration to the acknowledgement that stopped paging',
      buckets: [30, 60, 120, 300, 600, 900, 1800, 3600, 7200],
      registers: [registry],
    }),
    escalationLateness: new Histogram({
      name: 'meridian_escalation_lateness_seconds',
      help: 'How long after its due time an escalation step started',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300],
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
