import type { Db } from '../../db/client.js';
import { claimUnannouncedPages, pagesOfIncident } from '../../db/repos/escalations.js';
import type { Incident } from '../../db/repos/incidents.js';
import { pageLine, type PageReason } from '../../blocks/page-messages.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';

/**
 * Invites paged people to the incident channel and says who was paged, once per page. Called
 * after paging and after the channel is created, whichever comes second finds work to do.
 */
export async function announcePages(
  deps: { db: Db; slack: Pick<SlackGateway, 'postMessage' | 'invite'>; clock: Clock },
  incident: Incident,
): Promise<void> {
  if (!incident.channelId) return;
  const waiting = (await pagesOfIncident(deps.db, incident.id)).filter((p) => !p.announcedAt);
  if (waiting.length === 0) return;
  // Invite before claiming: a failed invite is retried with the job; a claimed line is posted at most once.
  await deps.slack.invite(incident.channelId, [...new Set(waiting.map((p) => p.userId))]);
  const claimed = await claimUnannouncedPages(deps.db, incident.id, deps.clock());
  if (claimed.length === 0) return;
  const lines = claimed.map((p) => pageLine(p.userId, p.reason as unknown as PageReason, p.pagedAt));
  await deps.slack.postMessage({ channel: incident.channelId, text: lines.join('\n') });
}
