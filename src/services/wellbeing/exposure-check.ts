/**
 * Exposure checks: one pending `exposure-check` row per person whose exposure to sensitive
 * incidents is growing, planned by the reconciler's planning hook and re-planned by the check
 * itself for the instant the person could reach the threshold at the earliest. When they do, one
 * private DM a local day (`exposure:<user>:<yyyy-mm-dd>`, posted once and claimed after).
 */
import { exposureNudgeDm, type HandOverOffer } from '../../blocks/wellbeing.js';
import {
  deliveryClaimed,
  openSensitiveIncidentsCommandedBy,
  sensitiveHistories,
  usersWithPendingExposureCheck,
} from '../../db/repos/exposure.js';
import { withPlanning } from '../../jobs/plan.js';
import { loadSchedules } from '../../db/repos/schedules.js';
import { claimSlackDelivery } from '../../db/repos/slack-events.js';
import {
  ACTIVITY_WINDOW_MS,
  exposureByPerson,
  exposureVerdict,
  hubOfPerson,
  localDayOf,
  nextAwakeHub,
  type PersonExposure,
} from '../../domain/exposure.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import { exposureThresholdMinutes, noHandBackTo, sensitiveCategoryIds, takeOverHub, zoneOfPerson, type WellbeingDeps } from './context.js';

/**
 * Plans a check, due now, for everyone holding a role on an open sensitive incident or active in
 * one in the last {@link ACTIVITY_WINDOW_MS}, who has no pending check. Costs no Slack call.
 */
export async function planExposureChecks(deps: Pick<WellbeingDeps, 'db' | 'scheduler' | 'catalog' | 'clock' | 'logger'>): Promise<number> {
  const categories = sensitiveCategoryIds(deps.catalog);
  if (categories.length === 0) return 0;
  const now = deps.clock();
  const histories = await sensitiveHistories(deps.db, { categories, from: now, to: new Date(now.getTime() + 1), openOnly: true });
  const growing = [...exposureByPerson(histories, now)]
    .filter(([, e]) => e.holdingNow || e.intervals.some((i) => i.to >= now.getTime()))
    .map(([userId]) => userId);
  if (growing.length === 0) return 0;
  const pending = await usersWithPendingExposureCheck(deps.db);
  const created = await withPlanning(deps, async ({ plan }) => {
    const toCheck = growing.filter((u) => !pending.has(u));
    for (const userId of toCheck) await plan('exposure-check', { userId }, now);
    return toCheck.length;
  });
  if (created > 0) deps.logger.info({ planned: created }, 'exposure checks planned');
  return created;
}

/** The `exposure-check` action: nudge, or look again later, or stop (nothing growing). */
export async function runExposureCheck(deps: WellbeingDeps, ctx: ActionContext<'exposure-check'>): Promise<ActionOutcome> {
  const { action: row, now } = ctx;
  const { userId } = ctx.data;
  const categories = sensitiveCategoryIds(deps.catalog);
  const schedules = await loadSchedules(deps.db, { overridesEndingAfter: now });
  const ownHub = hubOfPerson(schedules, userId);
  const timeZone = await zoneOfPerson(deps, userId, ownHub?.timeZone ?? null);
  const day = localDayOf(now, timeZone);
  const histories = await sensitiveHistories(deps.db, {
    categories,
    from: new Date(day.from - ACTIVITY_WINDOW_MS),
    to: new Date(now.getTime() + 1),
  });
  const exposure: PersonExposure = exposureByPerson(histories, now).get(userId) ?? { intervals: [], holdingNow: false };
  const key = `exposure:${userId}:${day.date}`;
  const verdict = exposureVerdict({
    exposure,
    now,
    timeZone,
    thresholdMinutes: exposureThresholdMinutes(deps.meridian),
    nudgedToday: await deliveryClaimed(deps.db, key),
  });
  const again = async (at: Date) => {
    await ctx.plan('exposure-check', { userId }, at);
    return 'done' as const;
  };
  if (verdict.kind === 'idle') return 'done';
  if (verdict.kind === 'later') return again(verdict.at);

  const [incident] = await openSensitiveIncidentsCommandedBy(deps.db, userId, categories);
  // Only someone on duty now: the hand-over takes effect on the click.
  const awake = incident
    ? nextAwakeHub(schedules, now, {
        exclude: ownHub,
        excludeUser: userId,
        excludeUsers: await noHandBackTo(deps, incident, now),
        awakeBy: now,
      })
    : null;
  const hub = awake ? await takeOverHub(deps, awake) : null;
  const offer: HandOverOffer | null = incident && hub ? { key, incidentId: incident.id, forUser: userId, toUser: hub.userId } : null;
  const dm = exposureNudgeDm({ minutes: verdict.minutes, incident: incident ?? null, hub, offer });
  // Tagged: a retry after a crash between Slack's answer and the claim adopts the DM Slack has.
  await ctx.deliver(key, { channel: userId, ...dm });
  await claimSlackDelivery(deps.db, key);
  deps.logger.info({ actionId: row.id, withOffer: offer !== null }, 'exposure nudge sent');
  return exposure.holdingNow ? again(new Date(day.to)) : 'done';
}
