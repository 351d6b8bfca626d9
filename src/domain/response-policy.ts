/**
 * The organisation's response rules as the domain reads them: what each severity demands,
 * the incident categories, and the escalation policies they name. The config file is parsed
 * into these shapes (see `src/config-file`); the domain never reads the file itself.
 */
import type { DeadlineKind } from './clocks.js';
import type { EscalationTarget, StakeholderTarget } from './escalation-target.js';
import type { EscalationPolicy } from './escalation-plan.js';
import type { Severity } from './severity.js';

export type { EscalationTarget, StakeholderTarget } from './escalation-target.js';

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
  /**
   * Distressing material (child safety, self-harm): always private, no link unfurls in the bot's
   * posts, a content note on the card, no excerpts of captured messages. Unset means not sensitive.
   */
  readonly sensitive?: boolean;
  /** Stakeholders invited to every incident of this category. */
  readonly invite: readonly StakeholderTarget[];
  /** Deadline kinds (`deadlines[].id`) whose clocks start when an incident of this category is declared. */
  readonly deadlineIds?: readonly string[];
  /** Steps posted as a checklist in the incident channel (`runbook:`); none when unset. */
  readonly runbook?: readonly string[];
}

/** The response rules together: severities, categories and the escalation policies they name. */
export interface ResponsePolicy {
  readonly severities: Readonly<Record<Severity, SeverityPolicy>>;
  readonly categories: readonly IncidentCategory[];
  readonly escalationPolicies: readonly NamedEscalationPolicy[];
  /** Kinds of response clock, versioned by effective date (`deadlines:`); none when unset. */
  readonly deadlines?: readonly DeadlineKind[];
}
