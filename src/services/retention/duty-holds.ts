/**
 * Holds owed to a preservation duty (issue 24): a clock of a `retention.holds` kind starts one,
 * stored and audited as it starts; answering or clearing the clock moves its end to `days` after
 * that moment (the duty runs from the act: TCO Art. 6 from the removal), never earlier.
 */
import type { Db } from '../../db/client.js';
import { keepDutyHoldRow } from '../../db/repos/legal-holds.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { dutyHoldUntil, type HoldDuty } from '../../domain/retention.js';

/** The clock as a duty hold needs it. */
export interface DutyClock {
  readonly id: string;
  readonly incidentId: string;
  readonly kindId: string | null;
  readonly startedAt: Date;
}

/**
 * In the transaction that starts, answers or clears `clock`: its duty hold, if its kind has one.
 * `doneAt`: when the clock was answered or cleared (omit when it starts). A new hold is audited
 * (`retention.hold`, actor: who started the clock, or Meridian).
 */
export async function keepDutyHold(
  tx: Db,
  duties: readonly HoldDuty[],
  clock: DutyClock,
  at: { actorId: string | null; now: Date; doneAt?: Date },
): Promise<void> {
  const duty = duties.find((d) => d.deadlineId === clock.kindId);
  if (!duty) return;
  const until = dutyHoldUntil(duty, clock.startedAt, at.doneAt);
  const created = await keepDutyHoldRow(tx, {
    incidentId: clock.incidentId,
    clockId: clock.id,
    deadlineId: duty.deadlineId,
    source: duty.source,
    since: clock.startedAt,
    until,
  });
  if (created)
    await addAuditRecord(tx, {
      incidentId: clock.incidentId,
      at: at.now,
      actorId: at.actorId,
      action: 'retention.hold',
      details: { duty: duty.source, deadline: duty.deadlineId, clockId: clock.id, until: until.toISOString() },
    });
}
