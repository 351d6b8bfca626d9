/**
 * When the next status-update reminder is due. The severity sets a cadence (SEV1 every 30
 * minutes by default, SEV4 none); the clock starts again at every status update, and at every
 * reminder, so an incident nobody updates is nagged once per cadence rather than once per check.
 */
import { minutesToMs } from './local-time.js';
import type { SeverityPolicy } from './response-policy.js';
import type { Severity } from './severity.js';

/** Cadences used when the config file says nothing; they match the config defaults. */
export const DEFAULT_UPDATE_EVERY_MINUTES: Readonly<Record<Severity, number | null>> = {
  sev1: 30,
  sev2: 60,
  sev3: 240,
  sev4: null,
};

/** The part of the severities' rules that cadences need. */
export type UpdateCadenceConfig = Readonly<Partial<Record<Severity, Pick<SeverityPolicy, 'updateEveryMinutes'>>>>;

/** Minutes between status updates for `severity`; null asks for none. */
export function updateEveryMinutesFor(severity: Severity, severities?: UpdateCadenceConfig): number | null {
  const configured = severities?.[severity];
  return configured ? configured.updateEveryMinutes : DEFAULT_UPDATE_EVERY_MINUTES[severity];
}

export interface UpdateDueInput {
  /** Null asks for no updates, so no reminder is due. */
  readonly updateEveryMinutes: number | null;
  /** The last status update, or the declaration if there has been none. */
  readonly lastUpdateAt: Date;
  /** The last reminder sent, if any. */
  readonly lastReminderAt?: Date | null;
  readonly now: Date;
}

/**
 * When the next reminder is due: one cadence after the later of the last update and the last
 * reminder, but never before `now` (an overdue update is due now). Null when no updates are asked for.
 */
export function nextUpdateDue({ updateEveryMinutes, lastUpdateAt, lastReminderAt, now }: UpdateDueInput): Date | null {
  if (updateEveryMinutes === null) return null;
  if (!Number.isFinite(updateEveryMinutes) || updateEveryMinutes <= 0) {
    throw new RangeError(`updateEveryMinutes must be a positive number of minutes or null, got ${updateEveryMinutes}`);
  }
  const since = Math.max(validTime(lastUpdateAt, 'lastUpdateAt'), lastReminderAt ? validTime(lastReminderAt, 'lastReminderAt') : -Infinity);
  return new Date(Math.max(since + minutesToMs(updateEveryMinutes), validTime(now, 'now')));
}

export interface SeverityChangeInput {
  readonly from: Severity;
  readonly to: Severity;
  readonly lastUpdateAt: Date;
  readonly lastReminderAt?: Date | null;
  readonly now: Date;
  readonly severities?: UpdateCadenceConfig;
}

/** The reminder plan after a severity change. */
export interface UpdatePlan {
  /** The new severity's cadence; null asks for no updates. */
  readonly updateEveryMinutes: number | null;
  /** When the next reminder is due under the new severity; null for none. */
  readonly dueAt: Date | null;
  /**
   * Whether the cadence changed, so the pending reminder must be replaced by one at `dueAt`
   * (or dropped). False means the pending reminder already stands at `dueAt`.
   */
  readonly changed: boolean;
}

/**
 * Re-plans the next reminder when the severity changes. The new cadence counts from the last
 * update, so raising SEV3 to SEV1 two hours after the last update makes an update due now,
 * and lowering SEV1 to SEV3 pushes the reminder out.
 */
export function replanOnSeverityChange(input: SeverityChangeInput): UpdatePlan {
  const before = updateEveryMinutesFor(input.from, input.severities);
  const after = updateEveryMinutesFor(input.to, input.severities);
  return {
    updateEveryMinutes: after,
    dueAt: nextUpdateDue({
      updateEveryMinutes: after,
      lastUpdateAt: input.lastUpdateAt,
      lastReminderAt: input.lastReminderAt,
      now: input.now,
    }),
    changed: before !== after,
  };
}

function validTime(date: Date, name: string): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${name} is an invalid Date`);
  return ms;
}
