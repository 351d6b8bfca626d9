/**
 * The `clock-miss` action. It re-checks before acting: the clock still exists, is running (or
 * missed, with an earlier attempt's work to finish) and has the version the row was planned
 * for; anything else is a stale row and does nothing.
 */
import { clockMissDm, clockMissedFeedMessage, clockMissedMessage } from '../../blocks/clock-messages.js';
import { findClock, markClockMissed, recordMissProgress, type StoredClock } from '../../db/repos/clocks.js';
import { addIncidentMembers, type Incident } from '../../db/repos/incidents.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import type { EscalationTarget } from '../../domain/response-policy.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import { resolveTargets } from '../escalation/resolve-targets.js';
import { refreshIncidentCard } from '../incident-card.js';
import type { ClockDeps } from './deps.js';
import { loadClockAction } from './load-clock-action.js';

/**
 * The deadline passed unanswered: "Deadline missed" in the channel; the clock's `escalate_to`
 * (or the category's stakeholders) are DM'd like a page and invited; the feed hears of it (a
 * private incident by number only); the timeline and audit log record it. Progress is kept on
 * the clock, so a retry tells only whoever was not told yet.
 */
export async function runClockMiss(deps: ClockDeps, ctx: ActionContext<'clock-miss'>): Promise<ActionOutcome> {
  const loaded = await loadClockAction(deps, ctx.data);
  if (!loaded) return 'skipped';
  const { incident, version } = loaded;
  let clock = loaded.clock;
  const { now } = ctx;
  if (clock.state === 'running' && now < clock.dueAt) return notYet(ctx, clock, version);
  if (clock.state === 'running') {
    const marked = await deps.db.transaction(async (tx) => {
      if (!(await markClockMissed(tx, clock.id, version, now))) return false;
      const details = { clockId: clock.id, dueAt: clock.dueAt.toISOString(), kindId: clock.kindId };
      await addTimelineEntry(tx, {
        incidentId: incident.id,
        at: now,
        kind: 'clock_missed',
        actorId: null,
        text: `Deadline missed: ${clock.name}`,
        data: details,
      });
      await addAuditRecord(tx, { incidentId: incident.id, at: now, actorId: null, action: 'clock.missed', details });
      return true;
    });
    if (!marked) return 'skipped';
    clock = (await findClock(deps.db, clock.id)) ?? clock;
  } else if (clock.state !== 'missed' || clock.respondedAt) {
    return 'skipped';
  }
  await tellMiss(deps, ctx, clock, incident, `clock-miss:${clock.id}:${version}`);
  return 'done';
}

/**
 * Run before the clock's due time (the sandbox's "Run due now", a replica whose clock runs
 * ahead): a miss never fires early. It re-plans itself for the due time and does nothing now.
 */
async function notYet(ctx: ActionContext<'clock-miss'>, clock: StoredClock, version: number): Promise<ActionOutcome> {
  await ctx.plan('clock-miss', { clockId: clock.id, version }, clock.dueAt, {
    incidentId: clock.incidentId,
    dedupeKey: `clock:${clock.id}:${version}:miss:early:${ctx.action.id}`,
  });
  return 'skipped';
}

/** Each message tagged `<key>:<who>`: a retry after a crash between Slack's answer and the progress record adopts it. */
async function tellMiss(
  deps: ClockDeps,
  ctx: Pick<ActionContext<'clock-miss'>, 'deliver'>,
  clock: StoredClock,
  incident: Incident,
  key: string,
): Promise<void> {
  const progress = { ...clock.missProgress, dms: [...(clock.missProgress.dms ?? [])], dmMessages: { ...clock.missProgress.dmMessages } };
  const targets = escalationTargetsOf(deps, clock, incident);
  const people = (await resolveTargets({ db: deps.db, slack: deps.slack }, targets, deps.clock())).map((t) => t.userId);
  if (!progress.channel && incident.channelId) {
    await ctx.deliver(`${key}:channel`, { channel: incident.channelId, ...clockMissedMessage(clock, incident, people) });
    progress.channel = true;
    await recordMissProgress(deps.db, clock.id, progress);
  }
  if (incident.channelId && people.length) {
    const { invited } = await deps.slack.invite(incident.channelId, people);
    if (invited.length) await addIncidentMembers(deps.db, incident.id, invited);
  }
  for (const userId of people) {
    if (progress.dms.includes(userId)) continue;
    const sent = await ctx.deliver(`${key}:dm:${userId}`, { channel: userId, ...clockMissDm(clock, incident) });
    progress.dms.push(userId);
    // Acknowledge updates this DM only, never the message a button payload names.
    progress.dmMessages[userId] = { channel: sent.channel, ts: sent.ts };
    await recordMissProgress(deps.db, clock.id, progress);
  }
  if (!progress.feed && deps.feedChannelId) {
    await ctx.deliver(`${key}:feed`, { channel: deps.feedChannelId, ...clockMissedFeedMessage(clock, incident) });
    progress.feed = true;
    await recordMissProgress(deps.db, clock.id, progress);
  }
  await refreshIncidentCard(deps, incident.id).catch((err: unknown) => deps.logger.warn({ err }, 'card not refreshed'));
}

/** The clock's own `escalate_to`; else the category's stakeholders (its leads). */
function escalationTargetsOf(deps: ClockDeps, clock: StoredClock, incident: Incident): EscalationTarget[] {
  if (clock.escalateTo.length) return clock.escalateTo;
  return [...(deps.meridian.categories.find((c) => c.id === incident.category)?.invite ?? [])];
}
