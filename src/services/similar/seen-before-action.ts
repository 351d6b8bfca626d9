/** The `seen-before` action: on declaration, earlier incidents alike, in the new incident's channel. */
import { seenBeforeMessage } from '../../blocks/similar-incidents.js';
import { findIncident } from '../../db/repos/incidents.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import { canSeeIncident } from '../incident-access.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import { findSeenBefore, refreshSearchText, SEEN_BEFORE_LIMIT, type SimilarDeps } from './index.js';

/**
 * Public earlier incidents go in the channel, which non-members of any private one may read; a
 * private earlier incident goes only to the declarer, as an ephemeral in the channel, when they are its member. Nothing
 * is posted when nothing is alike. Until the set-up has opened the channel, it fails and is retried.
 */
export async function postSeenBefore(
  deps: Pick<SimilarDeps, 'db' | 'catalog' | 'admins' | 'logger'> & { slack: Pick<SlackGateway, 'postEphemeral'> },
  ctx: ActionContext<'seen-before'>,
): Promise<ActionOutcome> {
  const incident = ctx.action.incidentId ? await findIncident(deps.db, ctx.action.incidentId) : undefined;
  if (!incident) return 'skipped';
  if (!incident.channelId) throw new Error('the incident channel is not open yet');
  const text = await refreshSearchText(deps.db, incident, ctx.now);
  const matches = await findSeenBefore(
    deps.db,
    { teamId: incident.teamId, excludeId: incident.id, before: incident.declaredAt, ...text },
    SEEN_BEFORE_LIMIT * 4,
  );
  const open = matches.filter((m) => !m.incident.isPrivate).slice(0, SEEN_BEFORE_LIMIT);
  if (open.length)
    await ctx.deliver(`seen-before:${incident.id}:channel`, { channel: incident.channelId, ...seenBeforeMessage(open, deps.catalog) });
  const declarer = incident.declaredBy;
  const mine = [];
  for (const m of matches.filter((x) => x.incident.isPrivate))
    if (await canSeeIncident({ db: deps.db, admins: deps.admins }, m.incident, declarer)) mine.push(m);
  // Ephemeral, in the new channel: only the declarer sees it, and it adds nothing to their DMs.
  if (mine.length)
    await deps.slack
      .postEphemeral({
        channel: incident.channelId,
        user: declarer,
        ...seenBeforeMessage(mine.slice(0, SEEN_BEFORE_LIMIT), deps.catalog, { privateNote: true }),
      })
      .catch((err: unknown) =>
        deps.logger.warn({ err, incidentId: incident.id }, 'seen before: the private suggestions could not be shown'),
      );
  return open.length || mine.length ? 'done' : 'skipped';
}
