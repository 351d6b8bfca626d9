/**
 * Reports from outside Slack (a regulator's portal, a partner's form, a trusted flagger, a CRM
 * rule) waiting in the triage channel for Declare, Merge or Dismiss. Plain data and rules.
 */
import type { Severity } from './severity.js';

/** pending -> declared | merged | dismissed; a decision is final. */
export const REPORT_STATUSES = ['pending', 'declared', 'merged', 'dismissed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Source ids may carry a namespace: `regulator-portal`, `partner:safety-ngo`. */
export const SOURCE_ID = /^[a-z0-9][a-z0-9:._-]{0,63}$/;

/** A sender of reports (`intake.sources[]`): its defaults, and whether it is a trusted flagger. */
export interface IntakeSource {
  readonly id: string;
  readonly name: string;
  readonly category?: string;
  readonly severity?: Severity;
  /** A kind of response clock (`deadlines[].id`) its reports usually carry. */
  readonly deadline?: string;
  /** A trusted flagger (DSA Art. 22): flagged first and the on-call pinged. */
  readonly priority: boolean;
}

/** `intake:` in the config file. */
export interface IntakeConfig {
  readonly sources: readonly IntakeSource[];
  /** A report nobody picked up after this long nudges the on-call. */
  readonly nudgeAfterMinutes: number;
  /** The same for a priority source's reports. */
  readonly priorityNudgeAfterMinutes: number;
  /** Accepted requests per source per minute. */
  readonly rateLimitPerMinute: number;
}

export const DEFAULT_INTAKE: IntakeConfig = {
  sources: [],
  nudgeAfterMinutes: 15,
  priorityNudgeAfterMinutes: 5,
  rateLimitPerMinute: 60,
};

/** A report as received, before defaults. Its text is the sender's and never trusted. */
export interface IntakeSubmission {
  externalId: string;
  source: string;
  title: string;
  summary?: string;
  category?: string;
  severity?: Severity;
  deadline?: Date;
  reporter?: string;
  links: string[];
}

/** A stored report and what became of it. */
export interface IntakeReport {
  id: string;
  source: string;
  externalId: string;
  title: string;
  summary: string;
  category: string | null;
  severity: Severity | null;
  deadline: Date | null;
  reporter: string | null;
  links: string[];
  priority: boolean;
  status: ReportStatus;
  receivedAt: Date;
  triageChannelId: string | null;
  triageTs: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  incidentId: string | null;
  dismissReason: string | null;
}

/** What became of a decided report, with the incident's number when there is one. */
export interface ReportDecision {
  status: Exclude<ReportStatus, 'pending'>;
  by: string;
  incidentNumber?: number;
  reason?: string;
}

/** The configured source of a report, if its id is listed. */
export function sourceOf(config: IntakeConfig, sourceId: string): IntakeSource | undefined {
  return config.sources.find((s) => s.id === sourceId);
}

/** The source's defaults under what the report gave. */
export function withSourceDefaults(report: IntakeSubmission, source: IntakeSource | undefined): IntakeSubmission {
  return {
    ...report,
    ...(report.category === undefined && source?.category ? { category: source.category } : {}),
    ...(report.severity === undefined && source?.severity ? { severity: source.severity } : {}),
  };
}

/** When a report nobody picked up nudges the on-call. */
export function nudgeDueAt(config: IntakeConfig, receivedAt: Date, priority: boolean): Date {
  const minutes = priority ? config.priorityNudgeAfterMinutes : config.nudgeAfterMinutes;
  return new Date(receivedAt.getTime() + minutes * 60_000);
}

/** A link is shown as a link only when it is plainly http(s) and cannot break out of `<url|text>`. */
export function isSafeLink(url: string): boolean {
  return /^https?:\/\/[^\s<>|]+$/i.test(url);
}
