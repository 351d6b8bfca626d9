/**
 * Setting, moving, pausing, resuming, extending, clearing and answering an incident's clocks.
 * Each change is one transaction that bumps the clock's version and re-plans its reminders and
 * miss; the old plan's rows are cancelled, and one that fires anyway finds a newer version.
 */
import { clockAnsweredLine } from '../../blocks/clock-messages.js';
import { incidentRef } from '../../blocks/incident-messages.js';
import {
  clocksOfIncident,
  deleteClock,
  lockClock,
  type NewClock,
  updateClock,
  upsertClock,
  type StoredClock,
} from '../../db/repos/clocks.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import type { Incident } from '../../db/repos/incidents.js';
import type { Transaction } from '../../db/client.js';
import type { ScheduledAction } from '../../db/repos/scheduled-actions.js';
import {
  answerOutcome,
  clockLabelOf,
  extendedDueAt,
  isOpenClock,
  kindInForce,
  MAIN_CLOCK_LABEL,
  resumedDueAt,
} from '../../domain/clocks.js';
import { formatDuration } from '../../domain/duration.js';
import { isOpen } from '../../domain/lifecycle.js';
import { resolveWhen, type WhenInput } from '../../domain/when-input.js';
import { NotFound, UserError } from '../../errors.js';
import { escapeMrkdwn, slackDate } from '../../slack-api/mrkdwn.js';
import type { DeadlineCommand, DeadlineWhen } from '../../domain/clock-command.js';
import { refreshIncidentCard } from '../incident-card.js';
import { locateIncident, requireChanger } from '../incident/context.js';
import type { IncidentLocator } from '../incident/index.js';
import type { ClockDeps } from './deps.js';
import { replanClock } from './plan.js';
import { clockFromKind, typedClock } from './start.js';

type Changed = { clock: StoredClock | null; cancelled: string[]; planned: ScheduledAction[]; reply: string; channelLine?: string };

const by = (at: Date) => slackDate(at, '{date_short_pretty} at {time}');

/** `/incident deadline …` in an incident channel. */
export async function changeDeadline(
  deps: ClockDeps,
  input: { userId: string; channelId: string; command: DeadlineCommand },
): Promise<string> {
  const { command } = input;
  if (command.op === 'error') throw new UserError('invalid_deadline', command.error);
  const incident = await locateIncident(deps, { channelId: input.channelId }, input.userId);
  if (!isOpen(incident.status))
    throw new UserError('incident_closed', `${incidentRef(incident)} is no longer open; its clocks are stopped.`);
  await requireChanger(deps, incident, input.userId, `clock.${command.op}`);
  const now = deps.clock();
  const due = command.op === 'set' ? await dueOf(deps, input.userId, command.when, now) : undefined;
  const changed = await deps.db.transaction(async (tx) => {
    const clocks = await clocksOfIncident(tx, incident.id);
    switch (command.op) {
      case 'set':
        return setClock(deps, tx, incident, clocks, command, due as Exclude<typeof due, undefined>, input.userId, now);
      case 'clear':
        return clearClock(tx, incident, clocks, command.rest, input.userId, now);
      case 'pause':
      case 'resume':
        return pauseOrResume(tx, incident, clocks, command.op, command.rest, input.userId, now);
      case 'extend':
        return extendClock(tx, incident, clocks, command.name, command.minutes, command.reason, input.userId, now);
    }
  });
  await afterChange(deps, incident, changed);
  return changed.reply;
}

/** Records the response to a clock: who, when, met or missed, the note. Stops its reminders and miss. */
export async function answerClock(
  deps: ClockDeps,
  input: { userId: string; where: IncidentLocator; note?: string; clockId?: string },
): Promise<string> {
  const incident = await locateIncident(deps, input.where, input.userId);
  await requireChanger(deps, incident, input.userId, 'clock.respond');
  const now = deps.clock();
  const changed = await deps.db.transaction(async (tx) => {
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
    if (!target) throw new NotFound('There is no running clock to answer on this incident.');
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
    const { cancelled } = await replanClock(tx, clock, now);
    const result = outcome.met ? 'met' : `missed by ${formatDuration(outcome.lateMs)}`;
    await record(tx, incident, input.userId, now, 'clock_responded', `Responded: ${clock.name} (${result})`, 'clock.respond', {
      clockId: clock.id,
      met: outcome.met,
      lateMs: outcome.lateMs,
    });
    return {
      clock,
      cancelled,
      planned: [],
      reply: `Recorded: ${escapeMrkdwn(clock.name)} answered (${result}).`,
      channelLine: clockAnsweredLine(clock),
    };
  });
  await afterChange(deps, incident, changed);
  return changed.reply;
}

async function dueOf(deps: ClockDeps, userId: string, when: DeadlineWhen, now: Date) {
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

async function setClock(
  deps: ClockDeps,
  tx: Transaction,
  incident: Incident,
  clocks: StoredClock[],
  command: Extract<DeadlineCommand, { op: 'set' }>,
  due: { at?: Date; note?: string; kindId?: string; receivedAt?: Date },
  userId: string,
  now: Date,
): Promise<Changed> {
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
  const { cancelled, planned } = await replanClock(tx, clock, now);
  const verb = before ? 'moved' : 'set';
  await record(
    tx,
    incident,
    userId,
    now,
    before ? 'clock_moved' : 'clock_started',
    `Clock ${verb}: ${clock.name}, due ${clock.dueAt.toISOString()}`,
    `clock.${verb}`,
    {
      clockId: clock.id,
      dueAt: clock.dueAt.toISOString(),
      ...(before ? { previousDueAt: before.dueAt.toISOString() } : {}),
      ...(due.receivedAt ? { receivedAt: due.receivedAt.toISOString() } : {}),
    },
  );
  const received = due.receivedAt ? `received ${by(due.receivedAt)}` : '';
  const overdue = due.receivedAt && clock.dueAt.getTime() <= now.getTime() ? 'already overdue' : '';
  const notes = [received, overdue, due.note ? escapeMrkdwn(due.note) : ''].filter(Boolean).join('; ');
  const note = notes ? ` (${notes})` : '';
  const line = `:alarm_clock: Deadline ${verb}: *${escapeMrkdwn(clock.name)}*, respond by ${by(clock.dueAt)}${note}.`;
  return { clock, cancelled, planned, reply: line, channelLine: line };
}

/** With no name: the only open clock, else the one called "response"; undefined means create "response". */
function mainLabel(open: readonly StoredClock[]): string {
  if (open.length === 1) return (open[0] as StoredClock).label;
  return MAIN_CLOCK_LABEL;
}

function nameAtFront(clocks: readonly StoredClock[], text: string): { clock: StoredClock; rest: string } | undefined {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  const label = clockLabelOf(first);
  const clock = label ? clocks.find((c) => c.label === label || c.kindId === label) : undefined;
  return clock ? { clock, rest: rest.join(' ') } : undefined;
}

function severalClocks(clocks: readonly StoredClock[], usage: string): UserError {
  return new UserError(
    'several_clocks',
    `This incident runs several clocks: ${clocks.map((c) => `\`${c.label}\``).join(', ')}. Name one: \`${usage}\`.`,
  );
}

function pick(clocks: readonly StoredClock[], text: string, usage: string): { clock: StoredClock; rest: string } {
  const named = nameAtFront(clocks, text);
  if (named) return named;
  if (clocks.length === 1) return { clock: clocks[0] as StoredClock, rest: text.trim() };
  if (clocks.length === 0) throw new NotFound('This incident has no running clock.');
  throw severalClocks(clocks, usage);
}

async function clearClock(
  tx: Transaction,
  incident: Incident,
  clocks: StoredClock[],
  rest: string,
  userId: string,
  now: Date,
): Promise<Changed> {
  const { clock } = pick(clocks.filter(isOpenClock), rest, '/incident deadline clear <name>');
  const { cancelled } = await replanClock(tx, { ...clock, state: 'met' }, now);
  await deleteClock(tx, clock.id);
  await record(tx, incident, userId, now, 'clock_cleared', `Clock cleared: ${clock.name}`, 'clock.clear', {
    clockId: clock.id,
    dueAt: clock.dueAt.toISOString(),
  });
  const line = `:heavy_multiplication_x: Deadline cleared: ${escapeMrkdwn(clock.name)} (was due ${by(clock.dueAt)}).`;
  return { clock: null, cancelled, planned: [], reply: line, channelLine: line };
}

async function pauseOrResume(
  tx: Transaction,
  incident: Incident,
  clocks: StoredClock[],
  op: 'pause' | 'resume',
  rest: string,
  userId: string,
  now: Date,
): Promise<Changed> {
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
  const clock = await updateClock(tx, locked.id, patch);
  const { cancelled, planned } = await replanClock(tx, clock, now);
  const text = op === 'pause' ? `Clock paused: ${clock.name}` : `Clock resumed: ${clock.name}, due ${clock.dueAt.toISOString()}`;
  await record(tx, incident, userId, now, `clock_${op}d`, text, `clock.${op}`, {
    clockId: clock.id,
    reason: picked.rest || null,
    dueAt: clock.dueAt.toISOString(),
  });
  const line =
    op === 'pause'
      ? `:double_vertical_bar: Deadline paused: ${escapeMrkdwn(clock.name)} (${escapeMrkdwn(picked.rest)}). Its time stands still until \`/incident deadline resume\`.`
      : `:arrow_forward: Deadline resumed: ${escapeMrkdwn(clock.name)}, respond by ${by(clock.dueAt)}.`;
  return { clock, cancelled, planned, reply: line, channelLine: line };
}

async function extendClock(
  tx: Transaction,
  incident: Incident,
  clocks: StoredClock[],
  name: string | undefined,
  minutes: number,
  reason: string,
  userId: string,
  now: Date,
): Promise<Changed> {
  const open = clocks.filter(isOpenClock);
  const { clock: found } = name
    ? pick(open, name, '/incident deadline extend <name> <N hours> <reason>')
    : pick(open, '', '/incident deadline extend <name> <N hours> <reason>');
  const locked = (await lockClock(tx, found.id)) ?? found;
  const clock = await updateClock(tx, locked.id, { dueAt: extendedDueAt(locked, minutes) });
  const { cancelled, planned } = await replanClock(tx, clock, now);
  await record(tx, incident, userId, now, 'clock_extended', `Clock extended by ${minutes} min: ${clock.name}`, 'clock.extend', {
    clockId: clock.id,
    minutes,
    reason,
    previousDueAt: locked.dueAt.toISOString(),
    dueAt: clock.dueAt.toISOString(),
  });
  const line = `:alarm_clock: Deadline extended: ${escapeMrkdwn(clock.name)}, respond by ${by(clock.dueAt)} (${escapeMrkdwn(reason)}).`;
  return { clock, cancelled, planned, reply: line, channelLine: line };
}

async function record(
  tx: Transaction,
  incident: Incident,
  actorId: string,
  at: Date,
  kind: string,
  text: string,
  action: string,
  details: Record<string, unknown>,
): Promise<void> {
  await addTimelineEntry(tx, { incidentId: incident.id, at, kind, actorId, text, data: details });
  await addAuditRecord(tx, { incidentId: incident.id, at, actorId, action, details });
}

/** After commit: drop the old plan from the queue, enqueue the new, tell the channel, refresh the card. */
async function afterChange(deps: ClockDeps, incident: Incident, changed: Changed): Promise<void> {
  await deps.scheduler.remove(changed.cancelled);
  await deps.scheduler.enqueue(changed.planned);
  if (incident.channelId && changed.channelLine) {
    await deps.slack
      .postMessage({ channel: incident.channelId, text: changed.channelLine })
      .catch((err: unknown) => deps.logger.warn({ err, incidentId: incident.id }, 'clock change not posted'));
  }
  await refreshIncidentCard(deps, incident.id).catch((err: unknown) => deps.logger.warn({ err }, 'card not refreshed'));
}
