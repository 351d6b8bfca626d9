/** The `seen-before` action: on declaration, earlier incidents alike, in the new incident's channel. */
import { seenBeforeMessage } from '../../blocks/similar-incidents.js';
import { findIncident } from '../../db/repos/incidents.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import { canSeeIncident } from '../incident-access.js';
import { findSeenBefore, refreshSearchText, SEEN_BEFORE_LIMIT, type SimilarDeps } from './index.js';

/**
 * Public earlier incidents go in the channel, which non-members of any private one may read; a
 * private earlier incident goes only to the declarer, by DM, when they are its member. Nothing
 * is posted when nothing is alike. Until the set-up has opened the channel, it fails and is retried.
 */
export async function postSeenBefore(
  deps: Pick<SimilarDeps, 'db' | 'catalog' | 'admins'>,
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
  if (mine.length)
    await ctx.deliver(`seen-before:${incident.id}:dm:${declarer}`, {
      channel: declarer,
      ...seenBeforeMessage(mine.slice(0, SEEN_BEFORE_LIMIT), deps.catalog, { privateNote: true }),
    });
  return open.length || mine.length ? 'done' : 'skipped';
}
