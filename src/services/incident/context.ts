import type { AuditAction } from '../../domain/audit-actions.js';
import type { MeridianConfig } from '../../config-file/types.js';
import type { Database } from '../../db/client.js';
import type { Incident } from '../../db/repos/incidents.js';
import { addAuditRecord } from '../../db/repos/record.js';
import type { Catalog } from '../../blocks/catalog.js';
import { canChangeIncident, changeRefusalMessage } from '../../domain/permissions.js';
import { PermissionDenied } from '../../errors.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import { incidentForUser, incidentOfChannelForUser } from '../incident-access.js';
import type { ReviewServices } from '../review/index.js';
import type { Clock } from '../types.js';
import type { IncidentLocator } from './index.js';

/** What the incident use cases share. */
import type { FollowUpDeps } from '../follow-ups/deps.js';

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
  /** Where the resolve modal's follow-ups are exported, as `createFollowUp` does from anywhere else. */
  jira?: FollowUpDeps['jira'];
  webhook?: FollowUpDeps['webhook'];
  /** The review canvas, re-written when the resolve modal's lines become tracked follow-ups after it was drafted. */
  reviewCanvas?: FollowUpDeps['reviewCanvas'];
}

/**
 * The incident a request from `userId` names. A private incident is, to a non-member who is
 * no admin, the same neutral answer as an id that does not exist (see `incident-access.ts`).
 */
export async function locateIncident(
  deps: Pick<IncidentDeps, 'db' | 'meridian' | 'clock'>,
  where: IncidentLocator,
  userId: string,
): Promise<Incident> {
  const access = { db: deps.db, admins: deps.meridian.admins, clock: deps.clock };
  return 'channelId' in where
    ? incidentOfChannelForUser(access, where.channelId, userId)
    : incidentForUser(access, where.incidentId, userId);
}

/**
 * Only the commander, the declarer or an admin may change an incident. A refused attempt is
 * audited, then refused with a message that says whom to ask.
 */
export async function requireChanger(
  deps: Pick<IncidentDeps, 'db' | 'meridian' | 'clock'>,
  incident: Incident,
  userId: string,
  action: AuditAction,
): Promise<void> {
  if (canChangeIncident({ userId, incident, admins: deps.meridian.admins })) return;
  await addAuditRecord(deps.db, { incidentId: incident.id, at: deps.clock(), actorId: userId, action, outcome: 'refused', details: {} });
  throw new PermissionDenied(changeRefusalMessage(incident));
}
