import type { Database } from '../../db/client.js';
import type { MeridianConfig } from '../../config-file/types.js';
import type { Catalog } from '../../blocks/catalog.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';

export interface ReviewDeps {
  db: Database;
  slack: SlackGateway;
  catalog: Catalog;
  meridian: MeridianConfig;
  logger: Logger;
  clock: Clock;
}

export interface ReviewServices {
  /** `/incident review` in the channel, and automatically at resolve: uploads the draft as a file. */
  post(input: { incidentId: string; requestedBy: string | null }): Promise<string>;
  /** `/incident review` typed in a channel: finds the incident, checks the caller may see it. */
  postFromChannel(input: { userId: string; channelId: string }): Promise<string>;
  /** The Markdown for GET /reviews/INC-<n>; null when there is no such incident. */
  markdown(number: number): Promise<string | null>;
}

export function createReviewServices(deps: ReviewDeps): ReviewServices {
  void deps;
  return {
    post: async () => 'Reviews are being built.',
    postFromChannel: async () => 'Reviews are being built.',
    markdown: async () => null,
  };
}
