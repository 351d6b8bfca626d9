import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { incidentMembers, incidents } from '../schema/index.js';
import type { Incident } from '../../domain/incident.js';
import type { RowOf } from './row-type.js';

export type { Incident };
/** An incidents row is an {@link Incident}. */
type _IncidentRow = RowOf<Incident, typeof incidents.$inferSelect>;
export type NewIncident = Omit<typeof incidents.$inferInsert, 'id' | 'number' | 'createdAt' | 'updatedAt'>;

import { OPEN_STATUSES } from '../../domain/lifecycle.js';

/**
 * Inserts the incident unless one with the same idempotency key exists; either way returns
 * the incident, and whether this call created it.
 */
export async function insertIncidentOnce(db: Db, values: NewIncident): Promise<{ incident: Incident; created: boolean }> {
  const [created] = await db
    .insert(incidents)
    .values(values)
    .onConflictDoNothing({ target: [incidents.teamId, incidents.idempotencyKey] })
    .returning();
  if (created) return { incident: created, created: true };
  const [existing] = await db
    .select()
    .from(incidents)
    .where(and(eq(incidents.teamId, values.teamId), eq(incidents.idempotencyKey, values.idempotencyKey)));
  if (!existing) throw new Error('incident vanished between conflict and select');
  return { incident: existing, created: false };
}

export async function findIncident(db: Db, id: string): Promise<Incident | undefined> {
  const [row] = await db.select().from(incidents).where(eq(incidents.id, id));
  return row;
}

export async function findIncidentByChannel(db: Db, channelId: string): Promise<Incident | undefined> {
  const [row] = await db.select().from(incidents).where(eq(incidents.channelId, channelId));
  return row;
}

export async function updateIncident(db: Db, id: string, patch: Partial<NewIncident>): Promise<Incident> {
  const [row] = await db
    .update(incidents)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(incidents.id, id))
    .returning();
  if (!row) throw new Error(`incident ${id} not found`);
  return row;
}

/** Records the channel only if none is recorded yet; returns false if another attempt won. */
export async function recordIncidentChannel(db: Db, id: string, channelId: string, channelName: string): Promise<boolean> {
  const rows = await db
    .update(incidents)
    .set({ channelId, channelName, updatedAt: sql`now()` })
    .where(and(eq(incidents.id, id), isNull(incidents.channelId)))
    .returning({ id: incidents.id });
  return rows.length === 1;
}

export async function addIncidentMembers(db: Db, incidentId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .insert(incidentMembers)
    .values(userIds.map((userId) => ({ incidentId, userId })))
    .onConflictDoNothing();
}

/** Of `incidentIds`, those `userId` is a member of: one query per 10,000 ids, not one per incident. */
export async function memberIncidentIds(db: Db, userId: string, incidentIds: readonly string[]): Promise<Set<string>> {
  const member = new Set<string>();
  for (const ids of chunksOf(incidentIds)) {
    const rows = await db
      .select({ incidentId: incidentMembers.incidentId })
      .from(incidentMembers)
      .where(and(eq(incidentMembers.userId, userId), inArray(incidentMembers.incidentId, ids)));
    for (const row of rows) member.add(row.incidentId);
  }
  return member;
}

/**
 * `ids` in slices a query can carry: Postgres takes at most 65,535 parameters, and a year of
 * incidents (the CSV, reports) is more than that (issue 26).
 */
export function chunksOf<T>(ids: readonly T[], size = 10_000): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
  return chunks;
}

export async function isIncidentMember(db: Db, incidentId: string, userId: string): Promise<boolean> {
  const rows = await db
    .select({ userId: incidentMembers.userId })
    .from(incidentMembers)
    .where(and(eq(incidentMembers.incidentId, incidentId), eq(incidentMembers.userId, userId)));
  return rows.length > 0;
}

/** Who is looking: a user, and whether they see every private incident (an admin). */
export interface IncidentViewer {
  userId: string;
  seesAllPrivate?: boolean;
}

/** Open incidents `viewer` may see: every public one, and private ones they are a member of (all, for an admin). */
export async function listOpenIncidentsVisibleTo(
  db: Db,
  teamId: string,
  viewer: IncidentViewer,
  limit = 50,
  offset = 0,
): Promise<Incident[]> {
  return db
    .select()
    .from(incidents)
    .where(openVisibleTo(db, teamId, viewer))
    .orderBy(asc(incidents.severity), asc(incidents.declaredAt), asc(incidents.id))
    .limit(limit)
    .offset(offset);
}

/** How many open incidents `userId` may see in the team: the true count behind a page of the list. */
export async function countOpenIncidentsVisibleTo(db: Db, teamId: string, viewer: IncidentViewer): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(incidents)
    .where(openVisibleTo(db, teamId, viewer));
  return row?.n ?? 0;
}

/** Open, in the team, and public or private with the viewer a member (or any private one, for an admin). */
function openVisibleTo(db: Db, teamId: string, viewer: IncidentViewer) {
  const open = and(eq(incidents.teamId, teamId), inArray(incidents.status, [...OPEN_STATUSES]));
  if (viewer.seesAllPrivate) return open;
  const memberOf = db.select({ id: incidentMembers.incidentId }).from(incidentMembers).where(eq(incidentMembers.userId, viewer.userId));
  return and(open, or(eq(incidents.isPrivate, false), inArray(incidents.id, memberOf)));
}
