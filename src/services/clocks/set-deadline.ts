/** `/incident deadline <when>`: sets a clock, or moves the one the name picks. */
import { type NewClock, upsertClock, type StoredClock } from '../../db/repos/clocks.js';
import { utcText } from '../../domain/zoned-format.js';
import { keepDutyHold } from '../retention/duty-holds.js';
import type { Incident } from '../../db/repos/incidents.js';
import { clockLabelOf, isOpenClock, kindInForce } from '../../domain/clocks.js';
import { resolveWhen, type WhenInput } from '../../domain/when-input.js';
import { UserError } from '../../errors.js';
import { escapeMrkdwn } from '../../slack-api/mrkdwn.js';
import type { DeadlineCommand, DeadlineWhen } from '../../domain/clock-command.js';
import type { ClockDeps } from './deps.js';
import { replanClock } from './plan.js';
import type { Planning } from '../../jobs/plan.js';
import { clockFromKind, typedClock } from './start.js';
import { by, type Changed, mainLabel, record } from './change-shared.js';

export async function dueOf(deps: ClockDeps, userId: string, when: DeadlineWhen, now: Date) {
  switch (when.kind) {
    case 'in':
      return { at: new Date(now.getTime() + when.minutes * 60_000) };
    case 'kind': {
      if (!when.received) return { kindId: when.kindId };
      if (when.received.kind === 'ago')
        return { kindId: when.kindId, receivedAt: new Date(now.getTime() - when.received.minutes * 60_000) };
      const resolved = await resolveTyped(deps, userId, when.received.when);
      if (resolved.at.getTime() > now.getTime() + 60_000)
        throw new UserError('received_future', `${by(resolved.at)} is still ahead; give the time the order was received.`);
      return { kindId: when.kindId, receivedAt: resolved.at, note: resolved.note };
    }
    case 'when': {
      const resolved = await resolveTyped(deps, userId, when.when);
      return { at: resolved.at, note: resolved.note };
    }
  }
}

/** A typed time: without a zone, the typist's own Slack zone; a skipped or repeated local time by the rule in when-input. */
async function resolveTyped(deps: ClockDeps, userId: string, when: WhenInput) {
  const zone =
    when.kind === 'local' && !when.timeZone
      ? await deps.slack.userInfo(userId).then(
          (u) => u.tz,
          () => 'UTC',
        )
      : 'UTC';
  return resolveWhen(when, zone);
}

export async function setClock(
  deps: ClockDeps,
  planning: Planning,
  incident: Incident,
  clocks: StoredClock[],
  command: Extract<DeadlineCommand, { op: 'set' }>,
  due: { at?: Date; note?: string; kindId?: string; receivedAt?: Date },
  userId: string,
  now: Date,
): Promise<Changed> {
  const { tx } = planning;
  const open = clocks.filter(isOpenClock);
  let values: NewClock;
  if (due.kindId) {
    // A clock that runs from receipt uses the version in force when the order was received.
    const startedAt = due.receivedAt ?? now;
    const kind = kindInForce(deps.meridian.deadlines ?? [], due.kindId, startedAt);
    if (!kind) {
      const known = [...new Set((deps.meridian.deadlines ?? []).map((k) => `\`${k.id}\``))].join(', ') || 'none configured';
      throw new UserError(
        'unknown_deadline',
        `I can't read \`${due.kindId.slice(0, 40)}\` as a time or a deadline kind. Deadline kinds: ${known}.`,
      );
    }
    values = clockFromKind(kind, incident.id, startedAt, 'received', command.label ? clockLabelOf(command.label) || kind.id : kind.id);
  } else {
    const at = due.at as Date;
    if (at.getTime() <= now.getTime()) throw new UserError('deadline_past', `${by(at)} has already passed; give a time still ahead.`);
    const label = command.label ? clockLabelOf(command.label) : mainLabel(open);
    if (!label) throw new UserError('invalid_label', 'Name the clock with letters or digits.');
    const existing = clocks.find((c) => c.label === label);
    values = existing
      ? {
          ...typedClock(incident.id, existing.startedAt, at, label, existing.name),
          kindId: existing.kindId,
          source: existing.source,
          task: existing.task,
          startKind: existing.startKind,
          ownerId: existing.ownerId,
          escalateTo: existing.escalateTo,
        }
      : typedClock(incident.id, now, at, label, command.label ? command.label : undefined);
  }
  const before = clocks.find((c) => c.label === values.label);
  const clock = await upsertClock(tx, values);
  await keepDutyHold(tx, deps.meridian.retention?.holds ?? [], clock, { actorId: userId, now });
  await replanClock(planning, clock, now);
  const verb = before ? 'moved' : 'set';
  await record(tx, incident, {
    actorId: userId,
    at: now,
    kind: before ? 'clock_moved' : 'clock_started',
    text: `Clock ${verb}: ${clock.name}, due ${utcText(clock.dueAt)}`,
    action: `clock.${verb}`,
    details: {
      clockId: clock.id,
      dueAt: clock.dueAt.toISOString(),
      ...(before ? { previousDueAt: before.dueAt.toISOString() } : {}),
      ...(due.receivedAt ? { receivedAt: due.receivedAt.toISOString() } : {}),
    },
  });
  const received = due.receivedAt ? `received ${by(due.receivedAt)}` : '';
  const overdue = due.receivedAt && clock.dueAt.getTime() <= now.getTime() ? 'already overdue' : '';
  const notes = [received, overdue, due.note ? escapeMrkdwn(due.note) : ''].filter(Boolean).join('; ');
  const note = notes ? ` (${notes})` : '';
  const line = `:alarm_clock: Deadline ${verb}: *${escapeMrkdwn(clock.name)}*, respond by ${by(clock.dueAt)}${note}.`;
  return { clock, reply: line, channelLine: line };
}
