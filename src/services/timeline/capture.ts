/** Pins and :pushpin: reactions in an incident channel become timeline entries; undoing them removes the entry. */
import type { Database, Db } from '../../db/client.js';
import type { Incident } from '../../db/repos/incidents.js';
import { claimSlackDelivery } from '../../db/repos/slack-events.js';
import { addCapturedEntry, removeCapturedEntry } from '../../db/repos/timeline.js';
import { type Catalog, isSensitiveCategory } from '../../blocks/catalog.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';
import { type PinEvent, type ReactionEvent, TIMELINE_REACTION, tsToDate } from './events.js';

export type CaptureDeps = {
  db: Database;
  slack: Pick<SlackGateway, 'findMessage' | 'permalink'>;
  logger: Logger;
  clock: Clock;
  /** Sensitive categories' captures keep only the permalink: no excerpt to show outside the channel. */
  catalog?: Pick<Catalog, 'categories'>;
};

/** What a sensitive incident's captured message says instead of its text. */
export const SENSITIVE_CAPTURE_TEXT = '(message captured; open it in the channel)';

/** Entry kinds of captured messages: one entry per message per way of capturing it. */
export const CAPTURE_KIND = { pin: 'pin', reaction: 'reaction' } as const;

/** The message to store, as far as we know it. */
interface CapturedMessage {
  ts: string;
  text: string;
  authorId: string | null;
  permalink: string | null;
}

/**
 * Claims the delivery and runs `write` in one transaction: if the write fails, the claim is
 * rolled back too, so Slack's retry (or a redelivery) can still do the work.
 */
export async function claimAndWrite(db: Database, deliveryKey: string, write: (tx: Db) => Promise<void>): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await claimSlackDelivery(tx, deliveryKey))) return false;
    await write(tx);
    return true;
  });
}

/** The card the bot pinned itself is the incident's header, not something that happened. */
function isIncidentCard(incident: Incident, ts: string): boolean {
  return incident.cardTs !== null && incident.cardTs === ts;
}

async function store(
  deps: CaptureDeps,
  deliveryKey: string,
  incident: Incident,
  kind: string,
  message: CapturedMessage,
  capturedBy: string | null,
): Promise<void> {
  const at = tsToDate(message.ts) ?? deps.clock();
  await claimAndWrite(deps.db, deliveryKey, async (tx) => {
    await addCapturedEntry(tx, {
      incidentId: incident.id,
      kind,
      messageTs: message.ts,
      at,
      actorId: message.authorId,
      text: deps.catalog && isSensitiveCategory(deps.catalog, incident.category) ? SENSITIVE_CAPTURE_TEXT : message.text,
      permalink: message.permalink,
      data: capturedBy ? { capturedBy } : {},
    });
  });
}

async function permalinkOf(deps: CaptureDeps, channelId: string, ts: string, given?: string): Promise<string | null> {
  if (given) return given;
  try {
    return await deps.slack.permalink(channelId, ts);
  } catch (err) {
    // The entry is still worth keeping without its link.
    deps.logger.warn({ err, channelId, ts }, 'no permalink for a captured message');
    return null;
  }
}

/** pin_added / pin_removed: the event carries the message itself. */
export async function capturePin(deps: CaptureDeps, deliveryKey: string, incident: Incident, event: PinEvent): Promise<void> {
  const message = event.item.message;
  if (isIncidentCard(incident, message.ts)) return;
  if (event.type === 'pin_removed') {
    await claimAndWrite(deps.db, deliveryKey, async (tx) => {
      await removeCapturedEntry(tx, { incidentId: incident.id, kind: CAPTURE_KIND.pin, messageTs: message.ts });
    });
    return;
  }
  const permalink = await permalinkOf(deps, event.channel_id, message.ts, message.permalink);
  const captured = { ts: message.ts, text: message.text, authorId: message.user ?? null, permalink };
  await store(deps, deliveryKey, incident, CAPTURE_KIND.pin, captured, event.user ?? null);
}

/** reaction_added / reaction_removed with :pushpin:; the event names the message, so it is read back. */
export async function captureReaction(deps: CaptureDeps, deliveryKey: string, incident: Incident, event: ReactionEvent): Promise<void> {
  if (event.reaction !== TIMELINE_REACTION) return;
  const { channel, ts } = event.item;
  if (isIncidentCard(incident, ts)) return;
  const message = await deps.slack.findMessage(channel, ts);
  if (event.type === 'reaction_removed') {
    // Several people may have pinned it this way; the entry goes with the last :pushpin:.
    const stillPinned = message?.reactions.some((r) => r.name === TIMELINE_REACTION && r.count > 0) ?? false;
    await claimAndWrite(deps.db, deliveryKey, async (tx) => {
      if (!stillPinned) await removeCapturedEntry(tx, { incidentId: incident.id, kind: CAPTURE_KIND.reaction, messageTs: ts });
    });
    return;
  }
  if (!message) {
    deps.logger.info({ incidentId: incident.id, ts }, 'reacted message no longer exists; nothing captured');
    return;
  }
  const permalink = await permalinkOf(deps, channel, ts);
  const captured = { ts, text: message.text, authorId: message.user ?? event.item_user ?? null, permalink };
  await store(deps, deliveryKey, incident, CAPTURE_KIND.reaction, captured, event.user);
}
