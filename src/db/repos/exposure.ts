/** What the wellbeing features read: sensitive incidents' histories, pending exposure checks, open incidents by commander. */
import { and, asc, eq, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { incidents, scheduledActions, slackEvents, timelineEntries } from '../schema/index.js';
import type { SensitiveIncidentHistory } from '../../domain/exposure.js';
import { OPEN_STATUSES } from '../../domain/lifecycle.js';
import type { Incident } from '../../domain/incident.js';

/**
 * Incidents of `categories` that may have exposure in `[from, to)` (declared before `to`, not
 * ended before `from`), each with its timeline up to `to`. `openOnly`: only incidents still open.
 */
export async function sensitiveHistories(
  db: Db,
  opts: { categories: readonly string[]; from: Date; to: Date; openOnly?: boolean },
): Promise<SensitiveIncidentHistory[]> {
  if (opts.categories.length === 0) return [];
  const ended = sql<
    Date | string | null
  >`coalesce(${incidents.resolvedAt}, ${incidents.closedAt}, case when ${incidents.status} = 'cancelled' then ${incidents.updatedAt} end)`;
  const rows = await db
    .select({ id: incidents.id, endedAt: ended })
    .from(incidents)
    .where(
      and(
        inArray(incidents.category, [...opts.categories]),
        lt(incidents.declaredAt, opts.to),
        opts.openOnly
          ? inArray(incidents.status, [...OPEN_STATUSES])
          : sql`(${ended} is null or ${ended} >= ${opts.from.toISOString()}::timestamptz)`,
      ),
    );
  if (rows.length === 0) return [];
  // Only what the exposure maths reads (`exposureByPerson`): entries with an actor, and role
  // assignments with their data; other entries' data (a note's text) never leaves Postgres. A year
  // of sensitive incidents holds hundreds of thousands of entries (issue 26).
  const entries = await db
    .select({
      incidentId: timelineEntries.incidentId,
      at: timelineEntries.at,
      kind: timelineEntries.kind,
      actorId: timelineEntries.actorId,
      data: sql<
        Record<string, unknown>
      >`case when ${timelineEntries.kind} = 'role_assigned' then ${timelineEntries.data} else '{}'::jsonb end`.mapWith(
        timelineEntries.data,
      ),
    })
    .from(timelineEntries)
    .where(
      and(
        inArray(
          timelineEntries.incidentId,
          rows.map((r) => r.id),
        ),
        lt(timelineEntries.at, opts.to),
        or(isNotNull(timelineEntries.actorId), eq(timelineEntries.kind, 'role_assigned')),
      ),
    )
    .orderBy(asc(timelineEntries.at), asc(timelineEntries.createdAt));
  // Grouped once: filtering every entry for every incident grew with the square of a year's record.
  const byIncident = new Map<string, typeof entries>();
  for (const entry of entries) {
    const list = byIncident.get(entry.incidentId);
    if (list) list.push(entry);
    else byIncident.set(entry.incidentId, [entry]);
  }
  return rows.map((row) => ({
    incidentId: row.id,
    endedAt: opts.openOnly || row.endedAt === null ? null : new Date(row.endedAt),
    entries: byIncident.get(row.id) ?? [],
  }));
}

/** People who have a pending `exposure-check` already. */
export async function usersWithPendingExposureCheck(db: Db): Promise<Set<string>> {
  const rows = await db
    .select({ userId: sql<string>`${scheduledActions.data} ->> 'userId'` })
    .from(scheduledActions)
    .where(and(eq(scheduledActions.kind, 'exposure-check'), eq(scheduledActions.status, 'pending')));
  return new Set(rows.map((r) => r.userId));
}

/** Whether a delivery key was claimed (see `claimSlackDelivery`), without claiming it. */
export async function deliveryClaimed(db: Db, key: string): Promise<boolean> {
  const rows = await db.select({ key: slackEvents.key }).from(slackEvents).where(eq(slackEvents.key, key));
  return rows.length > 0;
}

/** Open incidents whose commander is one of `userIds`. */
export async function openIncidentsCommandedBy(db: Db, userIds: readonly string[]): Promise<Incident[]> {
  if (userIds.length === 0) return [];
  return db
    .select()
    .from(incidents)
    .where(and(inArray(incidents.commanderId, [...userIds]), inArray(incidents.status, [...OPEN_STATUSES])))
    .orderBy(asc(incidents.declaredAt));
}

/** The open sensitive incidents `userId` commands, most recently declared first. */
export async function openSensitiveIncidentsCommandedBy(db: Db, userId: string, categories: readonly string[]): Promise<Incident[]> {
  if (categories.length === 0) return [];
  const rows = await openIncidentsCommandedBy(db, [userId]);
  return rows.filter((i) => categories.includes(i.category)).reverse();
}
