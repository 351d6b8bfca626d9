import type { Database } from '../db/client.js';
import { addIncidentMembers, findIncident, recordIncidentChannel, updateIncident, type Incident } from '../db/repos/incidents.js';
import { addTimelineEntry } from '../db/repos/record.js';
import { incidentChannelName } from '../domain/channel-name.js';
import type { Catalog } from '../blocks/catalog.js';
import {
  cardRefusedNotice,
  channelDelayedNotice,
  channelReadyNotice,
  declarationAnnouncement,
  incidentTopic,
  type RenderedMessage,
} from '../blocks/incident-messages.js';
import { ChannelNameTaken, InvalidBlocks } from '../slack-api/errors.js';
import type { SlackGateway } from '../slack-api/gateway.js';
import type { Logger } from '../log.js';
import type { ActionContext, ActionOutcome } from '../jobs/run-action.js';
import type { MessageInput } from '../slack-api/gateway-messages.js';
import { announcePages } from './escalation/announce-pages.js';
import { postHeldChannelLines } from './escalation/held-channel-lines.js';
import { inviteStakeholders } from './incident/invite-stakeholders.js';
import type { MeridianConfig } from '../config-file/types.js';
import { tellUser } from './tell-user.js';
import { postRunbook } from './runbook/index.js';
import type { Clock } from './types.js';

export interface SetUpChannelDeps {
  db: Database;
  slack: Pick<
    SlackGateway,
    | 'createChannel'
    | 'setTopic'
    | 'invite'
    | 'postMessage'
    | 'postOnce'
    | 'pin'
    | 'postEphemeral'
    | 'updateMessage'
    | 'usergroupMembers'
    | 'lookupUserByEmail'
  >;
  meridian: Pick<MeridianConfig, 'categories' | 'severities' | 'privacy'>;
  /** The card shows the escalation's state (acknowledged, by whom). */
  renderCard(incident: Incident): Promise<RenderedMessage>;
  catalog: Catalog;
  feedChannelId: string | undefined;
  logger: Logger;
  clock: Clock;
}

/** Names tried after `name_taken` before giving up on this attempt. */
const NAME_ATTEMPTS = 5;

/**
 * Opens the incident's Slack channel and announces it. Each step records its progress on the
 * incident row, so a retry after a failure (Slack down, process killed) redoes only what is
 * missing: one channel, one card, one announcement.
 */
export async function setUpIncidentChannel(
  deps: SetUpChannelDeps,
  ctx: Pick<ActionContext<'set-up-channel'>, 'action' | 'deliver' | 'mayExist'>,
): Promise<ActionOutcome> {
  const incidentId = ctx.action.incidentId;
  let incident = incidentId ? await findIncident(deps.db, incidentId) : undefined;
  if (!incidentId || !incident) return 'skipped';
  // An earlier run (a failure, a crash: the run-wide answer of run-action.ts) may have posted more
  // than it recorded before it died: every post below then looks for its tagged copy first.
  const posts = { ...deps, slack: { ...deps.slack, postOnce: (key: string, input: MessageInput) => ctx.deliver(key, input) } };
  try {
    incident = await ensureChannel(deps, incident);
    const channelId = incident.channelId as string;
    await deps.slack.setTopic(channelId, incidentTopic(incident, deps.catalog));
    await deps.slack.invite(channelId, [incident.declaredBy]);
    if (!incident.cardTs) incident = await postCard(deps, ctx, incident, channelId);
    await postRunbook(posts, incident);
    await announcePages(deps, ctx, incident, 'incident');
    // What a step that ran before the channel had to say in it ("Could not page …", "reached nobody").
    await postHeldChannelLines(deps, ctx.deliver, incident);
    await inviteStakeholders(deps, incident);
    if (!incident.isPrivate && deps.feedChannelId && !incident.feedAnnouncedAt) {
      await ctx.deliver(`declared:${incident.id}`, { channel: deps.feedChannelId, ...declarationAnnouncement(incident, deps.catalog) });
      incident = await updateIncident(deps.db, incident.id, { feedAnnouncedAt: deps.clock() });
    }
    if (!incident.declarerToldAt) {
      await tellDeclarer(deps, incident, channelReadyNotice(incident));
      await updateIncident(deps.db, incident.id, { declarerToldAt: deps.clock() });
    }
    return 'done';
  } catch (err) {
    if (!incident.channelSetupFailedAt && !incident.channelId) {
      await updateIncident(deps.db, incident.id, { channelSetupFailedAt: deps.clock() });
      await tellDeclarer(deps, incident, channelDelayedNotice(incident)).catch((e: unknown) =>
        deps.logger.warn({ err: e, incidentId }, 'could not tell the declarer about the delay'),
      );
    }
    throw err;
  }
}

async function ensureChannel(deps: SetUpChannelDeps, incident: Incident): Promise<Incident> {
  if (incident.channelId) return incident;
  for (let attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
    // A private channel's name shows in invitations and notifications: no title in it unless the config asks.
    const slugged = !incident.isPrivate || deps.meridian.privacy.privateChannelSlug;
    const name = incidentChannelName(incident.number, slugged ? incident.title : '', attempt);
    try {
      const channel = await deps.slack.createChannel({ name, isPrivate: incident.isPrivate });
      await recordIncidentChannel(deps.db, incident.id, channel.id, channel.name);
      await addIncidentMembers(deps.db, incident.id, [incident.declaredBy]);
      await addTimelineEntry(deps.db, {
        incidentId: incident.id,
        at: deps.clock(),
        kind: 'channel_created',
        actorId: null,
        text: `Channel #${channel.name} created`,
        data: { channelId: channel.id },
      });
      const updated = await findIncident(deps.db, incident.id);
      return updated ?? incident;
    } catch (err) {
      if (!(err instanceof ChannelNameTaken)) throw err;
    }
  }
  // Every suffix taken: a suffix from the incident id is unique by construction.
  const name = `inc-${incident.number}-${incident.id.slice(0, 8)}`;
  const channel = await deps.slack.createChannel({ name, isPrivate: incident.isPrivate });
  await recordIncidentChannel(deps.db, incident.id, channel.id, channel.name);
  return (await findIncident(deps.db, incident.id)) ?? incident;
}

/**
 * Posts and pins the card. When Slack refuses its blocks, no retry can help: the declarer is
 * told, and the set-up goes on without a card (nothing to pin) rather than staying pending.
 */
async function postCard(
  deps: SetUpChannelDeps,
  ctx: Pick<ActionContext<'set-up-channel'>, 'deliver'>,
  incident: Incident,
  channelId: string,
): Promise<Incident> {
  const card = await deps.renderCard(incident);
  let ts: string;
  try {
    ({ ts } = await ctx.deliver(`card:${incident.id}`, { channel: channelId, ...card }));
  } catch (err) {
    if (!(err instanceof InvalidBlocks)) throw err;
    deps.logger.error({ err, incidentId: incident.id }, 'Slack refused the incident card; set-up goes on without it');
    await tellDeclarer(deps, incident, cardRefusedNotice(incident)).catch((e: unknown) =>
      deps.logger.warn({ err: e, incidentId: incident.id }, 'could not tell the declarer the card was refused'),
    );
    return incident;
  }
  const updated = await updateIncident(deps.db, incident.id, { cardTs: ts });
  await deps.slack.pin(channelId, ts);
  return updated;
}

async function tellDeclarer(deps: SetUpChannelDeps, incident: Incident, message: RenderedMessage): Promise<void> {
  await tellUser(deps, { channelId: incident.originChannelId, userId: incident.declaredBy, ...message });
}
