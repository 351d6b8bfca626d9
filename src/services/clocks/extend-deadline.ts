/** `/incident deadline extend [name] <minutes> <reason>`: moves a clock's deadline later. */
import { lockClock, updateClock, type StoredClock } from '../../db/repos/clocks.js';
import type { Incident } from '../../db/repos/incidents.js';
import { extendedDueAt, isOpenClock } from '../../domain/clocks.js';
import { escapeMrkdwn } from '../../slack-api/mrkdwn.js';
import { replanClock } from './plan.js';
import type { Planning } from '../../jobs/plan.js';
import { by, type Changed, pick, record } from './change-shared.js';

export async function extendClock(
  planning: Planning,
  incident: Incident,
  clocks: StoredClock[],
  name: string | undefined,
  minutes: number,
  reason: string,
  userId: string,
  now: Date,
): Promise<Changed> {
  const { tx } = planning;
  const open = clocks.filter(isOpenClock);
  const { clock: found } = name
    ? pick(open, name, '/incident deadline extend <name> <N hours> <reason>')
    : pick(open, '', '/incident deadline extend <name> <N hours> <reason>');
  const locked = (await lockClock(tx, found.id)) ?? found;
  const clock = await updateClock(tx, locked.id, { dueAt: extendedDueAt(locked, minutes) });
  await replanClock(planning, clock, now);
  await record(tx, incident, {
    actorId: userId,
    at: now,
    kind: 'clock_extended',
    text: `Clock extended by ${minutes} min: ${clock.name}`,
    action: 'clock.extend',
    details: {
      clockId: clock.id,
      minutes,
      reason,
      previousDueAt: locked.dueAt.toISOString(),
      dueAt: clock.dueAt.toISOString(),
    },
  });
  const line = `:alarm_clock: Deadline extended: ${escapeMrkdwn(clock.name)}, respond by ${by(clock.dueAt)} (${escapeMrkdwn(reason)}).`;
  return { clock, reply: line, channelLine: line };
}
