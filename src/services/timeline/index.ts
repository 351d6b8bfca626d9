import type { Database } from '../../db/client.js';
import type { Catalog } from '../../blocks/catalog.js';
import type { RenderedMessage } from '../../blocks/incident-messages.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';

export interface TimelineDeps {
  db: Database;
  slack: SlackGateway;
  catalog: Catalog;
  logger: Logger;
  clock: Clock;
}

/** A Slack Events API delivery, as the edge hands it over. */
export interface SlackEventDelivery {
  eventId: string;
  teamId: string;
  event: { type: string } & Record<string, unknown>;
}

/** The timeline use cases: capture from pins and reactions, notes, showing it; channel membership. */
export interface TimelineServices {
  /** pin_added/removed, reaction_added/removed (:pushpin:), member_joined/left_channel. Once per event id. */
  handleEvent(delivery: SlackEventDelivery): Promise<void>;
  /** `/incident timeline` in an incident channel. */
  show(input: { userId: string; channelId: string }): Promise<RenderedMessage>;
  /** `/incident note <text>` in an incident channel; returns the words for the caller. */
  addNote(input: { userId: string; channelId: string; text: string }): Promise<string>;
}

export function createTimelineServices(deps: TimelineDeps): TimelineServices {
  void deps;
  return {
    handleEvent: async () => {},
    show: async () => ({ text: 'The timeline is being built.', blocks: [] }),
    addNote: async () => 'Notes are being built.',
  };
}
