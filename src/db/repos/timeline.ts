import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { incidentMembers, timelineEntries } from '../schema/index.js';
import type { TimelineEntry } from '../../domain/incident.js';
import type { RowOf } from './row-type.js';

/** A timeline_entries row is a {@link TimelineEntry}. */
type _TimelineRow = RowOf<TimelineEntry, typeof timelineEntries.$inferSelect>;

/** An entry captured from a Slack message: the message ts is what makes it unique. */
export interface CapturedEntry {
  incidentId: string;
  kind: string;
  messageTs: string;
  at: Date;
  actorId: string | null;
  text: string;
  permalink: string | null;
  data: Record<string, unknown>;
}

/** Stores a captured message once per (incident, kind, ts); false when it was already there. */
export async function addCapturedEntry(db: Db, entry: CapturedEntry): Promise<boolean> {
  const rows = await db
    .insert(timelineEntries)
    .values(entry)
    .onConflictDoNothing({ target: [timelineEntries.incidentId, timelineEntries.kind, timelineEntries.messageTs] })
    .returning({ id: timelineEntries.id });
  return rows.length === 1;
}

/** Removes the entry captured from this message in this way; false when there was none. */
export async function removeCapturedEntry(db: Db, where: { incidentId: string; kind: string; messageTs: string }): Promise<boolean> {
  const rows = await db
    .delete(timelineEntries)
    .where(
      and(
        eq(timelineEntries.incidentId, where.incidentId),
        eq(timelineEntries.kind, where.kind),
        eq(timelineEntries.messageTs, where.messageTs),
      ),
    )
    .returning({ id: timelineEntries.id });
  return rows.length > 0;
}

/**
 * The latest `limit` entries of an incident, oldest first, and how many there are in all, so a
 * reader of a long timeline can be told how many are not shown.
 */
export async function latestTimelineEntries(
  db: Db,
  incidentId: string,
  limit: number,
): Promise<{ entries: TimelineEntry[]; total: number }> {
  const newestFirst = await db
    .select()
    .from(timelineEntries)
    .where(eq(timelineEntries.incidentId, incidentId))
    .orderBy(desc(timelineEntries.at), desc(timelineEntries.createdAt))
    .limit(limit);
  const [row] = await db.select({ n: count() }).from(timelineEntries).where(eq(timelineEntries.incidentId, incidentId));
  return { entries: newestFirst.reverse(), total: row?.n ?? 0 };
}

/** Someone left the incident channel: a private incident no longer shows to them. */
export async function removeIncidentMember(db: Db, incidentId: string, userId: string): Promise<boolean> {
  const rows = await db
    .delete(incidentMembers)
    .where(and(eq(incidentMembers.incidentId, incidentId), eq(incidentMembers.userId, userId)))
    .returning({ userId: incidentMembers.userId });
  return rows.length > 0;
}

/** An incident's entries of one kind, oldest first. */
export async function timelineEntriesOfKind(db: Db, incidentId: string, kind: string): Promise<TimelineEntry[]> {
  return db
    .select()
    .from(timelineEntries)
    .where(and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.kind, kind)))
    .orderBy(asc(timelineEntries.at), asc(timelineEntries.createdAt));
}

/** A line for the incident channel that had to wait for the channel: its delivery tag and text. */
export interface HeldChannelLine {
  key: string;
  text: string;
}

/**
 * Takes the lines entries of an incident hold for its channel (`data.heldLines`), each entry at
 * most once: of two callers at once (the step that wrote them, the channel set-up), one gets them.
 */
export async function claimHeldChannelLines(db: Db, incidentId: string): Promise<Array<{ id: string; lines: HeldChannelLine[] }>> {
  const rows = await db
    .update(timelineEntries)
    .set({
      data: sql`(${timelineEntries.data} - 'heldLines') || jsonb_build_object('heldLinesPosted', ${timelineEntries.data} -> 'heldLines')`,
    })
    .where(and(eq(timelineEntries.incidentId, incidentId), sql`${timelineEntries.data} -> 'heldLines' is not null`))
    .returning({ id: timelineEntries.id, data: timelineEntries.data, at: timelineEntries.at });
  return rows
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((r) => ({ id: r.id, lines: (r.data.heldLinesPosted ?? []) as HeldChannelLine[] }));
}

/** Gives back the claimed lines not yet posted (those from the one that failed on), for the next try. */
export async function releaseHeldChannelLines(db: Db, entryId: string, unposted: readonly HeldChannelLine[]): Promise<void> {
  await db
    .update(timelineEntries)
    .set({ data: sql`${timelineEntries.data} || jsonb_build_object('heldLines', ${JSON.stringify(unposted)}::jsonb)` })
    .where(eq(timelineEntries.id, entryId));
}
