import { followUpsOfIncident, type StoredFollowUp } from './follow-ups.js';
import { asc, eq, isNotNull, and, min } from 'drizzle-orm';
import type { Db } from '../client.js';
import { escalations, incidentClocks, incidentRoles, incidents, pages, timelineEntries } from '../schema/index.js';
import type { Incident, IncidentRoleAssignment, TimelineEntry } from '../../domain/incident.js';
import { linksOfIncident, type IncidentLinkView } from './similar-incidents.js';

export type TimelineRow = TimelineEntry;
export type RoleRow = IncidentRoleAssignment;
export type ClockRow = typeof incidentClocks.$inferSelect;

/** Everything a post-incident review is drawn from. */
export interface ReviewRecord {
  incident: Incident;
  /** Oldest first; same-instant entries in the order they were written. */
  timeline: TimelineRow[];
  /** Current holders, in the order they were given their role. */
  roles: RoleRow[];
  /** The first acknowledgement of any page or escalation, for incidents whose own stamp is missing. */
  firstAcknowledgedAt: Date | null;
  /** The incident's response clocks, by due time; absent in a record built by hand. */
  clocks?: ClockRow[];
  /** Its tracked follow-ups (follow_up_actions), by due date; absent in a record built by hand. */
  trackedFollowUps?: StoredFollowUp[];
  /** Links to other incidents, either end; absent in a record built by hand. */
  links?: IncidentLinkView[];
}

export async function findIncidentByNumber(db: Db, number: number): Promise<Incident | undefined> {
  const [row] = await db.select().from(incidents).where(eq(incidents.number, number));
  return row;
}

/** The incident's timeline, roles and first acknowledgement, read in one snapshot when `db` is a transaction. */
export async function loadReviewRecord(db: Db, incident: Incident): Promise<ReviewRecord> {
  const timeline = await db
    .select()
    .from(timelineEntries)
    .where(eq(timelineEntries.incidentId, incident.id))
    .orderBy(asc(timelineEntries.at), asc(timelineEntries.createdAt));
  const roles = await db
    .select()
    .from(incidentRoles)
    .where(eq(incidentRoles.incidentId, incident.id))
    .orderBy(asc(incidentRoles.assignedAt));
  const [page] = await db
    .select({ at: min(pages.acknowledgedAt) })
    .from(pages)
    .where(and(eq(pages.incidentId, incident.id), isNotNull(pages.acknowledgedAt)));
  const [escalation] = await db
    .select({ at: min(escalations.acknowledgedAt) })
    .from(escalations)
    .where(and(eq(escalations.incidentId, incident.id), isNotNull(escalations.acknowledgedAt)));
  const clocks = await db
    .select()
    .from(incidentClocks)
    .where(eq(incidentClocks.incidentId, incident.id))
    .orderBy(asc(incidentClocks.dueAt), asc(incidentClocks.createdAt));
  const trackedFollowUps = await followUpsOfIncident(db, incident.id);
  const links = await linksOfIncident(db, incident.id);
  return {
    ...{ incident, timeline, roles, clocks, trackedFollowUps, links },
    firstAcknowledgedAt: earliest(toDate(page?.at), toDate(escalation?.at)),
  };
}

/** min() comes back as the driver gives it (a string on some drivers), not through the column's mapping. */
function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date;
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() <= b.getTime() ? a : b;
}
