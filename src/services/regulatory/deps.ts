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
  /**
   * A tracked follow-up (the follow-ups feature's `createFollowUp`): a concluded crisis protocol's
   * debrief. Absent (a set-up without follow-ups): the debrief is a reminder in the channel.
   */
  createFollowUp?: (input: {
    incidentId: string;
    title: string;
    ownerId: string;
    dueAt: Date;
    createdBy: string;
    submissionKey: string;
  }) => Promise<{ number: number }>;
}
