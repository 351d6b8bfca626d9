import type { Catalog } from '../../blocks/catalog.js';
import type { MeridianConfig } from '../../config-file/types.js';
import type { Database } from '../../db/client.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';

/** What the clock use cases share. */
export interface ClockDeps {
  db: Database;
  slack: Pick<
    SlackGateway,
    'postMessage' | 'postOnce' | 'updateMessage' | 'userInfo' | 'invite' | 'usergroupMembers' | 'lookupUserByEmail'
  >;
  scheduler: Pick<ActionScheduler, 'enqueue' | 'remove'>;
  catalog: Catalog;
  meridian: MeridianConfig;
  feedChannelId: string | undefined;
  logger: Logger;
  clock: Clock;
}
