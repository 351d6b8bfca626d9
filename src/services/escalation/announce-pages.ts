import type { Db } from '../../db/client.js';
import { claimUnannouncedPages, pagesOfIncident, updatePage } from '../../db/repos/escalations.js';
import { isSensitiveCategory, type Catalog } from '../../blocks/catalog.js';
import type { Incident } from '../../domain/incident.js';
import { pageDm, pageLine } from '../../blocks/page-messages.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';

/**
 * Invites paged people to the incident channel and says who was paged, once per page. Called
 * after paging and after the channel is created, whichever comes second finds work to do.
 */
export async function announcePages(
  deps: { db: Db; slack: Pick<SlackGateway, 'postOnce' | 'invite' | 'updateMessage'>; clock: Clock; catalog: Catalog },
  incident: Incident,
): Promise<void> {
  if (!incident.channelId) return;
  const all = await pagesOfIncident(deps.db, incident.id);
  // A page that beat the channel: give its DM the channel link now.
  for (const page of all) {
    const { dmChannelId, dmTs } = page;
    if (page.status !== 'sent' || !dmTs || !dmChannelId || page.dmHasChannel) continue;
    const dm = pageDm(incident, page.id, page.reason, page.pagedAt, deps.catalog);
    await deps.slack.updateMessage({ channel: dmChannelId, ts: dmTs, ...dm });
    await updatePage(deps.db, page.id, { dmHasChannel: true });
  }
  // Only pages whose DM went out: one still in flight is announced by its own step, an undeliverable one never.
  const waiting = all.filter((p) => !p.announcedAt && p.dmTs);
  if (waiting.length === 0) return;
  // Invite before claiming: a failed invite is retried with the job; a claimed line is posted at most once.
  await deps.slack.invite(incident.channelId, [...new Set(waiting.map((p) => p.userId))]);
  const claimed = await claimUnannouncedPages(deps.db, incident.id, deps.clock());
  if (claimed.length === 0) return;
  const lines = claimed.map((p) => pageLine(p.userId, p.reason, p.pagedAt));
  // Tagged by the pages it announces: a retry after a timeout adopts the line Slack already has.
  const key = `announce:${claimed
    .map((p) => p.id)
    .sort()
    .join(',')}`;
  // The incident is at hand: say whether its channel is quiet, so the gateway need not look it up.
  const unfurl = !(incident.isPrivate || isSensitiveCategory(deps.catalog, incident.category));
  await deps.slack.postOnce(key, { channel: incident.channelId, text: lines.join('\n'), unfurl });
}
