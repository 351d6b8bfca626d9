/** `reports:` in the config file: where digests go and when (a local weekday or day of the month, a wall time, a zone). */
import { z } from 'zod';
import type { MonthlyDigestRule, WeeklyDigestRule } from '../domain/digest-period.js';
import { isConfigTimeZone, type LocalTime, WEEKDAYS } from '../domain/local-time.js';
import { SLACK_CHANNEL_ID } from '../domain/slack-user.js';

/** Digests: posted in `channelId`; a cadence left out is not posted. */
export interface ReportsConfig {
  readonly channelId: string;
  readonly weekly?: WeeklyDigestRule;
  readonly monthly?: MonthlyDigestRule;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const at = z
  .string({ error: 'expected HH:MM' })
  .regex(HH_MM, 'expected HH:MM')
  .transform((value): LocalTime => ({ hour: Number(value.slice(0, 2)), minute: Number(value.slice(3, 5)) }));
const timezone = z
  .string({ error: 'expected an IANA time zone such as Europe/Dublin' })
  .refine(isConfigTimeZone, 'expected an IANA time zone such as Europe/Dublin');

export const reportsSection = z
  .strictObject({
    channel: z.string().regex(SLACK_CHANNEL_ID, 'expected a Slack channel id such as C0123456789'),
    weekly: z
      .strictObject({ day: z.enum(WEEKDAYS, { error: `expected one of ${WEEKDAYS.join(', ')}` }), at, timezone })
      .transform((w): WeeklyDigestRule => ({ day: w.day, at: w.at, timeZone: w.timezone }))
      .optional(),
    monthly: z
      // 1-28: every month has the day, so no month is skipped.
      .strictObject({ day: z.int('expected a day 1-28').min(1, 'expected a day 1-28').max(28, 'expected a day 1-28'), at, timezone })
      .transform((m): MonthlyDigestRule => ({ day: m.day, at: m.at, timeZone: m.timezone }))
      .optional(),
  })
  .transform(
    (r): ReportsConfig => ({
      channelId: r.channel,
      ...(r.weekly ? { weekly: r.weekly } : {}),
      ...(r.monthly ? { monthly: r.monthly } : {}),
    }),
  )
  .optional();
