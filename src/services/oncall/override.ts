/** Saving an override from the modal: check who may, store with an audit record, re-plan, confirm. */
import { overrideSavedMessage } from '../../blocks/oncall-notices.js';
import { OVERRIDE_BLOCKS } from '../../blocks/oncall-override-modal.js';
import { overriddenShiftMessage, swappedOutMessage } from '../../blocks/oncall-swap.js';
import { handoffsBetween } from '../../domain/handoffs.js';
import { onCallAt } from '../../domain/rotation.js';
import type { Schedule } from '../../domain/schedule.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { claimSlackDelivery } from '../../db/repos/slack-events.js';
import { insertOverride, loadSchedules } from '../../db/repos/schedules.js';
import { decideOverride, type OverrideDecision } from '../../domain/schedule-permissions.js';
import { limitReachedMessage } from '../../domain/action-limits.js';
import { InvalidInput, PermissionDenied, UserError } from '../../errors.js';
import type { OncallDeps, OverrideForm } from './deps.js';
import { overridePolicy } from './override-policy.js';

type OverrideDeps = Pick<OncallDeps, 'db' | 'slack' | 'clock' | 'logger' | 'meridian' | 'limiter'> & {
  /** Plans handoff notices again, so the new cover gets its own and stale ones skip. */
  replan: () => Promise<void>;
};

/**
 * Stores the override and its audit record in one transaction, with the submission's claim: the
 * same view submitted again stores and tells nothing. Throws InvalidInput, by block
 * id, when the schedule no longer exists, and PermissionDenied (audited, naming who can) when the
 * author may not set it; nothing is stored then. Each saved override counts against the author's
 * hourly limit (admins are not counted); at the limit it is refused with the numbers, audited. Re-planning and the DMs run after the answer to
 * Slack, which must come within 3 s.
 */
export async function submitOverride(
  deps: OverrideDeps,
  input: { userId: string; form: OverrideForm; submissionKey: string },
): Promise<void> {
  const now = deps.clock();
  const { form } = input;
  const [schedule] = await loadSchedules(deps.db, { ids: [form.scheduleId], overridesEndingAfter: now });
  if (!schedule) throw new InvalidInput({ [OVERRIDE_BLOCKS.schedule]: 'That schedule no longer exists. Choose another.' });
  const decision = decideOverride(schedule, overridePolicy(deps.meridian, schedule.id), {
    actorId: input.userId,
    coverUserId: form.userId,
    from: form.from,
    to: form.to,
  });
  const attempt = { scheduleId: form.scheduleId, userId: form.userId, from: form.from.toISOString(), to: form.to.toISOString() };
  if (!decision.ok) {
    await addAuditRecord(deps.db, {
      at: now,
      actorId: input.userId,
      action: 'oncall.override',
      outcome: 'refused',
      details: { ...attempt, reason: form.reason, refusal: decision.reason },
    });
    deps.logger.info({ scheduleId: form.scheduleId, actorId: input.userId, refusal: decision.reason }, 'override refused');
    throw new PermissionDenied(decision.message);
  }
  const counted = deps.meridian.admins.includes(input.userId) ? null : { userId: input.userId };
  const reached = counted && (await deps.limiter.consume('override', counted));
  if (reached) {
    await addAuditRecord(deps.db, {
      at: now,
      actorId: input.userId,
      action: 'oncall.override',
      outcome: 'refused',
      details: { ...attempt, reason: form.reason, refusal: 'rate_limited', limit: reached.limit },
    });
    throw new UserError('rate_limited', limitReachedMessage(reached), OVERRIDE_BLOCKS.schedule);
  }
  const saved = await deps.db.transaction(async (tx) => {
    if (!(await claimSlackDelivery(tx, input.submissionKey))) return null;
    const row = await insertOverride(tx, {
      scheduleId: form.scheduleId,
      userId: form.userId,
      startsAt: form.from,
      endsAt: form.to,
      createdBy: input.userId,
    });
    await addAuditRecord(tx, {
      at: now,
      actorId: input.userId,
      action: 'oncall.override',
      details: {
        overrideId: row.id,
        ...attempt,
        reason: form.reason,
        as: decision.as,
        ...(decision.as === 'swap' ? { replaced: decision.replaced } : {}),
      },
    });
    return row;
  });
  // A replay stores nothing, so it costs no slot.
  if (!saved && counted) await deps.limiter.refund('override', counted);
  if (!saved) return;
  deps.logger.info({ overrideId: saved.id, scheduleId: form.scheduleId, userId: form.userId, actorId: input.userId }, 'override saved');
  void afterSave(deps, input.userId, schedule.name, form, { overrideId: saved.id, decision, displaced: displacedBy(schedule, form) });
}

/** Best effort: each failure is logged; the override itself is already saved. */
async function afterSave(
  deps: OverrideDeps,
  savedBy: string,
  scheduleName: string,
  form: OverrideForm,
  saved: { overrideId: string; decision: OverrideDecision; displaced: readonly string[] },
): Promise<void> {
  const facts = { scheduleName, coverUser: form.userId, savedBy, from: form.from, to: form.to, reason: form.reason };
  const tasks: Array<[string, () => Promise<unknown>]> = [
    ['re-plan handoff notices', deps.replan],
    ['confirm to the author', () => deps.slack.postMessage({ channel: savedBy, ...overrideSavedMessage({ ...facts, forCover: false }) })],
  ];
  if (form.userId !== savedBy) {
    tasks.push([
      'tell the person covering',
      () => deps.slack.postMessage({ channel: form.userId, ...overrideSavedMessage({ ...facts, forCover: true }) }),
    ]);
  }
  const { decision } = saved;
  if (decision.ok && decision.as === 'swap') {
    const notice = swappedOutMessage({
      scheduleName,
      layerName: decision.layerName,
      coverUser: form.userId,
      from: form.from,
      to: form.to,
      overrideId: saved.overrideId,
    });
    tasks.push(['tell the person swapped out', () => deps.slack.postMessage({ channel: decision.replaced, ...notice })]);
  } else {
    // Set by a manager or an admin: whoever had those hours is told they no longer do.
    const notice = overriddenShiftMessage({ scheduleName, coverUser: form.userId, savedBy, from: form.from, to: form.to });
    for (const userId of saved.displaced.filter((id) => id !== savedBy)) {
      tasks.push(['tell a person whose shift was overridden', () => deps.slack.postMessage({ channel: userId, ...notice })]);
    }
  }
  await Promise.all(
    tasks.map(([what, run]) =>
      run().catch((err: unknown) =>
        deps.logger.warn({ err, scheduleId: form.scheduleId, what }, 'after saving an override, a step failed'),
      ),
    ),
  );
}

/** Who the schedule had on call in the override's window before it was saved, the cover left out. */
function displacedBy(schedule: Schedule, form: OverrideForm): string[] {
  const people = new Set<string>();
  const first = onCallAt(schedule, form.from);
  if (first) people.add(first.userId);
  for (const handoff of handoffsBetween(schedule, form.from, form.to)) {
    if (handoff.at.getTime() < form.to.getTime() && handoff.toUser) people.add(handoff.toUser);
  }
  people.delete(form.userId);
  return [...people];
}
