import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { heldTexts, timelineEntries } from '../schema/index.js';
import type { TimelineEntry } from '../../domain/incident.js';

export async function findTimelineEntry(db: Db, id: string): Promise<TimelineEntry | undefined> {
  const [row] = await db.select().from(timelineEntries).where(eq(timelineEntries.id, id));
  return row;
}

/** Entries captured from one Slack message (pinned, marked with a reaction) in an incident. */
export async function entriesOfMessage(db: Db, incidentId: string, messageTs: string): Promise<TimelineEntry[]> {
  return db
    .select()
    .from(timelineEntries)
    .where(and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.messageTs, messageTs)));
}

/** Replaces an entry's text (the original is gone from the row); marks it redacted so a later Slack edit does not bring text back. */
export async function replaceEntryText(db: Db, id: string, text: string, redacted: boolean): Promise<void> {
  await db
    .update(timelineEntries)
    .set({ text, ...(redacted ? { data: sql`${timelineEntries.data} || '{"redacted": true}'::jsonb` } : {}) })
    .where(eq(timelineEntries.id, id));
}

export async function keepHeldText(db: Db, row: typeof heldTexts.$inferInsert): Promise<void> {
  await db.insert(heldTexts).values(row);
}
