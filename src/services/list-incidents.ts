import { INCIDENT_LIST_PAGE_SIZE } from '../blocks/incident-list.js';
import type { Db } from '../db/client.js';
import { pendingClocksOf } from '../db/repos/clocks.js';
import { countOpenIncidentsVisibleTo, listOpenIncidentsVisibleTo, type Incident } from '../db/repos/incidents.js';
import { nextDeadline, type IncidentClock } from '../domain/clocks.js';

/** One page of the open incidents a user may see, with the true count of all of them. */
export interface IncidentListPage {
  incidents: Incident[];
  /** Every open incident the user may see, not only this page's. */
  total: number;
  /** 1-based. */
  page: number;
  pageSize: number;
  /** Each listed incident's next deadline, by incident id (none: no clock asks for an answer). */
  nextDeadlines: ReadonlyMap<string, IncidentClock>;
}

/** Open incidents the user may see: every public one, and the private ones they belong to. */
export async function listOpenIncidents(
  deps: { db: Db },
  input: { teamId: string; userId: string; page?: number },
): Promise<IncidentListPage> {
  const pageSize = INCIDENT_LIST_PAGE_SIZE;
  const page = Math.max(1, Math.floor(input.page ?? 1));
  const [incidents, total] = await Promise.all([
    listOpenIncidentsVisibleTo(deps.db, input.teamId, { userId: input.userId }, pageSize, (page - 1) * pageSize),
    countOpenIncidentsVisibleTo(deps.db, input.teamId, { userId: input.userId }),
  ]);
  return {
    incidents,
    total,
    page,
    pageSize,
    nextDeadlines: await nextDeadlinesOf(
      deps.db,
      incidents.map((i) => i.id),
    ),
  };
}

/** The next deadline of each incident given that has one. */
export async function nextDeadlinesOf(db: Db, incidentIds: readonly string[]): Promise<Map<string, IncidentClock>> {
  const clocks = await pendingClocksOf(db, incidentIds);
  const next = new Map<string, IncidentClock>();
  for (const id of new Set(clocks.map((c) => c.incidentId))) {
    const clock = nextDeadline(clocks.filter((c) => c.incidentId === id));
    if (clock) next.set(id, clock);
  }
  return next;
}
