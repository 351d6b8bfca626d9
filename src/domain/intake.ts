import type { OrderSubmission } from './orders.js';
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
  /** A trusted flagger (DSA Art. 22): flagged first and the on-call pinged, once it has a secret of its own. */
  readonly priority: boolean;
  /**
   * The name of the secret (in INTAKE_SOURCE_SECRETS) that alone may sign this source's reports;
   * unset: the shared INTAKE_SIGNING_SECRET signs them.
   */
  readonly secret?: string;
}

/** The shared secret's name in rate-limit keys and logs. */
export const SHARED_INTAKE_SECRET = 'shared';

/** The secret that must sign a source's reports: its own, or the shared one. */
export function secretNameOf(source: IntakeSource): string {
  return source.secret ?? SHARED_INTAKE_SECRET;
}

/**
 * A trusted flagger is believed only when its reports are signed by its own secret: with the
 * shared one, any sender could claim to be it (so `priority` without `secret` flags nothing).
 */
export function isTrustedFlagger(source: IntakeSource | undefined): boolean {
  return source?.priority === true && source.secret !== undefined;
}

/** `intake:` in the config file. */
export interface IntakeConfig {
  readonly sources: readonly IntakeSource[];
  /** A report nobody picked up after this long nudges the on-call. */
  readonly nudgeAfterMinutes: number;
  /** The same for a priority source's reports. */
  readonly priorityNudgeAfterMinutes: number;
  /** Accepted requests per secret (the shared one, or a source's own) per minute. */
  readonly rateLimitPerMinute: number;
  /** Accepted requests per minute from all senders together. */
  readonly overallRateLimitPerMinute: number;
}

export const DEFAULT_INTAKE: IntakeConfig = {
  sources: [],
  nudgeAfterMinutes: 15,
  priorityNudgeAfterMinutes: 5,
  rateLimitPerMinute: 60,
  overallRateLimitPerMinute: 120,
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
  /** An authority's order the report carries (typed fields, checked on arrival); recorded on the incident it is declared as or merged into. */
  order?: OrderSubmission;
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
  orderDetails: OrderSubmission | null;
}

/** What became of a decided report, with the incident's number when there is one. */
export interface ReportDecision {
  status: Exclude<ReportStatus, 'pending'>;
  by: string;
  incidentNumber?: number;
  /** The incident is private: the triage channel names it "a private incident", never by number. */
  incidentPrivate?: boolean;
  reason?: string;
}

/**
 * What is wrong with the sources' secrets: `errors` stop the start (a source whose secret is not
 * given could never send), `warnings` are said at start (a trusted flagger with no secret of its
 * own is not flagged, since anyone with the shared secret could claim to be it).
 */
export function intakeSecretProblems(config: IntakeConfig, secretNames: readonly string[]): { errors: string[]; warnings: string[] } {
  const errors = config.sources
    .filter((s) => s.secret !== undefined && !secretNames.includes(s.secret))
    .map((s) => `intake.sources: ${s.id} is signed by the secret ${s.secret}, which INTAKE_SOURCE_SECRETS does not give`);
  const warnings = config.sources
    .filter((s) => s.priority && s.secret === undefined)
    .map((s) => `intake.sources: ${s.id} has priority: true but no secret of its own; its reports are not flagged until it has one`);
  return { errors, warnings };
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
