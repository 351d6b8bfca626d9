/** `/incident responded [name] [note]` and the card's button: records the response to a clock, met or missed. */
import { clockAnsweredLine } from '../../blocks/clock-messages.js';
import { clocksOfIncident, lockClock, updateClock, type StoredClock } from '../../db/repos/clocks.js';
import { answerOutcome, isOpenClock } from '../../domain/clocks.js';
import { formatDuration } from '../../domain/duration.js';
import { NotFound, UserError } from '../../errors.js';
import { escapeMrkdwn } from '../../slack-api/mrkdwn.js';
import { locateIncident, requireChanger } from '../incident/context.js';
import type { IncidentLocator } from '../incident/index.js';
import type { ClockDeps } from './deps.js';
import { replanClock } from './plan.js';
import { keepDutyHold } from '../retention/duty-holds.js';
import { withPlanning } from '../../jobs/plan.js';
import { afterChange, by, nameAtFront, record, severalClocks } from './change-shared.js';

/** Records the response to a clock: who, when, met or missed, the note. Stops its reminders and miss. */
export async function answerClock(
  deps: ClockDeps,
  input: { userId: string; where: IncidentLocator; note?: string; clockId?: string; at?: Date; evidence?: string | null },
): Promise<string> {
  const incident = await locateIncident(deps, input.where, input.userId);
  await requireChanger(deps, incident, input.userId, 'clock.respond');
  const now = deps.clock();
  const changed = await withPlanning(deps, async (planning) => {
    const { tx } = planning;
    const clocks = await clocksOfIncident(tx, incident.id);
    const answerable = clocks.filter((c) => isOpenClock(c) || (c.state === 'missed' && !c.respondedAt));
    let note = input.note?.trim() ?? '';
    let target: StoredClock | undefined;
    if (input.clockId) target = answerable.find((c) => c.id === input.clockId);
    else {
      const named = nameAtFront(answerable, note);
      target = named?.clock ?? (answerable.length === 1 ? answerable[0] : undefined);
      if (named) note = named.rest;
      if (!target && answerable.length > 1) throw severalClocks(answerable, '/incident responded <name> <note>');
    }
    if (!target) {
      // A second click on the same clock's button, after the first was recorded: say so, not "no clock".
      const answered = input.clockId ? clocks.find((c) => c.id === input.clockId && c.respondedAt) : undefined;
      if (answered) throw new UserError('clock_already_answered', `${escapeMrkdwn(answered.name)} was already answered.`);
      throw new NotFound('There is no running clock to answer on this incident.');
    }
    const locked = (await lockClock(tx, target.id)) ?? target;
    // Re-checked under the lock: of two clicks at once, the second finds the clock answered.
    if (!(isOpenClock(locked) || (locked.state === 'missed' && !locked.respondedAt))) {
      throw new UserError('clock_already_answered', `${escapeMrkdwn(locked.name)} was already answered.`);
    }
    // The time it was done (the modal's "When it was done"), not the click's; never before the clock started.
    const at = input.at && input.at.getTime() < now.getTime() ? new Date(Math.max(input.at.getTime(), locked.startedAt.getTime())) : now;
    const evidence = input.evidence ?? null;
    const outcome = answerOutcome(locked, at);
    const clock = await updateClock(tx, locked.id, {
      state: outcome.met ? 'met' : 'missed',
      respondedAt: at,
      respondedBy: input.userId,
      responseNote: note || null,
      responseEvidence: evidence,
      pausedAt: null,
    });
    // The duty's act is done now (e.g. the content removed): a preservation duty runs from it.
    await keepDutyHold(tx, deps.meridian.retention?.holds ?? [], clock, { actorId: input.userId, now, doneAt: at });
    await replanClock(planning, clock, now);
    const result = outcome.met ? 'met' : `missed by ${formatDuration(outcome.lateMs)}`;
    await record(tx, incident, {
      actorId: input.userId,
      at: now,
      kind: 'clock_responded',
      text: `Responded: ${clock.name} (${result})`,
      action: 'clock.respond',
      details: {
        clockId: clock.id,
        met: outcome.met,
        lateMs: outcome.lateMs,
        respondedAt: at.toISOString(),
        ...(note ? { note } : {}),
        ...(evidence ? { evidence } : {}),
      },
    });
    return {
      clock,
      reply: `Recorded: ${escapeMrkdwn(clock.name)} answered (${result}).`,
      channelLine: clockAnsweredLine(clock),
    };
  });
  return afterChange(deps, incident, changed);
}

/**
 * `/incident responded undo [name]`: a response recorded by mistake is taken back. The clock
 * counts again (running, or missed when its time has passed), its reminders and miss are
 * re-planned, and the undo is in the timeline and the audit log with what it took back.
 */
export async function undoResponse(deps: ClockDeps, input: { userId: string; channelId: string; rest: string }): Promise<string> {
  const incident = await locateIncident(deps, { channelId: input.channelId }, input.userId);
  await requireChanger(deps, incident, input.userId, 'clock.respond_undo');
  const now = deps.clock();
  const changed = await withPlanning(deps, async (planning) => {
    const { tx } = planning;
    const answered = (await clocksOfIncident(tx, incident.id)).filter((c) => c.respondedAt);
    const named = nameAtFront(answered, input.rest);
    const target = named?.clock ?? (answered.length === 1 ? answered[0] : undefined);
    if (!target && answered.length > 1) throw severalClocks(answered, '/incident responded undo <name>');
    if (!target) throw new NotFound('No response is recorded on this incident: there is nothing to undo.');
    const locked = (await lockClock(tx, target.id)) ?? target;
    if (!locked.respondedAt) throw new UserError('clock_not_answered', `${escapeMrkdwn(locked.name)} has no response recorded.`);
    // A clock whose miss already fired is missed again; one answered before its miss runs again (past due, its miss fires now).
    const missed = locked.missedAt !== null;
    const overdue = locked.dueAt.getTime() <= now.getTime();
    const clock = await updateClock(tx, locked.id, {
      state: missed ? 'missed' : 'running',
      respondedAt: null,
      respondedBy: null,
      responseNote: null,
      responseEvidence: null,
    });
    await replanClock(planning, clock, now);
    await record(tx, incident, {
      actorId: input.userId,
      at: now,
      kind: 'clock_response_undone',
      text: `Response taken back: ${clock.name}`,
      action: 'clock.respond_undo',
      details: {
        clockId: clock.id,
        respondedAt: locked.respondedAt.toISOString(),
        respondedBy: locked.respondedBy,
        note: locked.responseNote,
      },
    });
    const line = `:leftwards_arrow_with_hook: Response taken back: ${escapeMrkdwn(clock.name)} ${overdue ? 'is overdue again' : `counts again, respond by ${by(clock.dueAt)}`}.`;
    return { clock, reply: line, channelLine: line };
  });
  return afterChange(deps, incident, changed);
}
