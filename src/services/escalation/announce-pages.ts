import type { Db } from '../../db/client.js';
import { claimUnannouncedPages, pagesOfIncident, updatePage } from '../../db/repos/escalations.js';
import type { Catalog } from '../../blocks/catalog.js';
import { isQuietIncident } from '../quiet-channels.js';
import type { Incident } from '../../domain/incident.js';
import { pageDm, pageLine } from '../../blocks/page-messages.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { ActionContext } from '../../jobs/run-action.js';
import type { Clock } from '../types.js';
import type { Page } from '../../domain/paging.js';

/**
 * The lines a run re-checks when it may repeat an earlier run that died after claiming pages and
 * before Slack had the line: every claimed line of the incident (a channel set-up), or those
 * holding a page of one escalation step (that step's run).
 */
export type AnnounceScope = 'incident' | { escalationId: string; stepNumber: number };

/**
 * The scheduled action announcing: its lines go through its `deliver`, and whether an earlier
 * run may have posted them is its run-wide `mayExist` (run-action.ts), decided once for every post.
 */
type AnnouncingRun = Pick<ActionContext<'escalation-step'>, 'deliver' | 'mayExist'>;

/**
 * Invites paged people to the incident channel and says who was paged, once per page. Called
 * after paging and after the channel is created, whichever comes second finds work to do.
 */
export async function announcePages(
  deps: { db: Db; slack: Pick<SlackGateway, 'invite' | 'updateMessage'>; clock: Clock; catalog: Catalog },
  run: AnnouncingRun,
  incident: Incident,
  scope: AnnounceScope,
): Promise<void> {
  if (!incident.channelId) return;
  const all = await pagesOfIncident(deps.db, incident.id);
  const unfurl = !isQuietIncident(deps.catalog, incident);
  if (run.mayExist) await repostClaimed(run, incident.channelId, all, scope, unfurl);
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
  // The incident is at hand: it says whether its channel is quiet, so the gateway need not look it up.
  await postLine(run, incident.channelId, claimed, unfurl);
}

/** One line per claim, tagged by the pages it announces: a retry adopts the line Slack already has. */
async function postLine(run: AnnouncingRun, channel: string, batch: readonly Page[], unfurl: boolean): Promise<void> {
  const lines = batch.map((p) => pageLine(p.userId, p.reason, p.pagedAt));
  const key = `announce:${batch
    .map((p) => p.id)
    .sort()
    .join(',')}`;
  await run.deliver(key, { channel, text: lines.join('\n'), unfurl });
}

/**
 * The claims an earlier run that died may have left unposted: each is a set of pages claimed at
 * one instant. Posted again through `deliver`, which (the run may repeat another) looks first, so
 * a line Slack already has is adopted, not doubled.
 */
async function repostClaimed(
  run: AnnouncingRun,
  channel: string,
  all: readonly Page[],
  scope: AnnounceScope,
  unfurl: boolean,
): Promise<void> {
  const suspect = all.filter(
    (p) => p.announcedAt && (scope === 'incident' || (p.escalationId === scope.escalationId && p.stepNumber === scope.stepNumber)),
  );
  const claims = new Set(suspect.map((p) => p.announcedAt?.getTime()));
  for (const at of claims) {
    await postLine(
      run,
      channel,
      all.filter((p) => p.announcedAt?.getTime() === at),
      unfurl,
    );
  }
}
