/**
 * An incident's paging as the rest of the system sees it: the escalation that runs its policy,
 * and the pages it sends. Plain data; the database's repositories return these.
 */
import type { NamedEscalationPolicy } from './response-policy.js';

/** active -> acknowledged | exhausted (every step and repeat went unanswered) | cancelled */
export type EscalationStatus = 'active' | 'acknowledged' | 'exhausted' | 'cancelled';

/**
 * One per incident while its policy runs. `nextStep` is the step the one pending
 * `escalation-step` action will run; a job for any other step is stale and does nothing.
 */
export interface Escalation {
  id: string;
  incidentId: string;
  policyId: string;
  /** The policy as it was when the escalation started (or was re-planned by a severity change). */
  policy: NamedEscalationPolicy;
  status: EscalationStatus;
  nextStep: number;
  startedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  endedAt: Date | null;
}

/** A repeated round of the policy: which one of how many (1-based), because nobody acknowledged the earlier ones. */
export interface PageRepeat {
  round: number;
  rounds: number;
}

/** Why a person was paged, as stored on the page; `repeat` when a later round of the policy paged them. */
export type PageReason = (
  | { kind: 'schedule'; scheduleId: string; scheduleName: string; layerName: string | null; timeZone: string | null; override: boolean }
  | { kind: 'user' }
  | { kind: 'usergroup'; usergroupId: string; usergroupName?: string }
) & { repeat?: PageRepeat };

/** sent -> acknowledged | superseded | cancelled; undeliverable when the DM could not be sent at all. */
export type PageStatus = 'sent' | 'acknowledged' | 'superseded' | 'cancelled' | 'undeliverable';

/** A person paged by one step of an escalation; one per (escalation, step, person). */
export interface Page {
  id: string;
  incidentId: string;
  escalationId: string;
  stepNumber: number;
  userId: string;
  reason: PageReason;
  pagedAt: Date;
  status: PageStatus;
  dmChannelId: string | null;
  dmTs: string | null;
  /** False while the DM was sent before the incident channel existed: it gets the link later. */
  dmHasChannel: boolean;
  announcedAt: Date | null;
  acknowledgedAt: Date | null;
}
