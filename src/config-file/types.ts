/**
 * The Meridian config file as the code sees it: camelCase, times and dates parsed, defaults
 * filled in. The file itself is snake_case (see `config/meridian.example.yaml`).
 */
import type { ActionLimits } from '../domain/action-limits.js';
import type { IncidentCategory, ResponsePolicy, SeverityPolicy } from '../domain/response-policy.js';
import type { ScheduleDefinition } from '../domain/schedule.js';
import type { Severity } from '../domain/severity.js';

export type { EscalationTarget, StakeholderTarget } from '../domain/response-policy.js';

/** Severity keys, most severe first. */
export { SEVERITIES as SEVERITY_IDS } from '../domain/severity.js';

/** A severity key: `sev1` (critical) to `sev4` (low). */
export type SeverityId = Severity;

/** What a severity demands (`severities.sevN`; `invite` lists its stakeholders). */
export type SeverityConfig = SeverityPolicy;

/** A Trust & Safety incident category (`categories[]`). */
export type CategoryConfig = IncidentCategory;

/** The whole validated config file: the domain's response rules, the admins and the schedules. */
export interface MeridianConfig extends ResponsePolicy {
  /** Slack user ids who may change any incident besides its commander and declarer. */
  readonly admins: readonly string[];
  /** How many declarations, escalations, reviews and overrides a person (or workspace) may make an hour. */
  readonly limits: ActionLimits;
  readonly schedules: readonly ScheduleDefinition[];
}
