/**
 * The zod schema of the Meridian config file. It reads the snake_case file and outputs the
 * camelCase {@link MeridianConfig}: times and dates parsed, people as {@link MemberRef}s,
 * defaults filled in. Objects are strict, so a misspelt key is an error, not a silent no-op.
 */
import { z } from 'zod';
import { isConfigTimeZone, WEEKDAYS, type LocalDate, type LocalTime } from '../domain/local-time.js';
import { type ActionLimits, DEFAULT_ACTION_LIMITS } from '../domain/action-limits.js';
import type { MemberRef, RotationPeriod } from '../domain/schedule.js';
import type { OnCallGroup } from '../domain/on-call-groups.js';
import { SLACK_USER_ID, SLACK_USERGROUP_ID, USERGROUP_HANDLE } from '../domain/slack-user.js';
import { intakeSection } from './intake.js';
import { contactsSection, notificationRulesSection } from './paging.js';
import { reportsSection } from './reports.js';
import { followUpsSection } from './follow-ups.js';
import { crisisProtocolsSection, regulatorySection } from './regulatory.js';
import { retentionSection } from './retention.js';
import { reviewsSection } from './reviews.js';
import { deadlineKindSchema, deadlineRefs } from './deadlines.js';
import { DEFAULT_CATEGORIES, DEFAULT_ONCALL, DEFAULT_PRIVACY, DEFAULT_RUNBOOKS, DEFAULT_SEVERITIES } from './defaults.js';
import {
  SEVERITY_IDS,
  type EscalationTarget,
  type MeridianConfig,
  type OncallConfig,
  type PrivacyConfig,
  type SeverityConfig,
  type SeverityId,
  type StakeholderTarget,
} from './types.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const YYYY_MM_DD = /^(\d{4})-(\d{2})-(\d{2})$/;
const EVERY = /^\s*(\d+)\s*(day|days|week|weeks)\s*$/;
// Intl also accepts offsets such as "+01:00"; those have no daylight-saving rules, so
// isConfigTimeZone insists on names (the same rule as reports' zones).
const ID = /^[a-z0-9][a-z0-9_-]*$/;

const MESSAGES = {
  userId: 'expected a Slack user id (U... or W...)',
  member: 'expected a Slack user id (U... or W...) or an e-mail',
  usergroup: 'expected a Slack user group id (S...)',
  usergroupName: "expected the user group's handle without the @ (lower-case letters, digits, '.', '_' or '-')",
  time: 'expected HH:MM',
  date: 'expected YYYY-MM-DD',
  every: 'expected "N day(s)" or "N week(s)" with N at least 1',
  timeZone: 'expected an IANA time zone such as Europe/Dublin',
  instant: 'expected an ISO 8601 instant with a zone, such as 2026-12-24T17:00:00Z',
  id: 'expected an id of lowercase letters, digits, - or _',
  weekday: `expected one of ${WEEKDAYS.join(', ')}`,
} as const;

const id = z.string({ error: MESSAGES.id }).regex(ID, MESSAGES.id);
const name = z.string().min(1, 'expected a non-empty name');
const slackUserId = z.string({ error: MESSAGES.userId }).regex(SLACK_USER_ID, MESSAGES.userId);

const memberRef = z
  .string({ error: MESSAGES.member })
  .refine((value) => SLACK_USER_ID.test(value) || EMAIL.test(value), MESSAGES.member)
  .transform((value): MemberRef => (SLACK_USER_ID.test(value) ? { kind: 'user', userId: value } : { kind: 'email', email: value }));

const localTime = z
  .string({ error: MESSAGES.time })
  .regex(HH_MM, MESSAGES.time)
  .transform((value): LocalTime => ({ hour: Number(value.slice(0, 2)), minute: Number(value.slice(3, 5)) }));

function toLocalDate(value: string): LocalDate {
  const [, year, month, day] = YYYY_MM_DD.exec(value) ?? [];
  return { year: Number(year), month: Number(month), day: Number(day) };
}

function isCalendarDate(value: string): boolean {
  const date = toLocalDate(value);
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  return check.getUTCFullYear() === date.year && check.getUTCMonth() === date.month - 1 && check.getUTCDate() === date.day;
}

const localDate = z
  .string({ error: MESSAGES.date })
  .regex(YYYY_MM_DD, MESSAGES.date)
  .refine(isCalendarDate, MESSAGES.date)
  .transform(toLocalDate);

const every = z
  .string({ error: MESSAGES.every })
  .refine((value) => Number(EVERY.exec(value)?.[1] ?? 0) >= 1, MESSAGES.every)
  .transform((value): RotationPeriod => {
    const [, count, unit] = EVERY.exec(value) ?? [];
    return { count: Number(count), unit: unit?.startsWith('week') ? 'week' : 'day' };
  });

const timeZone = z.string({ error: MESSAGES.timeZone }).refine(isConfigTimeZone, MESSAGES.timeZone);

const instant = z.iso.datetime({ offset: true, error: MESSAGES.instant }).transform((value) => new Date(value));

/** `user_group:` the Slack user group kept equal to who is on call (a schedule's, or one hub's). */
const onCallGroupId = z.string({ error: MESSAGES.usergroup }).regex(SLACK_USERGROUP_ID, MESSAGES.usergroup);

const layer = z
  .strictObject({
    name,
    timezone: timeZone,
    coverage: z.strictObject({
      days: z.array(z.enum(WEEKDAYS, { error: MESSAGES.weekday })).min(1, 'expected at least one day'),
      from: localTime,
      to: localTime,
    }),
    rotation: z.strictObject({
      members: z.array(memberRef).min(1, 'expected at least one member'),
      every,
      handoff: localTime,
      starts: localDate,
    }),
    user_group: onCallGroupId.optional(),
  })
  .transform(({ timezone, user_group, ...rest }) => ({
    ...rest,
    timeZone: timezone,
    ...(user_group === undefined ? {} : { userGroup: user_group }),
  }));

const override = z
  .strictObject({ user: memberRef, from: instant, to: instant })
  // Runs even when `from` or `to` failed (zod 4 keeps checking); compare only real instants.
  .refine((value) => !(value.from instanceof Date && value.to instanceof Date) || value.from < value.to, {
    message: 'expected to be after from',
    path: ['to'],
  });

const schedule = z
  .strictObject({
    id,
    name: name.optional(),
    layers: z.array(layer).min(1, 'expected at least one layer'),
    overrides: z.array(override).default([]),
    managers: z.array(slackUserId).default([]),
    max_override_days: z.number().positive('expected a number of days above 0').optional(),
    user_group: onCallGroupId.optional(),
  })
  .transform(({ max_override_days, user_group, layers, ...value }) => ({
    ...value,
    // The groups leave the layers: the rotation maths (and the database's copy) never sees them.
    layers: layers.map(({ userGroup: _group, ...l }) => l),
    userGroups: onCallGroupsOf(value.id, user_group, layers),
    name: value.name ?? value.id,
    ...(max_override_days === undefined ? {} : { maxOverrideDays: max_override_days }),
  }));

function onCallGroupsOf(
  scheduleId: string,
  scheduleGroup: string | undefined,
  layers: ReadonlyArray<{ name: string; userGroup?: string }>,
): OnCallGroup[] {
  const groups: OnCallGroup[] = scheduleGroup === undefined ? [] : [{ scheduleId, layerName: null, groupId: scheduleGroup }];
  for (const l of layers) if (l.userGroup !== undefined) groups.push({ scheduleId, layerName: l.name, groupId: l.userGroup });
  return groups;
}

const privacy = z
  .strictObject({
    private_channel_slug: z.boolean().default(DEFAULT_PRIVACY.privateChannelSlug),
    private_escalation_notice: z
      .enum(['admins', 'feed'], { error: 'expected admins or feed' })
      .default(DEFAULT_PRIVACY.privateEscalationNotice),
  })
  .transform(
    (value): PrivacyConfig => ({
      privateChannelSlug: value.private_channel_slug,
      privateEscalationNotice: value.private_escalation_notice,
    }),
  )
  .default(DEFAULT_PRIVACY);

const oncall = z
  .strictObject({
    max_override_days: z.number().positive('expected a number of days above 0').default(DEFAULT_ONCALL.maxOverrideDays),
  })
  .transform((value): OncallConfig => ({ maxOverrideDays: value.max_override_days }))
  .default(DEFAULT_ONCALL);

const target = z
  .strictObject({
    schedule: id.optional(),
    user: memberRef.optional(),
    usergroup: z.string({ error: MESSAGES.usergroup }).regex(SLACK_USERGROUP_ID, MESSAGES.usergroup).optional(),
    // The group's handle, so the channel's page line can name it without notifying it again.
    name: z.string({ error: MESSAGES.usergroupName }).regex(USERGROUP_HANDLE, MESSAGES.usergroupName).optional(),
  })
  .refine(
    (value) => [value.schedule, value.user, value.usergroup].filter((v) => v !== undefined).length === 1,
    'expected exactly one of schedule, user, usergroup',
  )
  .refine((value) => value.name === undefined || value.usergroup !== undefined, {
    path: ['name'],
    message: 'name is the handle of a usergroup target; give it only with usergroup',
  })
  .transform((value): EscalationTarget => {
    if (value.schedule !== undefined) return { kind: 'schedule', scheduleId: value.schedule };
    if (value.user !== undefined) return { kind: 'user', user: value.user };
    const named = value.name === undefined ? {} : { name: value.name };
    return { kind: 'usergroup', usergroupId: value.usergroup as string, ...named };
  });

/** `invite` entries: a user or a user group (never a schedule: stakeholders are not on call). */
const stakeholder = z
  .strictObject({
    user: memberRef.optional(),
    usergroup: z.string({ error: MESSAGES.usergroup }).regex(SLACK_USERGROUP_ID, MESSAGES.usergroup).optional(),
  })
  .refine((value) => (value.user === undefined) !== (value.usergroup === undefined), 'expected exactly one of user, usergroup')
  .transform(
    (value): StakeholderTarget =>
      value.user !== undefined ? { kind: 'user', user: value.user } : { kind: 'usergroup', usergroupId: value.usergroup as string },
  );

const policy = z
  .strictObject({
    id,
    name: name.optional(),
    steps: z
      .array(
        z
          .strictObject({
            notify: z.array(target).min(1, 'expected at least one target'),
            wait_minutes: z.number().nonnegative('expected a number of minutes, 0 or more'),
          })
          .transform((step) => ({ targets: step.notify, waitMinutes: step.wait_minutes })),
      )
      .min(1, 'expected at least one step'),
    repeat: z.int('expected a whole number, 0 or more').nonnegative('expected a whole number, 0 or more').default(0),
  })
  .transform((value) => ({ ...value, name: value.name ?? value.id }));

const severity = z.strictObject({
  label: name.optional(),
  policy: id.nullable().optional(),
  update_every_minutes: z.number().positive('expected a number of minutes above 0').nullable().optional(),
  invite: z.array(stakeholder).optional(),
});

const severities = z
  .strictObject({ sev1: severity.optional(), sev2: severity.optional(), sev3: severity.optional(), sev4: severity.optional() })
  .optional()
  .transform((given): MeridianConfig['severities'] => {
    const withDefaults = (key: SeverityId): SeverityConfig => {
      const base = DEFAULT_SEVERITIES[key];
      const entry = given?.[key];
      return {
        label: entry?.label ?? base.label,
        policyId: entry?.policy === undefined ? base.policyId : entry.policy,
        updateEveryMinutes: entry?.update_every_minutes === undefined ? base.updateEveryMinutes : entry.update_every_minutes,
        invite: entry?.invite ?? base.invite,
      };
    };
    return { sev1: withDefaults('sev1'), sev2: withDefaults('sev2'), sev3: withDefaults('sev3'), sev4: withDefaults('sev4') };
  });

const category = z
  .strictObject({
    id,
    name,
    default_severity: z.enum(SEVERITY_IDS, { error: `expected one of ${SEVERITY_IDS.join(', ')}` }).default('sev3'),
    policy: id.nullable().optional(),
    private: z.boolean().default(false),
    sensitive: z.boolean().default(false),
    invite: z.array(stakeholder).default([]),
    deadline: deadlineRefs,
    /** Absent: the shipped checklist for this id, if there is one (DEFAULT_RUNBOOKS); `[]` for none. */
    runbook: z.array(z.string().trim().min(1, 'expected a step')).max(50).optional(),
  })
  .transform((value) => ({
    id: value.id,
    name: value.name,
    defaultSeverity: value.default_severity,
    policyId: value.policy ?? null,
    private: value.private,
    sensitive: value.sensitive,
    invite: value.invite,
    ...(value.deadline.length ? { deadlineIds: value.deadline } : {}),
    ...runbookOf(value.id, value.runbook),
  }));

function runbookOf(categoryId: string, steps: string[] | undefined): { runbook?: readonly string[] } {
  const runbook = steps ?? DEFAULT_RUNBOOKS[categoryId];
  return runbook?.length ? { runbook } : {};
}

/** `limits:` per hour; each key falls back to its default. */
const perHour = z.number().int().min(1);
const d = DEFAULT_ACTION_LIMITS;
const limits = z
  .strictObject({
    declarations_per_user_per_hour: perHour.default(d.declare.perUserPerHour),
    declarations_per_team_per_hour: perHour.default(d.declare.perTeamPerHour ?? 60),
    escalations_per_user_per_hour: perHour.default(d.escalate.perUserPerHour),
    reviews_per_user_per_hour: perHour.default(d.review.perUserPerHour),
    overrides_per_user_per_hour: perHour.default(d.override.perUserPerHour),
  })
  .transform(
    (l): ActionLimits => ({
      declare: { perUserPerHour: l.declarations_per_user_per_hour, perTeamPerHour: l.declarations_per_team_per_hour },
      escalate: { perUserPerHour: l.escalations_per_user_per_hour, perTeamPerHour: null },
      review: { perUserPerHour: l.reviews_per_user_per_hour, perTeamPerHour: null },
      override: { perUserPerHour: l.overrides_per_user_per_hour, perTeamPerHour: null },
    }),
  );

/** `wellbeing:` time on sensitive incidents before a private nudge to hand over (fractions of a minute allowed, for tests). */
const wellbeing = z
  .strictObject({ exposure_minutes: z.number().positive('expected a number of minutes above 0').default(120) })
  .default({ exposure_minutes: 120 })
  .transform((w) => ({ exposureMinutes: w.exposure_minutes }));

/** The whole file. Cross-references (ids that must exist, unique ids) are checked in `references.ts`. */
export const meridianConfigFileSchema = z
  .strictObject({
    admins: z.array(slackUserId).default([]),
    limits: limits.optional().transform((given) => given ?? DEFAULT_ACTION_LIMITS),
    schedules: z.array(schedule).default([]),
    escalation_policies: z.array(policy).default([]),
    deadlines: z.array(deadlineKindSchema(target)).default([]),
    severities,
    categories: z
      .array(category)
      .optional()
      .transform((given) => given ?? [...DEFAULT_CATEGORIES]),
    intake: intakeSection,
    reports: reportsSection,
    reviews: reviewsSection,
    privacy,
    oncall,
    wellbeing,
    follow_ups: followUpsSection,
    contacts: contactsSection,
    notification_rules: notificationRulesSection,
    regulatory: regulatorySection,
    crisis_protocols: crisisProtocolsSection,
    retention: retentionSection,
  })
  .transform(
    (file): MeridianConfig => ({
      admins: file.admins,
      limits: file.limits,
      schedules: file.schedules,
      escalationPolicies: file.escalation_policies,
      deadlines: file.deadlines,
      severities: file.severities,
      categories: file.categories,
      intake: file.intake,
      ...(file.reports ? { reports: file.reports } : {}),
      ...(file.reviews ? { reviews: file.reviews } : {}),
      privacy: file.privacy,
      oncall: file.oncall,
      wellbeing: file.wellbeing,
      ...(file.follow_ups ? { followUps: file.follow_ups } : {}),
      contacts: file.contacts,
      notificationRules: file.notification_rules,
      regulatory: file.regulatory,
      crisisProtocols: file.crisis_protocols,
      ...(file.retention ? { retention: file.retention } : {}),
    }),
  );

export type { EscalationTarget, MeridianConfig } from './types.js';
