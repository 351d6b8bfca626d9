/**
 * The organisation's response rules as the domain reads them: what each severity demands,
 * the incident categories, and the escalation policies they name. The config file is parsed
 * into these shapes (see `src/config-file`); the domain never reads the file itself.
 */
import type { DeadlineKind } from './clocks.js';
import type { EscalationPolicy } from './escalation-plan.js';
import type { MemberRef } from './schedule.js';
import type { Severity } from './severity.js';

/** Who an escalation step notifies. */
export type EscalationTarget =
  | { readonly kind: 'schedule'; readonly scheduleId: string }
  | { readonly kind: 'user'; readonly user: MemberRef }
  | { readonly kind: 'usergroup'; readonly usergroupId: string };

/** Who is invited (not paged) to an incident's channel: stakeholders such as Legal or Comms. */
export type StakeholderTarget =
  | { readonly kind: 'user'; readonly user: MemberRef }
  | { readonly kind: 'usergroup'; readonly usergroupId: string };

/** An escalation policy with its id and name: what an incident's paging runs, and what is stored with it. */
export interface NamedEscalationPolicy extends EscalationPolicy<EscalationTarget> {
  readonly id: string;
  readonly name: string;
}

/** What a severity demands. */
export interface SeverityPolicy {
  readonly label: string;
  /** Escalation policy id; null pages nobody. */
  readonly policyId: string | null;
  /** Status update cadence in minutes; null asks for none. */
  readonly updateEveryMinutes: number | null;
  /** Stakeholders invited to the channel at this severity; raising the severity invites the new level's. */
  readonly invite: readonly StakeholderTarget[];
}

/** A Trust & Safety incident category. */
export interface IncidentCategory {
  readonly id: string;
  readonly name: string;
  readonly defaultSeverity: Severity;
  /** Escalation policy used instead of the severity's; null means use the severity's. */
  readonly policyId: string | null;
  /** Incidents of this category get private channels by default. */
  readonly private: boolean;
  /** Stakeholders invited to every incident of this category. */
  readonly invite: readonly StakeholderTarget[];
  /** Deadline kinds (`deadlines[].id`) whose clocks start when an incident of this category is declared. */
  readonly deadlineIds?: readonly string[];
}

/** The response rules together: severities, categories and the escalation policies they name. */
export interface ResponsePolicy {
  readonly severities: Readonly<Record<Severity, SeverityPolicy>>;
  readonly categories: readonly IncidentCategory[];
  readonly escalationPolicies: readonly NamedEscalationPolicy[];
  /** Kinds of response clock, versioned by effective date (`deadlines:`); none when unset. */
  readonly deadlines?: readonly DeadlineKind[];
}
