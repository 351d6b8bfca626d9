/**
 * The Meridian config file as the code sees it: camelCase, times and dates parsed, defaults
 * filled in. The file itself is snake_case (see `config/meridian.example.yaml`).
 */
import type { ActionLimits } from '../domain/action-limits.js';
import type { FollowUpsConfig } from '../domain/follow-ups.js';
import type { ContactMethod, NotificationRule } from '../domain/notification-rules.js';
import type { ReportsConfig } from './reports.js';
import type { CrisisProtocol, RegulatoryConfig } from './regulatory.js';
import type { RetentionConfig } from '../domain/retention.js';
import type { ReviewsConfig } from '../domain/review-template.js';
import type { IntakeConfig } from '../domain/intake.js';
import type { IncidentCategory, ResponsePolicy, SeverityPolicy } from '../domain/response-policy.js';
import type { ScheduleDefinition } from '../domain/schedule.js';
import type { OnCallGroup } from '../domain/on-call-groups.js';
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

/** A schedule as the file gives it, with who may change its on-call (`schedules[]`). */
export type ScheduleConfig = ScheduleDefinition & {
  /** Slack user ids who may set any override on this schedule, besides the admins. */
  readonly managers?: readonly string[];
  /** Overrides longer than this need an admin; unset: `oncall.max_override_days`. */
  readonly maxOverrideDays?: number;
  /** `user_group:` on the schedule and on its layers: groups kept equal to who is on call (absent: none). */
  readonly userGroups?: readonly OnCallGroup[];
};

/** How much a private incident shows outside its channel (`privacy`). */
export interface PrivacyConfig {
  /** `inc-<n>-<slug-of-title>` for private channels too; off by default, the name is `inc-<n>`. */
  readonly privateChannelSlug: boolean;
  /** Where "a private incident is still unacknowledged" goes: DMs to the admins (default), or the feed. */
  readonly privateEscalationNotice: 'admins' | 'feed';
}

/** On-call rules across schedules (`oncall`). */
export interface OncallConfig {
  /** Overrides longer than this many days need an admin (default 14). */
  readonly maxOverrideDays: number;
}

/** Responder wellbeing (`wellbeing`). */
export interface WellbeingConfig {
  /** Minutes on sensitive incidents in a local day before a private nudge to hand over (default 120). */
  readonly exposureMinutes: number;
}

/** The whole validated config file: the domain's response rules, the admins and the schedules. */
export interface MeridianConfig extends ResponsePolicy {
  /** Slack user ids who may change any incident besides its commander and declarer. */
  readonly admins: readonly string[];
  /** How many declarations, escalations, reviews and overrides a person (or workspace) may make an hour. */
  readonly limits: ActionLimits;
  /** Reports from outside Slack: sources, nudges, the per-source rate limit (`intake`). */
  readonly intake: IntakeConfig;
  /** Weekly and monthly digests: the channel and when (`reports`); unset: no digests are posted. */
  readonly reports?: ReportsConfig;
  /** Review templates by category, and the working days a review may take (`reviews`); unset: the standard review, due in 5 working days. */
  readonly reviews?: ReviewsConfig;
  readonly schedules: readonly ScheduleConfig[];
  readonly privacy: PrivacyConfig;
  readonly oncall: OncallConfig;
  /** Unset (a config built in code): the defaults. */
  readonly wellbeing?: WellbeingConfig;
  /** Follow-up teams, their Jira projects, reminders (`follow_ups`); unset: no teams, the defaults. */
  readonly followUps?: FollowUpsConfig;
  /** `contacts:` preloaded by an admin, verified; unset (a config built in code): none. */
  readonly contacts?: readonly ContactMethod[];
  /** `notification_rules:` everyone's default; unset: Slack at once, SMS after 1 minute, a call after 3. */
  readonly notificationRules?: readonly NotificationRule[];
  /** Which clocks supply orders' times (`regulatory`); unset: none. */
  readonly regulatory?: RegulatoryConfig;
  /** External crisis protocols (`crisis_protocols`); unset: none. */
  readonly crisisProtocols?: readonly CrisisProtocol[];
  /** Retention, legal holds and redaction (`retention`); unset: keep everything. */
  readonly retention?: RetentionConfig;
}
