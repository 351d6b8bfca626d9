/**
 * End-of-coverage offers: a `coverage-end-offer` row 30 minutes before the end of every layer's
 * coverage window (planned a day ahead by the reconciler's hook, one row per window end by dedupe
 * key); when due, every commander of an open incident who is on that layer is offered, by a DM
 * only they get, to hand over to the next hub awake.
 */
import { coverageEndDm, type HandOverOffer } from '../../blocks/wellbeing.js';
import { openIncidentsCommandedBy } from '../../db/repos/exposure.js';
import { withPlanning } from '../../jobs/plan.js';
import { loadSchedules } from '../../db/repos/schedules.js';
import { coverageEndsBetween, nextAwakeHub } from '../../domain/exposure.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import { noHandBackTo, takeOverHub, type WellbeingDeps } from './context.js';

/** How long before a hub's day ends its commanders are asked. */
export const OFFER_BEFORE_END_MS = 30 * 60_000;
const PLAN_AHEAD_MS = 26 * 3_600_000;

export function coverageEndDedupeKey(scheduleId: string, layerName: string, endsAt: Date): string {
  return `coverage-end:${scheduleId}:${layerName}:${endsAt.getTime()}`;
}

/** Plans an offer for every window end in the next 26 hours (planned ends are skipped). */
export async function planCoverageEndOffers(deps: Pick<WellbeingDeps, 'db' | 'scheduler' | 'clock' | 'logger'>): Promise<number> {
  const now = deps.clock();
  const schedules = await loadSchedules(deps.db, { overridesEndingAfter: now });
  const ends = coverageEndsBetween(schedules, now, new Date(now.getTime() + PLAN_AHEAD_MS));
  const created = await withPlanning(deps, async ({ plan }) => {
    let count = 0;
    for (const end of ends) {
      const data = { scheduleId: end.scheduleId, layerName: end.layerName, timeZone: end.timeZone, endsAt: end.endsAt.toISOString() };
      const dueAt = new Date(Math.max(now.getTime(), end.endsAt.getTime() - OFFER_BEFORE_END_MS));
      if (await plan('coverage-end-offer', data, dueAt, { dedupeKey: coverageEndDedupeKey(end.scheduleId, end.layerName, end.endsAt) }))
        count += 1;
    }
    return count;
  });
  if (created > 0) deps.logger.info({ planned: created }, 'end-of-coverage offers planned');
  return created;
}

/** The offer, to each commander on the ending layer; skipped once the window has ended. */
export async function runCoverageEndOffer(deps: WellbeingDeps, ctx: ActionContext<'coverage-end-offer'>): Promise<ActionOutcome> {
  const { action: row, now } = ctx;
  const { scheduleId, layerName, timeZone } = ctx.data;
  const end = new Date(ctx.data.endsAt);
  if (end <= now) return 'skipped';
  const schedules = await loadSchedules(deps.db, { overridesEndingAfter: now });
  const layer = schedules.find((s) => s.id === scheduleId)?.layers.find((l) => l.name === layerName);
  if (!layer) return 'skipped';
  const incidents = await openIncidentsCommandedBy(deps.db, layer.rotation.members);
  const minutesLeft = Math.max(1, Math.round((end.getTime() - now.getTime()) / 60_000));
  for (const incident of incidents) {
    const commander = incident.commanderId;
    if (!commander) continue;
    // A hub on duty by the end of this one's day at the latest (never someone hours before their coverage).
    const awake = nextAwakeHub(schedules, now, {
      exclude: { scheduleId, layerName },
      excludeUser: commander,
      excludeUsers: await noHandBackTo(deps, incident, now),
      awakeBy: end,
    });
    const hub = awake ? await takeOverHub(deps, awake) : null;
    const key = `coverage-end:${row.id}:${incident.id}`;
    const offer: HandOverOffer | null = hub ? { key, incidentId: incident.id, forUser: commander, toUser: hub.userId } : null;
    const dm = coverageEndDm({ endingHub: { layerName, timeZone }, minutesLeft, incident, hub, offer });
    // A retry adopts what an earlier attempt posted, so each commander gets each offer once.
    await ctx.deliver(key, { channel: commander, ...dm });
  }
  deps.logger.info({ actionId: row.id, offers: incidents.length }, 'end-of-coverage offers sent');
  return 'done';
}
