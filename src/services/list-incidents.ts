import type { Db } from '../db/client.js';
import { listOpenIncidentsVisibleTo, type Incident } from '../db/repos/incidents.js';

/** Open incidents the user may see: every public one, and the private ones they belong to. */
export async function listOpenIncidents(deps: { db: Db }, input: { teamId: string; userId: string }): Promise<Incident[]> {
  return listOpenIncidentsVisibleTo(deps.db, input.teamId, input.userId);
}
