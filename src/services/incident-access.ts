/**
 * Who may learn that an incident exists. Every lookup of an incident or a page by an id or a
 * channel that came from Slack goes through here, so a private incident's id, page id or channel
 * id tells a non-member no more than an id that never existed.
 */
import type { Db } from '../db/client.js';
import { findPage, type Page } from '../db/repos/escalations.js';
import { findIncident, findIncidentByChannel, isIncidentMember, type Incident, type IncidentViewer } from '../db/repos/incidents.js';
import { addAuditRecord } from '../db/repos/record.js';
import { NotFound, UserError } from '../errors.js';

/** The one answer for an incident that is private to others or does not exist. */
export const NOT_AVAILABLE_TEXT = 'That incident is not available to you.';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessDeps {
  db: Db;
  admins: readonly string[];
  clock: () => Date;
}

/** Public incidents are visible to all; private ones to their members (incident_members) and admins. */
export async function canSeeIncident(
  deps: Pick<AccessDeps, 'db' | 'admins'>,
  incident: Pick<Incident, 'id' | 'isPrivate'>,
  userId: string,
): Promise<boolean> {
  if (!incident.isPrivate) return true;
  if (!userId) return false;
  return deps.admins.includes(userId) || (await isIncidentMember(deps.db, incident.id, userId));
}

/** A viewer for the list queries: admins see every private incident, as `canSeeIncident` says. */
export function viewerOf(deps: Pick<AccessDeps, 'admins'>, userId: string): IncidentViewer {
  return { userId, seesAllPrivate: deps.admins.includes(userId) };
}

/** Throws the neutral NotFound, auditing the attempt, when `userId` may not see the incident. */
async function requireVisible(deps: AccessDeps, incident: Incident, userId: string, extra = false): Promise<Incident> {
  if (extra || (await canSeeIncident(deps, incident, userId))) return incident;
  await addAuditRecord(deps.db, {
    incidentId: incident.id,
    at: deps.clock(),
    actorId: userId,
    action: 'incident.access',
    outcome: 'refused',
    details: {},
  });
  throw new NotFound(NOT_AVAILABLE_TEXT);
}

/** An incident by the id a button or a modal carried. */
export async function incidentForUser(deps: AccessDeps, incidentId: string, userId: string): Promise<Incident> {
  const incident = UUID.test(incidentId) ? await findIncident(deps.db, incidentId) : undefined;
  if (!incident) throw new NotFound(NOT_AVAILABLE_TEXT);
  return requireVisible(deps, incident, userId);
}

/**
 * The incident of the channel a command was typed in. A channel that is no incident's says
 * where to run the command (`notIncidentText`); a private incident's, to a non-member, is neutral.
 */
export async function incidentOfChannelForUser(
  deps: AccessDeps,
  channelId: string,
  userId: string,
  notIncidentText = "Run this in the incident's channel.",
): Promise<Incident> {
  const incident = await findIncidentByChannel(deps.db, channelId);
  if (!incident) throw new UserError('not_incident_channel', notIncidentText);
  return requireVisible(deps, incident, userId);
}

/** A page and its incident, by the page id a DM button carried. The paged person always sees their own page. */
export async function pageForUser(deps: AccessDeps, pageId: string, userId: string): Promise<{ page: Page; incident: Incident }> {
  const page = UUID.test(pageId) ? await findPage(deps.db, pageId) : undefined;
  const incident = page && (await findIncident(deps.db, page.incidentId));
  if (!page || !incident) throw new NotFound(NOT_AVAILABLE_TEXT);
  return { page, incident: await requireVisible(deps, incident, userId, page.userId === userId) };
}
