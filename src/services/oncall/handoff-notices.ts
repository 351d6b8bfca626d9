/**
 * Handoff notices: planned ahead as `handoff-notice` scheduled actions (one per handoff and
 * incoming person, by dedupe key), and sent when due if the schedule still says so.
 */
import { incomingHandoffMessage, outgoingHandoffMessage } from '../../blocks/oncall-notices.js';
import { pendingClocksOf } from '../../db/repos/clocks.js';
import { listOpenIncidentsVisibleTo } from '../../db/repos/incidents.js';
import { loadSchedules } from '../../db/repos/schedules.js';
import { handoffsBetween } from '../../domain/handoffs.js';
import { onCallAt } from '../../domain/rotation.js';
import type { ActionData } from '../../domain/action-catalog.js';
import { withPlanning } from '../../jobs/plan.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import type { OncallDeps } from './deps.js';
import { SlackConfigurationError } from '../../slack-api/errors.js';
import { UNTIL_HORIZON_MS } from '../../domain/schedule-status.js';

/** How far ahead notices are planned; a little over a day, so planning once a day would do. */
export const PLAN_AHEAD_MS = 26 * 3_600_000;

/** What a `handoff-notice` row carries: ids, an instant and a zone, never incident text. */
type HandoffNoticeData = ActionData<'handoff-notice'>;

/** One row per handoff and incoming person: planning twice plans once. */
export function handoffDedupeKey(scheduleId: string, at: Date, toUser: string): string {
  return `handoff:${scheduleId}:${at.getTime()}:${toUser}`;
}

/**
 * Plans a notice for every handoff to someone in the next {@link PLAN_AHEAD_MS}, in every
 * schedule, and enqueues only the rows this call created. A handoff into a gap has nobody to
 * tell and gets no notice (`/oncall gaps` reports gaps ahead of time).
 */
export async function planHandoffNotices(deps: Pick<OncallDeps, 'db' | 'scheduler' | 'clock' | 'logger'>): Promise<number> {
  const now = deps.clock();
  const horizon = new Date(now.getTime() + PLAN_AHEAD_MS);
  const schedules = await loadSchedules(deps.db, { overridesEndingAfter: now });
  const created = await withPlanning(deps, async ({ plan }) => {
    let count = 0;
    for (const schedule of schedules) {
      for (const handoff of handoffsBetween(schedule, now, horizon)) {
        if (handoff.toUser === null) continue;
        const data: HandoffNoticeData = {
          scheduleId: schedule.id,
          at: handoff.at.toISOString(),
          fromUser: handoff.fromUser,
          toUser: handoff.toUser,
          layerName: handoff.layerName,
          timeZone: handoff.timeZone,
        };
        const row = await plan('handoff-notice', data, handoff.at, {
          dedupeKey: handoffDedupeKey(schedule.id, handoff.at, handoff.toUser),
        });
        if (row) count += 1;
      }
    }
    return count;
  });
  if (created > 0) deps.logger.info({ planned: created }, 'handoff notices planned');
  return created;
}

type NotifyDeps = Pick<OncallDeps, 'db' | 'slack' | 'clock' | 'logger' | 'meridian'> & { teamId: () => Promise<string> };

/**
 * Sends a planned notice if it still applies: the schedule still puts `toUser` on call at
 * `at` (an override may have changed that) and that shift has not already ended. The incoming
 * person's DM is the one that matters: if it fails, the action fails and is retried; the
 * outgoing person's DM is a courtesy, logged and not retried, so a retry never repeats the first.
 */
export async function notifyHandoff(deps: NotifyDeps, ctx: ActionContext<'handoff-notice'>): Promise<ActionOutcome> {
  const { action, data, now } = ctx;
  const at = new Date(data.at);
  const [schedule] = await loadSchedules(deps.db, { ids: [data.scheduleId], overridesEndingAfter: at });
  if (!schedule) return 'skipped';
  const onCall = onCallAt(schedule, at);
  if (onCall?.userId !== data.toUser) {
    deps.logger.info({ actionId: action.id, scheduleId: schedule.id }, 'handoff changed since it was planned; notice skipped');
    return 'skipped';
  }
  const next = handoffsBetween(schedule, new Date(at.getTime() + 1), new Date(at.getTime() + UNTIL_HORIZON_MS))[0];
  if (next && next.at.getTime() <= now.getTime()) {
    deps.logger.info({ actionId: action.id, scheduleId: schedule.id }, 'that shift is already over; notice skipped');
    return 'skipped';
  }
  const layerName = onCall.reason.kind === 'layer' ? onCall.reason.layerName : null;
  const timeZone = onCall.reason.kind === 'layer' ? onCall.reason.timeZone : await zoneOf(deps, data.toUser, data.timeZone);
  const incidents = await listOpenIncidentsVisibleTo(deps.db, await deps.teamId(), { userId: data.toUser }, 50);
  const incoming = incomingHandoffMessage({
    scheduleName: schedule.name,
    layerName,
    timeZone,
    at,
    until: next?.at ?? null,
    fromUser: data.fromUser,
    incidents,
    catalog: deps.meridian,
    clocks: await pendingClocksOf(
      deps.db,
      incidents.map((i) => i.id),
    ),
  });
  await ctx.deliver(`handoff:${action.id}:in`, { channel: data.toUser, ...incoming });
  if (data.fromUser && data.fromUser !== data.toUser) {
    const outgoing = outgoingHandoffMessage({ scheduleName: schedule.name, layerName, at, toUser: data.toUser });
    await ctx.deliver(`handoff:${action.id}:out`, { channel: data.fromUser, ...outgoing }).catch((err: unknown) => {
      // A refusal of our configuration (a scope, the token) heals once fixed: keep the notice pending.
      if (err instanceof SlackConfigurationError) throw err;
      deps.logger.warn({ err, actionId: action.id }, 'could not tell the outgoing person about the handoff');
    });
  }
  return 'done';
}

/** The zone to state an override's end in: the incoming person's own, else the hub's, else UTC. */
async function zoneOf(deps: Pick<OncallDeps, 'slack' | 'logger'>, userId: string, fallback: string | null): Promise<string> {
  try {
    return (await deps.slack.userInfo(userId)).tz;
  } catch (err) {
    deps.logger.warn({ err, userId }, 'users.info failed; stating the time in the hub zone');
    return fallback ?? 'UTC';
  }
}
