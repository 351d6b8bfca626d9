import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { incidentLinks, incidentSearchText, incidents, intakeReports, timelineEntries } from '../schema/index.js';
import type { Incident } from '../../domain/incident.js';
import type { IncidentLinkKind } from '../../domain/similar-incidents.js';

/** Stores (or replaces) what an incident is compared on. */
export async function saveSearchText(db: Db, incidentId: string, text: { title: string; body: string }, now: Date): Promise<void> {
  await db
    .insert(incidentSearchText)
    .values({ incidentId, ...text, updatedAt: now })
    .onConflictDoUpdate({ target: incidentSearchText.incidentId, set: { ...text, updatedAt: now } });
}

/** The titles and summaries of the intake reports declared as, or merged into, the incident. */
export async function linkedReportTexts(db: Db, incidentId: string): Promise<string[]> {
  const rows = await db
    .select({ title: intakeReports.title, summary: intakeReports.summary })
    .from(intakeReports)
    .where(eq(intakeReports.incidentId, incidentId));
  return rows.flatMap((r) => [r.title, r.summary]);
}

/** An earlier incident Postgres found alike, with its scores and what "seen before" shows of it. */
export interface SimilarCandidate {
  incident: Incident;
  title: number;
  body: number;
  bodyText: string;
  /** When its review was last posted, if ever. */
  reviewPostedAt: Date | null;
}

/**
 * Incidents declared before `before` (not `excludeId`, not cancelled) whose text is alike by
 * trigram similarity (pg_trgm) or shares a word (full-text search), best first, at most `limit`.
 * Privacy is the caller's: private incidents are among them.
 */
export async function similarCandidates(
  db: Db,
  query: { teamId: string; excludeId: string | null; before: Date; title: string; body: string; anyWord: string | null },
  limit = 30,
): Promise<SimilarCandidate[]> {
  const t = incidentSearchText;
  const titleScore = sql<number>`greatest(similarity(${t.title}, ${query.title}), word_similarity(${t.title}, ${query.title}), word_similarity(${query.title}, ${t.title}))`;
  const bodyScore = sql<number>`similarity(${t.body}, ${query.body})`;
  const wordMatch = query.anyWord ? sql`to_tsvector('simple', ${t.body}) @@ to_tsquery('simple', ${query.anyWord})` : sql`false`;
  const rows = await db
    .select({ incident: incidents, title: titleScore, body: bodyScore, bodyText: t.body })
    .from(t)
    .innerJoin(incidents, eq(incidents.id, t.incidentId))
    .where(
      and(
        eq(incidents.teamId, query.teamId),
        sql`${incidents.declaredAt} < ${query.before.toISOString()}`,
        sql`${incidents.status} <> 'cancelled'`,
        query.excludeId ? sql`${incidents.id} <> ${query.excludeId}` : undefined,
        or(sql`${titleScore} >= 0.3`, sql`${bodyScore} >= 0.3`, wordMatch),
      ),
    )
    .orderBy(desc(sql`greatest(${titleScore}, ${bodyScore})`), desc(incidents.declaredAt))
    .limit(limit);
  const ids = rows.map((r) => r.incident.id);
  const reviews = ids.length
    ? await db
        .select({ incidentId: timelineEntries.incidentId, at: sql<string>`max(${timelineEntries.at})` })
        .from(timelineEntries)
        .where(and(inArray(timelineEntries.incidentId, ids), eq(timelineEntries.kind, 'review_posted')))
        .groupBy(timelineEntries.incidentId)
    : [];
  const reviewed = new Map(reviews.map((r) => [r.incidentId, new Date(String(r.at))]));
  return rows.map((r) => ({
    incident: r.incident,
    title: Number(r.title),
    body: Number(r.body),
    bodyText: r.bodyText,
    reviewPostedAt: reviewed.get(r.incident.id) ?? null,
  }));
}

/** A link between two incidents, seen from one of them. */
export interface IncidentLinkView {
  other: Incident;
  kind: IncidentLinkKind;
  /** True when the link was made from this incident ("this is a duplicate of the other"). */
  fromThisEnd: boolean;
}

/** Links the incident at either end, oldest first. */
export async function linksOfIncident(db: Db, incidentId: string): Promise<IncidentLinkView[]> {
  const rows = await db
    .select()
    .from(incidentLinks)
    .where(or(eq(incidentLinks.incidentId, incidentId), eq(incidentLinks.linkedIncidentId, incidentId)))
    .orderBy(incidentLinks.createdAt);
  if (!rows.length) return [];
  const otherIds = rows.map((r) => (r.incidentId === incidentId ? r.linkedIncidentId : r.incidentId));
  const others = new Map((await db.select().from(incidents).where(inArray(incidents.id, otherIds))).map((i) => [i.id, i]));
  return rows.flatMap((r) => {
    const fromThisEnd = r.incidentId === incidentId;
    const other = others.get(fromThisEnd ? r.linkedIncidentId : r.incidentId);
    return other ? [{ other, kind: r.kind, fromThisEnd }] : [];
  });
}

/** Links two incidents, or changes the kind of their link; false when it already was that. */
export async function saveIncidentLink(
  db: Db,
  link: { incidentId: string; linkedIncidentId: string; kind: IncidentLinkKind; createdBy: string; at: Date },
): Promise<boolean> {
  // One link per pair, whichever end it was typed at: the reverse is replaced.
  await db
    .delete(incidentLinks)
    .where(and(eq(incidentLinks.incidentId, link.linkedIncidentId), eq(incidentLinks.linkedIncidentId, link.incidentId)));
  const [existing] = await db
    .select()
    .from(incidentLinks)
    .where(and(eq(incidentLinks.incidentId, link.incidentId), eq(incidentLinks.linkedIncidentId, link.linkedIncidentId)));
  if (existing?.kind === link.kind) return false;
  await db
    .insert(incidentLinks)
    .values({
      incidentId: link.incidentId,
      linkedIncidentId: link.linkedIncidentId,
      kind: link.kind,
      createdBy: link.createdBy,
      createdAt: link.at,
    })
    .onConflictDoUpdate({
      target: [incidentLinks.incidentId, incidentLinks.linkedIncidentId],
      set: { kind: link.kind, createdBy: link.createdBy },
    });
  return true;
}
