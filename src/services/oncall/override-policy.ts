/** The override rules of one schedule, read from the config file. */
import type { MeridianConfig } from '../../config-file/types.js';
import type { OverridePolicy } from '../../domain/schedule-permissions.js';

/** Admins, the schedule's managers, and its maximum (the schedule's own, else `oncall.max_override_days`). */
export function overridePolicy(meridian: Pick<MeridianConfig, 'admins' | 'schedules' | 'oncall'>, scheduleId: string): OverridePolicy {
  const schedule = meridian.schedules.find((s) => s.id === scheduleId);
  return {
    admins: meridian.admins,
    managers: schedule?.managers ?? [],
    maxOverrideDays: schedule?.maxOverrideDays ?? meridian.oncall.maxOverrideDays,
  };
}
