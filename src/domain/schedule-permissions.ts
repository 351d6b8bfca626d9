/**
 * Who may change who is on call. Being on call gets a person paged into private incidents, so
 * an override is a permission: admins and a schedule's managers may set any; a member of a layer
 * may swap themselves in for whoever that layer has on duty when the swap starts; nobody else.
 * Overrides longer than the maximum need an admin.
 */
import { layerShiftAt } from './layer-shift.js';
import type { Schedule } from './schedule.js';
import { mentionOf } from './slack-user.js';

const MS_PER_DAY = 86_400_000;

export interface OverrideAttempt {
  readonly actorId: string;
  readonly coverUserId: string;
  readonly from: Date;
  readonly to: Date;
}

export interface OverridePolicy {
  readonly admins: readonly string[];
  readonly managers: readonly string[];
  readonly maxOverrideDays: number;
}

export type OverrideDecision =
  | { readonly ok: true; readonly as: 'admin' | 'manager' }
  /** A member swapping themselves in; `replaced` is told and may undo it. */
  | { readonly ok: true; readonly as: 'swap'; readonly replaced: string; readonly layerName: string }
  | { readonly ok: false; readonly reason: 'not_allowed' | 'too_long'; readonly message: string };

/** Whether `attempt` may be saved on `schedule`, and as what. An empty actor id is nobody. */
export function decideOverride(schedule: Schedule, policy: OverridePolicy, attempt: OverrideAttempt): OverrideDecision {
  const { actorId } = attempt;
  if (actorId && policy.admins.includes(actorId)) return { ok: true, as: 'admin' };
  const tooLong = attempt.to.getTime() - attempt.from.getTime() > policy.maxOverrideDays * MS_PER_DAY;
  if (actorId && policy.managers.includes(actorId)) {
    return tooLong ? refuse('too_long', tooLongMessage(policy)) : { ok: true, as: 'manager' };
  }
  const swap = actorId && attempt.coverUserId === actorId ? swapFor(schedule, actorId, attempt.from) : null;
  if (!swap) return refuse('not_allowed', notAllowedMessage(policy));
  if (tooLong) return refuse('too_long', tooLongMessage(policy));
  return { ok: true, as: 'swap', ...swap };
}

/** The same-layer member on duty at `at` whom `memberId` would replace, or null. */
export function swapFor(schedule: Schedule, memberId: string, at: Date): { replaced: string; layerName: string } | null {
  for (const layer of schedule.layers) {
    if (!layer.rotation.members.includes(memberId)) continue;
    const shift = layerShiftAt(layer, at.getTime());
    if (shift && shift.userId !== memberId) return { replaced: shift.userId, layerName: layer.name };
  }
  return null;
}

function refuse(reason: 'not_allowed' | 'too_long', message: string): OverrideDecision {
  return { ok: false, reason, message };
}

function people(ids: readonly string[]): string {
  const mentions = ids.map(mentionOf).filter((m): m is string => Boolean(m));
  return mentions.length ? mentions.join(', ') : 'nobody is named in the config';
}

function notAllowedMessage(policy: OverridePolicy): string {
  const managers = policy.managers.length ? `its managers (${people(policy.managers)}) or ` : '';
  return (
    `Only ${managers}an admin (${people(policy.admins)}) can set this override. ` +
    'A member of a layer can swap themselves in for whoever that layer has on call when the swap starts.'
  );
}

function tooLongMessage(policy: OverridePolicy): string {
  return `Overrides longer than ${policy.maxOverrideDays} days need an admin (${people(policy.admins)}).`;
}
