import { closeOpenPages, endEscalation, lockActiveEscalation, type Page } from '../../db/repos/escalations.js';
import { findIncident, type Incident } from '../../db/repos/incidents.js';
import type { Planning } from '../../jobs/plan.js';
import { settledPageDm } from '../../blocks/page-messages.js';
import { incidentTopic, type RenderedMessage } from '../../blocks/incident-messages.js';
import { refreshIncidentCard } from '../incident-card.js';
import type { IncidentDeps } from './context.js';

/** Stops an incident's paging inside the transaction: ends the escalation, settles its pages (returned), cancels its step. */
export async function stopPaging({ tx, cancel }: Pick<Planning, 'tx' | 'cancel'>, incidentId: string, at: Date): Promise<Page[]> {
  const escalation = await lockActiveEscalation(tx, incidentId);
  if (!escalation) return [];
  await endEscalation(tx, escalation.id, { status: 'cancelled', at });
  const settled = await closeOpenPages(tx, escalation.id, 'cancelled', at);
  await cancel(incidentId, at, ['escalation-step', 'page-notification']);
  return settled;
}

/** Replaces the pending status-update reminder with one at `dueAt` (none when null). */
export async function replanReminder(
  { plan, cancel }: Pick<Planning, 'plan' | 'cancel'>,
  incident: Pick<Incident, 'id'>,
  dueAt: Date | null,
  at: Date,
): Promise<void> {
  await cancel(incident.id, at, ['update-reminder']);
  if (dueAt) await plan('update-reminder', { plannedAt: at.toISOString() }, dueAt, { incidentId: incident.id });
}

/**
 * What everyone sees after a change: a line in the channel, a post in the feed for public
 * incidents, the card and topic brought up to date, settled page DMs without their buttons.
 * Each is best effort: the change is recorded already, and a Slack hiccup must not undo it.
 */
export async function publishChange(
  deps: IncidentDeps,
  incidentId: string,
  what: { channelText?: string; feed?: RenderedMessage; settledPages?: Page[] },
): Promise<Published> {
  const published: Published = {};
  const incident = await findIncident(deps.db, incidentId);
  if (!incident) return published;
  const warn = (part: string) => (err: unknown) => {
    deps.logger.warn({ err, incidentId, part }, 'could not show a change in Slack');
    return undefined;
  };
  if (incident.channelId && what.channelText) {
    const line = await deps.slack.postMessage({ channel: incident.channelId, text: what.channelText }).catch(warn('channel line'));
    if (line) published.channelLine = line;
  }
  if (what.feed && !incident.isPrivate && deps.feedChannelId) {
    const feed = await deps.slack.postMessage({ channel: deps.feedChannelId, ...what.feed }).catch(warn('feed'));
    if (feed) published.feed = feed;
  }
  for (const page of what.settledPages ?? []) {
    if (!page.dmChannelId || !page.dmTs) continue;
    await deps.slack
      .updateMessage({ channel: page.dmChannelId, ts: page.dmTs, ...settledPageDm(incident, 'cancelled', deps.catalog) })
      .catch(warn('page DM'));
  }
  if (incident.channelId) await deps.slack.setTopic(incident.channelId, incidentTopic(incident, deps.catalog)).catch(warn('topic'));
  await refreshIncidentCard(deps, incident.id).catch(warn('card'));
  return published;
}

/** The messages a change posted (what was refused or failed is absent), for a redaction to find again. */
export interface Published {
  channelLine?: { channel: string; ts: string };
  feed?: { channel: string; ts: string };
}
