/** The digest of a scope, read from the analytics views in one snapshot. */
import type { Catalog } from '../../blocks/catalog.js';
import type { Database, Db } from '../../db/client.js';
import { sensitiveHistories } from '../../db/repos/exposure.js';
import {
  countIncidentsDeclaredBetween,
  type DigestIncidentRow,
  deadlineCountsDueBetween,
  digestIncidentsDeclaredBetween,
  openIncidentMetricsDeclaredBefore,
  pagesBetween,
} from '../../db/repos/record-queries.js';
import { loadSchedules } from '../../db/repos/schedules.js';
import { followUpsTouching } from '../../db/repos/follow-ups.js';
import { followUpFigures } from '../../domain/follow-up-digest.js';
import { computeDigest, type Digest, type DigestIncidentRecord, type DigestPeriodRecords, type DigestScope } from '../../domain/digest.js';
import type { Period } from '../../domain/digest-period.js';
import { ACTIVITY_WINDOW_MS, exposureByPerson, hubOfPerson } from '../../domain/exposure.js';
import type { Schedule } from '../../domain/schedule.js';
import { DEFAULT_REGULATORY, type RegulatoryConfig } from '../../config-file/regulatory.js';
import { answeredClocksOf, ordersReceivedBetween } from '../../db/repos/orders.js';
import { orderDigestFigures } from '../../domain/order-digest.js';
import { orderTimes } from '../../domain/orders.js';

const WEEK_MS = 7 * 86_400_000;

function toRecord(row: DigestIncidentRow): DigestIncidentRecord {
  return {
    number: row.number,
    title: row.title,
    private: row.private,
    severity: row.severity,
    declaredSeverity: row.declaredSeverity,
    peakSeverity: row.peakSeverity,
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
    digestIncidentsDeclaredBetween(db, period.from, period.to),
    pagesBetween(db, period.from, period.to),
    deadlineCountsDueBetween(db, period.from, period.to),
    exposureOf(db, period, scope),
  ]);
  return {
    incidents: incidents.map(toRecord),
    pages: pages.map((p) => ({ userId: p.userId, pagedAt: p.pagedAt, hub: p.layer, timeZone: p.timeZone })),
    // One record per clock, as the digest counts them (the query counted them per kind, name and outcome).
    clocks: clocks.flatMap((c) => Array.from({ length: c.count }, () => ({ kind: c.kindId ?? c.name, name: c.name, met: c.met }))),
    ...(exposure ? { exposure } : {}),
  };
}

/** The period's orders with their times: the order's own, or its incident's answered clocks' (as the transparency report). */
async function ordersOf(db: Db, period: Period, regulatory: RegulatoryConfig) {
  const orders = await ordersReceivedBetween(db, period.from, period.to);
  if (orders.length === 0) return undefined;
  const clocks = await answeredClocksOf(
    db,
    orders.map((o) => o.incidentId),
  );
  const kinds = { receipt: regulatory.receiptConfirmedBy, effect: regulatory.effectGivenBy };
  const counted = orders.map((o) => {
    const times = orderTimes(o, clocks.get(o.incidentId) ?? [], kinds);
    return { ...o, receiptConfirmedAt: times.receiptConfirmedAt, effectGivenAt: times.effectGivenAt };
  });
  return orderDigestFigures(counted, period);
}

/** The digest of a scope, read from the analytics views in one snapshot. */
export async function loadDigest(
  deps: { db: Database; catalog: Catalog; regulatory?: RegulatoryConfig | undefined },
  scope: DigestScope,
  now: Date,
): Promise<Digest> {
  return deps.db.transaction(
    async (tx) => {
      const exposure: ExposureScope = {
        categories: deps.catalog.categories.filter((c) => c.sensitive).map((c) => c.id),
        schedules: await loadSchedules(tx, { overridesEndingAfter: now }),
        now,
      };
      const [current, before, openOld, followUps, orders, since] = await Promise.all([
        recordsOf(tx, scope.period, exposure),
        recordsOf(tx, scope.previous, exposure),
        openIncidentMetricsDeclaredBefore(tx, new Date(now.getTime() - WEEK_MS)),
        followUpsTouching(tx, scope.period.from, scope.period.to),
        ordersOf(tx, scope.period, deps.regulatory ?? DEFAULT_REGULATORY),
        // Declared after the period and before now: said apart, so "Incidents: 0" never hides today's.
        scope.period.to < now ? countIncidentsDeclaredBetween(tx, scope.period.to, now) : Promise.resolve(0),
      ]);
      const digest = computeDigest({ run: scope, current, before, openOld: openOld.map(toRecord), now });
      return {
        ...digest,
        ...(followUps.length ? { followUps: followUpFigures(followUps, scope.period, now) } : {}),
        ...(orders ? { orders } : {}),
        ...(since ? { declaredSince: since } : {}),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
