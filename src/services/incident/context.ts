import type { MeridianConfig } from '../../config-file/types.js';
import type { Database, Db } from '../../db/client.js';
import { findIncident, findIncidentByChannel, type Incident } from '../../db/repos/incidents.js';
import { addAuditRecord } from '../../db/repos/record.js';
import type { Catalog } from '../../blocks/catalog.js';
import { canChangeIncident, changeRefusalMessage } from '../../domain/permissions.js';
import { NotFound, PermissionDenied, UserError } from '../../errors.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { ReviewServices } from '../review/index.js';
import type { Clock } from '../types.js';
import type { IncidentLocator } from './index.js';

/** What the incident use cases share. */
export interface IncidentDeps {
  db: Database;
  slack: SlackGateway;
  scheduler: ActionScheduler;
  catalog: Catalog;
  meridian: MeridianConfig;
  feedChannelId: string | undefined;
  logger: Logger;
  clock: Clock;
  review: Pick<ReviewServices, 'post'>;
}

export async function locateIncident(db: Db, where: IncidentLocator): Promise<Incident> {
  const incident = 'channelId' in where ? await findIncidentByChannel(db, where.channelId) : await findIncident(db, where.incidentId);
  if (!incident) {
    if ('channelId' in where) throw new UserError('not_incident_channel', "Run this in the incident's channel.");
    throw new NotFound('That incident no longer exists.');
  }
  return incident;
}

/**
 * Only the commander, the declarer or an admin may change an incident. A refused attempt is
 * audited, then refused with a message that says whom to ask.
 */
export async function requireChanger(
  deps: Pick<IncidentDeps, 'db' | 'meridian' | 'clock'>,
  incident: Incident,
  userId: string,
  action: string,
): Promise<void> {
  if (canChangeIncident({ userId, incident, admins: deps.meridian.admins })) return;
  await addAuditRecord(deps.db, { incidentId: incident.id, at: deps.clock(), actorId: userId, action, outcome: 'refused', details: {} });
  throw new PermissionDenied(changeRefusalMessage(incident));
}
