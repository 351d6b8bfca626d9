import { upsertClock, type NewClock, type StoredClock } from '../../db/repos/clocks.js';
import { addTimelineEntry } from '../../db/repos/record.js';
import type { Planning } from '../../jobs/plan.js';
import { dueAtFor, kindInForce, MAIN_CLOCK_LABEL, remindBeforeFor, type ClockStart, type DeadlineKind } from '../../domain/clocks.js';
import type { Incident } from '../../domain/incident.js';
import type { ResponsePolicy } from '../../domain/response-policy.js';
import type { HoldDuty } from '../../domain/retention.js';
import { keepDutyHold } from '../retention/duty-holds.js';
import { planClockActions } from './plan.js';

/** A kind's clock, started at `startedAt` with the version in force then. */
export function clockFromKind(kind: DeadlineKind, incidentId: string, startedAt: Date, startKind: ClockStart, label?: string): NewClock {
  return {
    incidentId,
    label: label ?? kind.id,
    kindId: kind.id,
    name: kind.name,
    source: kind.source,
    task: kind.task,
    startKind,
    startedAt,
    dueAt: dueAtFor(kind, startedAt),
    ownerId: null,
    state: 'running',
    pausedAt: null,
    pauseReason: null,
    remindBeforeMinutes: remindBeforeFor(kind.withinMinutes, kind.remindBeforeMinutes),
    escalateTo: [...kind.escalateTo],
    respondedAt: null,
    respondedBy: null,
    responseNote: null,
    responseEvidence: null,
    missedAt: null,
    missProgress: {},
  };
}

/** A clock due at an instant someone typed (the declare form's "Respond by", `/incident deadline <when>`). */
export function typedClock(incidentId: string, startedAt: Date, dueAt: Date, label: string, name?: string): NewClock {
  const withinMinutes = Math.max(0, (dueAt.getTime() - startedAt.getTime()) / 60_000);
  return {
    ...clockFromKind(
      {
        id: label,
        name: name ?? 'Response deadline',
        withinMinutes,
        remindBeforeMinutes: null,
        escalateTo: [],
        source: '',
        task: '',
        effectiveFrom: null,
        internalTarget: false,
      },
      incidentId,
      startedAt,
      'typed',
      label,
    ),
    kindId: null,
    dueAt,
  };
}

/** Two instants Slack's minute-grained picker cannot tell apart: the same deadline. */
const SAME_DEADLINE_MS = 60_000;

/**
 * The clocks a declaration starts, in the declaration's transaction: its category's deadline
 * kinds (the version in force at receipt), running from the form's "Order received" when given
 * (else from the declaration), and the "Respond by" typed into the form, unless it is the
 * category's own deadline again (intake prefills the report's receipt-based deadline): one
 * order, one clock.
 */
export async function startDeclarationClocks(
  planning: Pick<Planning, 'tx' | 'plan'>,
  policy: Pick<ResponsePolicy, 'categories' | 'deadlines'> & { retention?: { holds: readonly HoldDuty[] } | undefined },
  incident: Incident,
  given: { respondBy?: Date | undefined; receivedAt?: Date | undefined },
  now: Date,
): Promise<void> {
  const { tx } = planning;
  const { respondBy, receivedAt } = given;
  const category = policy.categories.find((c) => c.id === incident.category);
  const clocks: NewClock[] = [];
  const startedAt = receivedAt ?? incident.declaredAt;
  for (const id of new Set(category?.deadlineIds ?? [])) {
    const kind = kindInForce(policy.deadlines ?? [], id, startedAt);
    if (kind) clocks.push(clockFromKind(kind, incident.id, startedAt, receivedAt ? 'received' : 'declared'));
  }
  const sameAsKind = respondBy && clocks.some((c) => Math.abs(c.dueAt.getTime() - respondBy.getTime()) <= SAME_DEADLINE_MS);
  if (respondBy && !sameAsKind) clocks.push(typedClock(incident.id, incident.declaredAt, respondBy, MAIN_CLOCK_LABEL));
  for (const values of clocks) {
    const clock: StoredClock = await upsertClock(tx, values);
    await addTimelineEntry(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'clock_started',
      actorId: null,
      text: `Clock started: ${clock.name}`,
      data: { clockId: clock.id, dueAt: clock.dueAt.toISOString(), kindId: clock.kindId },
    });
    await keepDutyHold(tx, policy.retention?.holds ?? [], clock, { actorId: incident.declaredBy, now });
    await planClockActions(planning, clock, now);
  }
}
