/**
 * Weekly and monthly digests: planned as `digest` scheduled actions at a local wall time (one
 * row per cadence and period, so planning twice is harmless and a run missed while the bot was
 * down is fired once by the reconciler), posted in the reports channel with a chart, and shown on
 * demand by `/incident report`.
 */
import type { Catalog } from '../../blocks/catalog.js';
import { type DigestMessage, digestMessage } from '../../blocks/digest.js';
import type { ReportsConfig } from '../../config-file/reports.js';
import type { Database, Db } from '../../db/client.js';
import { mergeActionData } from '../../db/repos/digest-runs.js';
import {
  deadlinesDueBetween,
  type IncidentMetricsRow,
  incidentMetricsDeclaredBetween,
  openIncidentMetricsDeclaredBefore,
  pagesBetween,
} from '../../db/repos/record-queries.js';
import type { ActionData } from '../../domain/action-catalog.js';
import { type Plan, withPlanning } from '../../jobs/plan.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import { computeDigest, type Digest, type DigestIncidentRecord, type DigestPeriodRecords, type DigestScope } from '../../domain/digest.js';
import { digestChartOption } from '../../domain/digest-chart.js';
import {
  type DigestCadence,
  type DigestRun,
  digestDedupeKey,
  nextMonthlyRun,
  nextWeeklyRun,
  type Period,
  readDayRange,
  type WeeklyDigestRule,
  type MonthlyDigestRule,
} from '../../domain/digest-period.js';
import { UserError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import { ChannelNotFound, NotInChannel } from '../../slack-api/errors.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';
import { renderChartPng } from './digest-chart.js';
import { sensitiveHistories } from '../../db/repos/exposure.js';
import { loadSchedules } from '../../db/repos/schedules.js';
import type { Schedule } from '../../domain/schedule.js';
import { ACTIVITY_WINDOW_MS, exposureByPerson, hubOfPerson } from '../../domain/exposure.js';

export interface DigestDeps {
  db: Database;
  slack: Pick<SlackGateway, 'postMessage' | 'postOnce' | 'uploadFile' | 'postEphemeral'>;
  scheduler: ActionScheduler;
  catalog: Catalog;
  reports: ReportsConfig | undefined;
  logger: Logger;
  clock: Clock;
}

const WEEK_MS = 7 * 86_400_000;
/** Without a `reports:` section, `/incident report` still answers, over UTC weeks and months. */
const FALLBACK_WEEKLY: WeeklyDigestRule = { day: 'mon', at: { hour: 0, minute: 0 }, timeZone: 'UTC' };
const FALLBACK_MONTHLY: MonthlyDigestRule = { day: 1, at: { hour: 0, minute: 0 }, timeZone: 'UTC' };

/** What a `digest` row carries: ids and instants only (its schema is in the action catalog). */
type DigestActionData = ActionData<'digest'>;

function nextRun(cadence: DigestCadence, reports: ReportsConfig, after: Date): DigestRun | null {
  if (cadence === 'weekly') return reports.weekly ? nextWeeklyRun(reports.weekly, after) : null;
  return reports.monthly ? nextMonthlyRun(reports.monthly, after) : null;
}

function planRun(plan: Plan, run: DigestRun) {
  const data: DigestActionData = {
    cadence: run.cadence,
    from: run.period.from.toISOString(),
    to: run.period.to.toISOString(),
    previousFrom: run.previous.from.toISOString(),
    previousTo: run.previous.to.toISOString(),
    timeZone: run.timeZone,
  };
  return plan('digest', data, run.runAt, { incidentId: null, dedupeKey: digestDedupeKey(run) });
}

/** Plans the next weekly and monthly runs after `after` (skipped when already planned); how many were new. */
async function planAfter(plan: Plan, reports: ReportsConfig | undefined, after: Date): Promise<number> {
  if (!reports) return 0;
  const runs = (['weekly', 'monthly'] as const).flatMap((cadence) => nextRun(cadence, reports, after) ?? []);
  let created = 0;
  for (const run of runs) if (await planRun(plan, run)) created += 1;
  return created;
}

function toRecord(row: IncidentMetricsRow): DigestIncidentRecord {
  return {
    number: row.number,
    title: row.title,
    private: row.private,
    severity: row.severity,
    category: row.category,
    status: row.status,
    declaredAt: row.declaredAt,
    resolvedAt: row.resolvedAt,
    timeToAcknowledgeS: row.timeToAcknowledgeS,
    timeToMitigateS: row.timeToMitigateS,
    timeToResolveS: row.timeToResolveS,
    hub: row.hub,
  };
}

/** What the exposure part of a period reads: sensitive categories, the schedules (for hubs), and now (open incidents' time ends there). */
interface ExposureScope {
  categories: readonly string[];
  schedules: readonly Schedule[];
  now: Date;
}

/** Each person's time on sensitive incidents up to the period's end (or now), with the hub of their layer. */
async function exposureOf(db: Db, period: Period, scope: ExposureScope): Promise<DigestPeriodRecords['exposure']> {
  const until = new Date(Math.min(period.to.getTime(), scope.now.getTime()));
  const histories = await sensitiveHistories(db, {
    categories: scope.categories,
    from: new Date(period.from.getTime() - ACTIVITY_WINDOW_MS),
    to: until,
  });
  return [...exposureByPerson(histories, until)].map(([userId, e]) => ({
    hub: hubOfPerson(scope.schedules, userId)?.layerName ?? null,
    intervals: e.intervals,
  }));
}

async function recordsOf(db: Db, period: Period, scope: ExposureScope): Promise<DigestPeriodRecords> {
  const [incidents, pages, clocks, exposure] = await Promise.all([
    incidentMetricsDeclaredBetween(db, period.from, period.to),
    pagesBetween(db, period.from, period.to),
    deadlinesDueBetween(db, period.from, period.to),
    exposureOf(db, period, scope),
  ]);
  return {
    incidents: incidents.map(toRecord),
    pages: pages.map((p) => ({ userId: p.userId, pagedAt: p.pagedAt, hub: p.layer, timeZone: p.timeZone })),
    clocks: clocks.map((c) => ({ kind: c.kindId ?? c.name, met: c.met })),
    ...(exposure ? { exposure } : {}),
  };
}

/** The digest of a scope, read from the analytics views in one snapshot. */
export async function loadDigest(deps: Pick<DigestDeps, 'db' | 'catalog'>, scope: DigestScope, now: Date): Promise<Digest> {
  return deps.db.transaction(
    async (tx) => {
      const exposure: ExposureScope = {
        categories: deps.catalog.categories.filter((c) => c.sensitive).map((c) => c.id),
        schedules: await loadSchedules(tx, { overridesEndingAfter: now }),
        now,
      };
      const [current, before, openOld] = await Promise.all([
        recordsOf(tx, scope.period, exposure),
        recordsOf(tx, scope.previous, exposure),
        openIncidentMetricsDeclaredBefore(tx, new Date(now.getTime() - WEEK_MS)),
      ]);
      return computeDigest({ run: scope, current, before, openOld: openOld.map(toRecord), now });
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/** The last complete period of a cadence at `now`: the one whose run is the latest not after now. */
function latestScope(cadence: DigestCadence, reports: ReportsConfig | undefined, now: Date): DigestScope {
  const rules = { weekly: reports?.weekly ?? FALLBACK_WEEKLY, monthly: reports?.monthly ?? FALLBACK_MONTHLY };
  const step = (after: Date) => (cadence === 'weekly' ? nextWeeklyRun(rules.weekly, after) : nextMonthlyRun(rules.monthly, after));
  // Start safely before the latest run and walk forward; the period ending at or before now wins.
  let run = step(new Date(now.getTime() - (cadence === 'weekly' ? 15 : 64) * 86_400_000));
  for (;;) {
    const next = step(run.runAt);
    if (next.period.to > now) return run;
    run = next;
  }
}

/** `weekly`, `monthly` (or nothing: weekly), or `<from> <to>` as UTC days compared with as many days before. */
function scopeOf(args: string, reports: ReportsConfig | undefined, now: Date): DigestScope {
  const words = args.split(/\s+/).filter((w) => w !== '');
  const first = words[0]?.toLowerCase();
  if (words.length === 0 || (words.length === 1 && (first === 'weekly' || first === 'week'))) return latestScope('weekly', reports, now);
  if (words.length === 1 && (first === 'monthly' || first === 'month')) return latestScope('monthly', reports, now);
  const range = readDayRange(words[0], words[1]);
  if (!range.ok || words.length > 2) {
    const problems = range.ok ? ['expected two dates, from and to'] : range.problems;
    throw new UserError(
      'bad_report_range',
      `Use \`/incident report weekly\`, \`monthly\` or \`<from> <to>\` (YYYY-MM-DD, UTC days): ${problems.join('; ')}.`,
    );
  }
  const length = range.period.to.getTime() - range.period.from.getTime();
  return {
    cadence: 'range',
    period: range.period,
    previous: { from: new Date(range.period.from.getTime() - length), to: range.period.from },
    timeZone: 'UTC',
  };
}

export interface DigestServices {
  /** Plans the next weekly and monthly digests (each reconcile; planned rows are skipped). */
  plan(): Promise<number>;
  /** The `digest` action: posts the digest and its chart in the reports channel, plans the next one. */
  run(ctx: ActionContext<'digest'>): Promise<ActionOutcome>;
  /** `/incident report [weekly|monthly|<from> <to>]`: posted when typed in the reports channel, else shown to the caller. */
  report(input: { userId: string; channelId: string; args: string }): Promise<string | null>;
  /** The digest and its message for a scope (tests and the sandbox read it). */
  build(scope: DigestScope): Promise<{ digest: Digest; message: DigestMessage }>;
}

export function createDigestServices(deps: DigestDeps): DigestServices {
  const build: DigestServices['build'] = async (scope) => {
    const digest = await loadDigest(deps, scope, deps.clock());
    return { digest, message: digestMessage(digest, deps.catalog) };
  };

  /** The message first, then the chart; each recorded on the row so a retry posts neither twice. */
  const post = async (
    channelId: string,
    built: { digest: Digest; message: DigestMessage },
    // The run's own transaction: it holds the row's lock, so a write to the row on another connection would wait on itself.
    progress: { id: string; data: Partial<DigestActionData>; tx: Db; deliver: ActionContext<'digest'>['deliver'] } | null,
  ) => {
    const { digest, message } = built;
    if (!progress?.data.postedTs) {
      const input = { channel: channelId, text: message.text, blocks: message.blocks };
      if (progress) {
        // Tagged with the run: a run retried after a crash between Slack's answer and this row adopts the digest Slack has.
        const posted = await progress.deliver(`digest:${progress.id}`, input);
        await mergeActionData(progress.tx, progress.id, { postedTs: posted.ts });
      } else {
        await deps.slack.postMessage(input);
      }
    }
    if (!progress?.data.chartFileId) {
      const labels = Object.fromEntries(Object.entries(deps.catalog.severities).map(([k, v]) => [k, v.label]));
      const png = await renderChartPng(digestChartOption(digest, labels));
      const { fileId } = await deps.slack.uploadFile({
        channelId,
        filename: `digest-${digest.cadence}-${digest.period.from.toISOString().slice(0, 10)}.png`,
        title: `${message.text.split(':')[0]} chart`,
        content: png,
      });
      if (progress) await mergeActionData(progress.tx, progress.id, { chartFileId: fileId });
    }
  };

  return {
    build,

    async plan() {
      const created = await withPlanning(deps, ({ plan }) => planAfter(plan, deps.reports, deps.clock()));
      if (created > 0) deps.logger.info({ planned: created }, 'digests planned');
      return created;
    },

    async run(ctx) {
      const reports = deps.reports;
      const { action: row, data, tx } = ctx;
      if (!reports) return 'skipped';
      const scope: DigestScope = {
        cadence: data.cadence,
        period: { from: new Date(data.from), to: new Date(data.to) },
        previous: { from: new Date(data.previousFrom), to: new Date(data.previousTo) },
        timeZone: data.timeZone,
      };
      // Planned from this run's instant, not from now: a run fired late after downtime plans the next one, not two.
      await planAfter(ctx.plan, reports, row.dueAt);
      // Down across more than one run: only the latest missed digest is posted, once; older ones are skipped.
      const next = nextRun(data.cadence, reports, row.dueAt);
      if (next && next.runAt.getTime() <= deps.clock().getTime()) {
        deps.logger.info({ actionId: row.id, cadence: data.cadence }, 'digest skipped: a later one is already due');
        return 'skipped';
      }
      await post(reports.channelId, await build(scope), { id: row.id, data, tx, deliver: ctx.deliver });
      deps.logger.info({ actionId: row.id, cadence: data.cadence }, 'digest posted');
      return 'done';
    },

    async report({ userId, channelId, args }) {
      const scope = scopeOf(args, deps.reports, deps.clock());
      const built = await build(scope);
      if (deps.reports && channelId === deps.reports.channelId) {
        await post(channelId, built, null);
        return null;
      }
      const { text, blocks } = built.message;
      try {
        await deps.slack.postEphemeral({ channel: channelId, user: userId, text, blocks });
      } catch (err) {
        // Typed where the bot is not (a DM with someone else, a channel it was never added to): their DM with the app instead.
        if (!(err instanceof ChannelNotFound || err instanceof NotInChannel)) throw err;
        await deps.slack.postMessage({ channel: userId, text, blocks });
      }
      return null;
    },
  };
}
