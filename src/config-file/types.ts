/**
 * The Meridian config file as the code sees it: camelCase, times and dates parsed, defaults
 * filled in. The file itself is snake_case (see `config/meridian.example.yaml`).
 */
import type { EscalationPolicy } from '../domain/escalation-plan.js';
import type { MemberRef, ScheduleDefinition } from '../domain/schedule.js';

/** Severity keys, most severe first. */
export const SEVERITY_IDS = ['sev1', 'sev2', 'sev3', 'sev4'] as const;

/** A severity key: `sev1` (critical) to `sev4` (low). */
export type SeverityId = (typeof SEVERITY_IDS)[number];

/** Who an escalation step notifies. */
export type EscalationTarget =
  | { readonly kind: 'schedule'; readonly scheduleId: string }
  | { readonly kind: 'user'; readonly user: MemberRef }
  | { readonly kind: 'usergroup'; readonly usergroupId: string };

/** Who is invited (not paged) to an incident's channel: stakeholders such as Legal or Comms. */
export type StakeholderTarget =
  | { readonly kind: 'user'; readonly user: MemberRef }
  | { readonly kind: 'usergroup'; readonly usergroupId: string };

/** An escalation policy from the file (`escalation_policies[]`). */
export interface EscalationPolicyConfig extends EscalationPolicy<EscalationTarget> {
  readonly id: string;
  /** Defaults to the id. */
  readonly name: string;
}

/** What a severity demands (`severities.sevN`). */
export interface SeverityConfig {
  readonly label: string;
  /** Escalation policy id; null pages nobody. */
  readonly policyId: string | null;
  /** Status update cadence in minutes; null asks for none. */
  readonly updateEveryMinutes: number | null;
  /** Stakeholders invited to the channel at this severity (`invite`); raising the severity invites the new level's. */
  readonly invite: readonly StakeholderTarget[];
}

/** A Trust & Safety incident category (`categories[]`). */
export interface CategoryConfig {
  readonly id: string;
  readonly name: string;
  readonly defaultSeverity: SeverityId;
  /** Escalation policy used instead of the severity's; null means use the severity's. */
  readonly policyId: string | null;
  /** Incidents of this category get private channels by default. */
  readonly private: boolean;
  /** Stakeholders invited to every incident of this category (`invite`). */
  readonly invite: readonly StakeholderTarget[];
}

/** The whole validated config file. */
export interface MeridianConfig {
  /** Slack user ids who may change any incident besides its commander and declarer. */
  readonly admins: readonly string[];
  readonly schedules: readonly ScheduleDefinition[];
  readonly escalationPolicies: readonly EscalationPolicyConfig[];
  readonly severities: Readonly<Record<SeverityId, SeverityConfig>>;
  readonly categories: readonly CategoryConfig[];
}
