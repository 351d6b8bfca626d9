/** `/incident deadline pause|resume [name] [reason]`: stops and restarts a clock's countdown. */
import { lockClock, updateClock, type StoredClock } from '../../db/repos/clocks.js';
import { utcText } from '../../domain/zoned-format.js';
import type { Incident } from '../../db/repos/incidents.js';
import { type DeadlineKind, isStatutoryClock, resumedDueAt } from '../../domain/clocks.js';
import { UserError } from '../../errors.js';
import { escapeMrkdwn } from '../../slack-api/mrkdwn.js';
import { replanClock } from './plan.js';
import type { Planning } from '../../jobs/plan.js';
import { by, type Changed, pick, record } from './change-shared.js';

export async function pauseOrResume(
  planning: Planning,
  incident: Incident,
  clocks: StoredClock[],
  op: 'pause' | 'resume',
  rest: string,
  userId: string,
  now: Date,
  kinds: readonly DeadlineKind[],
): Promise<Changed> {
  const { tx } = planning;
  const candidates = clocks.filter((c) => c.state === (op === 'pause' ? 'running' : 'paused'));
  const picked = pick(candidates, rest, `/incident deadline ${op} <name>${op === 'pause' ? ' <reason>' : ''}`);
  if (op === 'pause' && !picked.rest)
    throw new UserError(
      'reason_required',
      'Give the reason for the pause, for the record: `/incident deadline pause waiting for the authority to clarify the order`.',
    );
  const locked = (await lockClock(tx, picked.clock.id)) ?? picked.clock;
  const patch =
    op === 'pause'
      ? { state: 'paused' as const, pausedAt: now, pauseReason: picked.rest }
      : { state: 'running' as const, pausedAt: null, pauseReason: null, dueAt: resumedDueAt(locked, now) };
  // The law does not pause: a kind's clock that is not the organisation's own target keeps its legal deadline.
  const statutory = op === 'pause' && isStatutoryClock(locked, kinds);
  const legalDue = locked.dueAt;
  const clock = await updateClock(tx, locked.id, patch);
  await replanClock(planning, clock, now);
  const text =
    op === 'pause'
      ? `${statutory ? 'Statutory clock paused (the legal deadline does not pause)' : 'Clock paused'}: ${clock.name}`
      : `Clock resumed: ${clock.name}, due ${utcText(clock.dueAt)}`;
  await record(tx, incident, {
    actorId: userId,
    at: now,
    kind: `clock_${op}d`,
    text,
    action: `clock.${op}`,
    details: {
      clockId: clock.id,
      reason: picked.rest || null,
      dueAt: clock.dueAt.toISOString(),
      ...(op === 'pause' ? { statutory } : {}),
    },
  });
  const warning = statutory
    ? `\n:warning: *${escapeMrkdwn(clock.name)} is a statutory deadline${clock.source ? ` (${escapeMrkdwn(clock.source)})` : ''}: the law does not pause.* ` +
      `Meridian stops reminding, but the authority still expects the response by ${by(legalDue)}. The pause is recorded as a pause of a statutory clock.`
    : '';
  const line =
    op === 'pause'
      ? `:double_vertical_bar: Deadline paused: ${escapeMrkdwn(clock.name)} (${escapeMrkdwn(picked.rest)}). Its time stands still until \`/incident deadline resume\`.${warning}`
      : `:arrow_forward: Deadline resumed: ${escapeMrkdwn(clock.name)}, respond by ${by(clock.dueAt)}.`;
  return { clock, reply: line, channelLine: line };
}
