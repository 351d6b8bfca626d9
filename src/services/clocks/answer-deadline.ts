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
import { withPlanning } from '../../jobs/plan.js';
import { afterChange, nameAtFront, record, severalClocks } from './change-shared.js';

/** Records the response to a clock: who, when, met or missed, the note. Stops its reminders and miss. */
export async function answerClock(
  deps: ClockDeps,
  input: { userId: string; where: IncidentLocator; note?: string; clockId?: string },
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
    const outcome = answerOutcome(locked, now);
    const clock = await updateClock(tx, locked.id, {
      state: outcome.met ? 'met' : 'missed',
      respondedAt: now,
      respondedBy: input.userId,
      responseNote: note || null,
      pausedAt: null,
    });
    await replanClock(planning, clock, now);
    const result = outcome.met ? 'met' : `missed by ${formatDuration(outcome.lateMs)}`;
    await record(tx, incident, {
      actorId: input.userId,
      at: now,
      kind: 'clock_responded',
      text: `Responded: ${clock.name} (${result})`,
      action: 'clock.respond',
      details: { clockId: clock.id, met: outcome.met, lateMs: outcome.lateMs },
    });
    return {
      clock,
      reply: `Recorded: ${escapeMrkdwn(clock.name)} answered (${result}).`,
      channelLine: clockAnsweredLine(clock),
    };
  });
  await afterChange(deps, incident, changed);
  return changed.reply;
}
