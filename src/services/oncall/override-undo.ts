/** Undoing a swap: the person swapped out (or the one who swapped in, a manager, an admin) removes the override. */
import { swapUndoneDm, swapUndoneMessage } from '../../blocks/oncall-swap.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { deleteOverride, findOverride, loadSchedules } from '../../db/repos/schedules.js';
import { swapFor } from '../../domain/schedule-permissions.js';
import { PermissionDenied, UserError } from '../../errors.js';
import type { OncallDeps } from './deps.js';
import { overridePolicy } from './override-policy.js';

type UndoDeps = Pick<OncallDeps, 'db' | 'slack' | 'clock' | 'logger' | 'meridian'> & { replan: () => Promise<void> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Removes the override `overrideId` for `userId`, who must be the person it replaced (worked
 * out again from the layers: whoever the cover's layer had on duty when it starts), the cover,
 * a manager of the schedule or an admin. Refusals are audited. Once undone, the swap DM the
 * button was clicked in (`dm`) is replaced: undone, by whom, no button. Returns the words for the caller.
 */
export async function undoOverride(
  deps: UndoDeps,
  input: { userId: string; overrideId: string; dm?: { channelId: string; ts: string } },
): Promise<string> {
  const now = deps.clock();
  const row = UUID.test(input.overrideId) ? await findOverride(deps.db, input.overrideId) : undefined;
  if (!row) throw new UserError('override_gone', 'That override is already gone. Nothing changed.');
  const [schedule] = await loadSchedules(deps.db, { ids: [row.scheduleId], overridesEndingAfter: now });
  const replaced = schedule ? swapFor(schedule, row.userId, row.startsAt)?.replaced : undefined;
  const policy = overridePolicy(deps.meridian, row.scheduleId);
  const allowed = [replaced, row.userId, ...policy.managers, ...policy.admins].includes(input.userId);
  const details = { overrideId: row.id, scheduleId: row.scheduleId, userId: row.userId };
  if (!allowed) {
    await addAuditRecord(deps.db, { at: now, actorId: input.userId, action: 'oncall.override.undo', outcome: 'refused', details });
    throw new PermissionDenied('Only the person this override replaced, its cover, a manager of the schedule or an admin can undo it.');
  }
  const removed = await deps.db.transaction(async (tx) => {
    if (!(await deleteOverride(tx, row.id))) return false;
    await addAuditRecord(tx, { at: now, actorId: input.userId, action: 'oncall.override.undo', details });
    return true;
  });
  if (!removed) return 'That override is already gone. Nothing changed.';
  deps.logger.info({ overrideId: row.id, scheduleId: row.scheduleId, actorId: input.userId }, 'override undone');
  const scheduleName = schedule?.name ?? row.scheduleId;
  await deps.replan();
  if (input.dm) {
    const done = swapUndoneDm({ scheduleName, coverUser: row.userId, undoneBy: input.userId, from: row.startsAt, to: row.endsAt });
    await deps.slack
      .updateMessage({ channel: input.dm.channelId, ts: input.dm.ts, ...done })
      .catch((err: unknown) => deps.logger.warn({ err, overrideId: row.id }, 'could not update the swap DM after undoing'));
  }
  if (row.userId !== input.userId) {
    const notice = swapUndoneMessage({ scheduleName, undoneBy: input.userId, coverUser: row.userId, forCover: true });
    await deps.slack
      .postMessage({ channel: row.userId, ...notice })
      .catch((err: unknown) => deps.logger.warn({ err, overrideId: row.id }, 'could not tell the cover the swap was undone'));
  }
  return swapUndoneMessage({ scheduleName, undoneBy: input.userId, coverUser: row.userId, forCover: false }).text;
}
