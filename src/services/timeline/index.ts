import type { Database } from '../../db/client.js';
import type { Catalog } from '../../blocks/catalog.js';
import type { RenderedMessage } from '../../blocks/incident-messages.js';
import { findIncidentByChannel } from '../../db/repos/incidents.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';
import type { RetentionConfig } from '../../domain/retention.js';
import { capturePin, captureReaction, claimAndWrite } from './capture.js';
import { channelOf, type TimelineEvent } from './events.js';
import { applyMembership } from './membership.js';
import { addNote, showTimeline } from './read-and-note.js';

export interface TimelineDeps {
  db: Database;
  slack: SlackGateway;
  catalog: Catalog;
  logger: Logger;
  clock: Clock;
  /** Admins see private incidents' timelines too. */
  admins: readonly string[];
  /** Who besides the admins gets Redact buttons (`retention.may_redact`). */
  retention?: RetentionConfig | undefined;
}

/** A Slack Events API delivery, its event read at the edge. */
export interface SlackEventDelivery {
  eventId: string;
  teamId: string;
  event: TimelineEvent;
}

/** The timeline use cases: capture from pins and reactions, notes, showing it; channel membership. */
export interface TimelineServices {
  /** pin_added/removed, reaction_added/removed (:pushpin:), member_joined/left_channel. Once per event id. */
  handleEvent(delivery: SlackEventDelivery): Promise<void>;
  /** `/incident timeline` in an incident channel. */
  show(input: { userId: string; channelId: string }): Promise<RenderedMessage>;
  /** `/incident note <text>` in an incident channel (once per `submissionKey`); returns the words for the caller. */
  addNote(input: { userId: string; channelId: string; text: string; submissionKey: string }): Promise<string>;
}

export function createTimelineServices(deps: TimelineDeps): TimelineServices {
  return {
    handleEvent: (delivery) => handleEvent(deps, delivery),
    show: (input) => showTimeline({ ...deps, groupMembers: (groupId) => deps.slack.usergroupMembers(groupId) }, input),
    addNote: (input) => addNote(deps, input),
  };
}

/**
 * Events outside incident channels are ignored. Inside one, the delivery is claimed in the same
 * transaction as its write (`event:<team>:<event id>`), so a retried delivery changes nothing
 * and a failed one can still be redone.
 */
async function handleEvent(deps: TimelineDeps, delivery: SlackEventDelivery): Promise<void> {
  const { event } = delivery;
  const incident = await findIncidentByChannel(deps.db, channelOf(event));
  if (!incident) return;
  const key = `event:${delivery.teamId}:${delivery.eventId}`;
  switch (event.type) {
    case 'pin_added':
    case 'pin_removed':
      return capturePin(deps, key, incident, event);
    case 'reaction_added':
    case 'reaction_removed':
      return captureReaction(deps, key, incident, event);
    case 'member_joined_channel':
    case 'member_left_channel':
      await claimAndWrite(deps.db, key, (tx) => applyMembership(tx, incident, event));
      return;
  }
}
