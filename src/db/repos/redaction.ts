import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { heldTexts, incidentSearchText, incidents, intakeReports, timelineEntries } from '../schema/index.js';
import type { IncidentTextField } from '../../domain/retention.js';
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

/**
 * A message Meridian posted that quotes a timeline entry (an update in the channel and the feed,
 * the resolution line), kept on the entry so a redaction can rewrite it in Slack.
 */
export interface EntryPost {
  readonly channel: string;
  readonly ts: string;
  /** `update`: quotes the entry's text; `resolution`: quotes the incident's resolution summary and mitigation. */
  readonly shows: 'update' | 'resolution';
}

/** Adds the posts to the entry's `data.posts`. */
export async function recordEntryPosts(db: Db, entryId: string, posts: readonly EntryPost[]): Promise<void> {
  if (posts.length === 0) return;
  await db
    .update(timelineEntries)
    .set({
      data: sql`${timelineEntries.data} || jsonb_build_object('posts', coalesce(${timelineEntries.data}->'posts', '[]'::jsonb) || ${JSON.stringify(posts)}::jsonb)`,
    })
    .where(eq(timelineEntries.id, entryId));
}

/** The posts kept on an entry (none for entries recorded before posts were kept). */
export function postsOf(data: Record<string, unknown>): EntryPost[] {
  const posts = data.posts;
  if (!Array.isArray(posts)) return [];
  return posts.filter(
    (p): p is EntryPost =>
      typeof p === 'object' && p !== null && typeof (p as EntryPost).channel === 'string' && typeof (p as EntryPost).ts === 'string',
  );
}

/** The incident's entries whose posts quote its resolution (resolution lines), with who resolved. */
export async function resolutionPosts(db: Db, incidentId: string): Promise<Array<{ actorId: string | null; posts: EntryPost[] }>> {
  const rows = await db
    .select({ actorId: timelineEntries.actorId, data: timelineEntries.data })
    .from(timelineEntries)
    .where(and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.kind, 'status_changed')));
  return rows
    .map((r) => ({ actorId: r.actorId, posts: postsOf(r.data).filter((p) => p.shows === 'resolution') }))
    .filter((r) => r.posts.length > 0);
}

/** The held texts of an incident, oldest first. */
export async function heldTextsOf(db: Db, incidentId: string) {
  return db
    .select({
      target: heldTexts.target,
      text: heldTexts.text,
      owners: heldTexts.owners,
      redactedBy: heldTexts.redactedBy,
      redactedAt: heldTexts.redactedAt,
    })
    .from(heldTexts)
    .where(eq(heldTexts.incidentId, incidentId))
    .orderBy(heldTexts.redactedAt);
}

export async function keepHeldText(db: Db, row: typeof heldTexts.$inferInsert): Promise<void> {
  await db.insert(heldTexts).values(row);
}

/** The incident's own texts a person can redact, by `RedactTarget` kind. */
const INCIDENT_COLUMNS = {
  summary: incidents.summary,
  resolution_summary: incidents.resolutionSummary,
  mitigation: incidents.mitigation,
} as const;

/** One of the incident's own texts; null when empty. */
export async function incidentText(db: Db, incidentId: string, field: IncidentTextField): Promise<string | null> {
  const [row] = await db.select({ text: INCIDENT_COLUMNS[field] }).from(incidents).where(eq(incidents.id, incidentId));
  return row?.text ? row.text : null;
}

/** Replaces one of the incident's own texts. */
export async function replaceIncidentText(db: Db, incidentId: string, field: IncidentTextField, text: string): Promise<void> {
  const patch =
    field === 'summary' ? { summary: text } : field === 'resolution_summary' ? { resolutionSummary: text } : { mitigation: text };
  await db.update(incidents).set(patch).where(eq(incidents.id, incidentId));
}

/** An intake report's body (summary, reporter, links) and the incident it went to. */
export async function reportBody(
  db: Db,
  reportId: string,
): Promise<{ incidentId: string | null; summary: string; reporter: string | null; links: string[] } | undefined> {
  const [row] = await db
    .select({
      incidentId: intakeReports.incidentId,
      summary: intakeReports.summary,
      reporter: intakeReports.reporter,
      links: intakeReports.links,
    })
    .from(intakeReports)
    .where(eq(intakeReports.id, reportId));
  return row;
}

/** Replaces a report's body: the summary becomes `text`, the reporter and links go. */
export async function replaceReportBody(db: Db, reportId: string, text: string): Promise<void> {
  await db.update(intakeReports).set({ summary: text, reporter: null, links: [] }).where(eq(intakeReports.id, reportId));
}

/** The intake reports that went to the incident, with a body left to redact. */
export async function reportsOfIncident(db: Db, incidentId: string): Promise<Array<{ id: string; title: string; summary: string }>> {
  return db
    .select({ id: intakeReports.id, title: intakeReports.title, summary: intakeReports.summary })
    .from(intakeReports)
    .where(eq(intakeReports.incidentId, incidentId));
}

/** The incident's summary, which the declare form prefilled from a report's body: the report's text goes from it too. */
export async function scrubIncidentSummary(db: Db, incidentId: string, original: string, note: string): Promise<void> {
  // A very short text (a reporter called "Al") would cut words of the summary apart: left as it is.
  if (original.trim().length < 4) return;
  await db
    .update(incidents)
    .set({ summary: sql`replace(${incidents.summary}, ${original}, ${note})` })
    .where(eq(incidents.id, incidentId));
}

/** What "seen before" compares: the original text goes from it too. */
export async function scrubSearchText(db: Db, incidentId: string, original: string, note: string, at: Date): Promise<void> {
  if (original === '') return;
  await db
    .update(incidentSearchText)
    .set({ body: sql`replace(${incidentSearchText.body}, ${original}, ${note})`, updatedAt: at })
    .where(eq(incidentSearchText.incidentId, incidentId));
}
