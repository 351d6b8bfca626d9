import { INCIDENT_LIST_PAGE_SIZE } from '../blocks/incident-list.js';
import type { Db } from '../db/client.js';
import { countOpenIncidentsVisibleTo, listOpenIncidentsVisibleTo, type Incident } from '../db/repos/incidents.js';

/** One page of the open incidents a user may see, with the true count of all of them. */
export interface IncidentListPage {
  incidents: Incident[];
  /** Every open incident the user may see, not only this page's. */
  total: number;
  /** 1-based. */
  page: number;
  pageSize: number;
}

/** Open incidents the user may see: every public one, and the private ones they belong to. */
export async function listOpenIncidents(
  deps: { db: Db },
  input: { teamId: string; userId: string; page?: number },
): Promise<IncidentListPage> {
  const pageSize = INCIDENT_LIST_PAGE_SIZE;
  const page = Math.max(1, Math.floor(input.page ?? 1));
  const [incidents, total] = await Promise.all([
    listOpenIncidentsVisibleTo(deps.db, input.teamId, input.userId, pageSize, (page - 1) * pageSize),
    countOpenIncidentsVisibleTo(deps.db, input.teamId, input.userId),
  ]);
  return { incidents, total, page, pageSize };
}
