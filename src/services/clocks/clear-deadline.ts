/** `/incident deadline clear [name]`: removes a clock and its plan. */
import { deleteClock, type StoredClock } from '../../db/repos/clocks.js';
import type { Incident } from '../../db/repos/incidents.js';
import { isOpenClock } from '../../domain/clocks.js';
import { escapeMrkdwn } from '../../slack-api/mrkdwn.js';
import { replanClock } from './plan.js';
import type { HoldDuty } from '../../domain/retention.js';
import { keepDutyHold } from '../retention/duty-holds.js';
import type { Planning } from '../../jobs/plan.js';
import { by, type Changed, pick, record } from './change-shared.js';

export async function clearClock(
  planning: Planning,
  incident: Incident,
  clocks: StoredClock[],
  rest: string,
  userId: string,
  now: Date,
  duties: readonly HoldDuty[],
): Promise<Changed> {
  const { tx } = planning;
  const { clock } = pick(clocks.filter(isOpenClock), rest, '/incident deadline clear <name>');
  await replanClock(planning, { ...clock, state: 'met' }, now);
  // Clearing a clock does not end the preservation duty it started: the hold stays, running from now.
  await keepDutyHold(tx, duties, clock, { actorId: userId, now, doneAt: now });
  await deleteClock(tx, clock.id);
  await record(tx, incident, {
    actorId: userId,
    at: now,
    kind: 'clock_cleared',
    text: `Clock cleared: ${clock.name}`,
    action: 'clock.clear',
    details: { clockId: clock.id, dueAt: clock.dueAt.toISOString() },
  });
  const line = `:heavy_multiplication_x: Deadline cleared: ${escapeMrkdwn(clock.name)} (was due ${by(clock.dueAt)}).`;
  return { clock: null, reply: line, channelLine: line };
}
