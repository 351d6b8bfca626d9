import type { Catalog } from '../../blocks/catalog.js';
import type { MeridianConfig } from '../../config-file/types.js';
import type { Database } from '../../db/client.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';

/** What the intake use cases need. */
export interface IntakeDeps {
  db: Database;
  slack: Pick<SlackGateway, 'postMessage' | 'postOnce' | 'updateMessage' | 'permalink' | 'channelMembers' | 'findDelivered'>;
  scheduler: Pick<ActionScheduler, 'enqueue'>;
  catalog: Catalog;
  meridian: Pick<MeridianConfig, 'intake' | 'admins' | 'categories' | 'deadlines'>;
  /** INTAKE_CHANNEL: where reports wait for triage. */
  triageChannelId: string | undefined;
  logger: Logger;
  clock: Clock;
}
