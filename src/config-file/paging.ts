/** `contacts:` (admin-preloaded, verified) and `notification_rules:` (everyone's default) in the config file. */
import { z } from 'zod';
import {
  type ContactMethod,
  DEFAULT_NOTIFICATION_RULES,
  NOTIFY_METHODS,
  type NotificationRule,
  normaliseEmail,
  normalisePhone,
} from '../domain/notification-rules.js';
import { SLACK_USER_ID } from '../domain/slack-user.js';

const phone = z.string().transform((typed, ctx) => {
  const parsed = normalisePhone(typed);
  if (parsed.ok) return parsed.e164;
  ctx.addIssue({ code: 'custom', message: parsed.problem });
  return z.NEVER;
});
const email = z.string().transform((typed, ctx) => {
  const parsed = normaliseEmail(typed);
  if (parsed.ok) return parsed.address;
  ctx.addIssue({ code: 'custom', message: parsed.problem });
  return z.NEVER;
});

export const contactsSection = z
  .array(
    z.strictObject({
      user: z.string().regex(SLACK_USER_ID, 'expected a Slack user id such as U0123456789'),
      sms: phone.optional(),
      voice: phone.optional(),
      email: email.optional(),
    }),
  )
  .default([])
  .transform((people): ContactMethod[] =>
    people.flatMap((p) =>
      (['sms', 'voice', 'email'] as const).flatMap((kind) => (p[kind] ? [{ userId: p.user, kind, address: p[kind] }] : [])),
    ),
  );

export const notificationRulesSection = z
  .array(
    z.strictObject({
      after_minutes: z.number().min(0, 'expected minutes, 0 or more'),
      method: z.enum(NOTIFY_METHODS, { error: `expected one of ${NOTIFY_METHODS.join(', ')}` }),
    }),
  )
  .optional()
  .transform((rules): readonly NotificationRule[] =>
    rules ? rules.map((r) => ({ afterMinutes: r.after_minutes, method: r.method })) : DEFAULT_NOTIFICATION_RULES,
  );
