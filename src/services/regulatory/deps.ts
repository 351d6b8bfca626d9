import type { Catalog } from '../../blocks/catalog.js';
import type { MeridianConfig } from '../../config-file/types.js';
import type { Database } from '../../db/client.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';

/** What the regulatory record's use cases share. */
export interface RegulatoryDeps {
  db: Database;
  slack: Pick<SlackGateway, 'postMessage' | 'updateMessage' | 'openDm' | 'uploadFile'>;
  scheduler: Pick<ActionScheduler, 'enqueue' | 'remove'>;
  catalog: Catalog;
  meridian: MeridianConfig;
  logger: Logger;
  clock: Clock;
}
