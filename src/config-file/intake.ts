/** `intake:` in the config file: who sends reports, their defaults, and when a waiting report nudges. */
import { z } from 'zod';
import { DEFAULT_INTAKE, SOURCE_ID, type IntakeConfig } from '../domain/intake.js';
import { SEVERITIES } from '../domain/severity.js';

const SOURCE_MESSAGE = 'expected an id of lowercase letters, digits, :, ., - or _ (at most 64)';
const ID = /^[a-z0-9][a-z0-9_-]*$/;
const minutes = z.number().positive('expected a number of minutes above 0');

const source = z
  .strictObject({
    id: z.string({ error: SOURCE_MESSAGE }).regex(SOURCE_ID, SOURCE_MESSAGE),
    name: z.string().min(1, 'expected a non-empty name').optional(),
    category: z.string().regex(ID, 'expected a category id').optional(),
    severity: z.enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` }).optional(),
    deadline: z.string().regex(ID, 'expected a deadline id').optional(),
    priority: z.boolean().default(false),
    secret: z.string().regex(ID, 'expected the name of a secret in INTAKE_SOURCE_SECRETS, such as safety-ngo').optional(),
  })
  .transform((s) => ({ ...s, name: s.name ?? s.id }));

/**
 * `pending_nudge_minutes` is the agreed key (examples/meridian.yaml); `nudge_after_minutes` is
 * read as the same setting.
 */
export const intakeSection = z
  .strictObject({
    sources: z.array(source).default([]),
    pending_nudge_minutes: minutes.optional(),
    nudge_after_minutes: minutes.optional(),
    priority_nudge_after_minutes: minutes.optional(),
    rate_limit_per_minute: z.int('expected a whole number').min(1, 'expected at least 1').optional(),
    overall_rate_limit_per_minute: z.int('expected a whole number').min(1, 'expected at least 1').optional(),
  })
  .transform(
    (i): IntakeConfig => ({
      sources: i.sources,
      nudgeAfterMinutes: i.nudge_after_minutes ?? i.pending_nudge_minutes ?? DEFAULT_INTAKE.nudgeAfterMinutes,
      priorityNudgeAfterMinutes: i.priority_nudge_after_minutes ?? DEFAULT_INTAKE.priorityNudgeAfterMinutes,
      rateLimitPerMinute: i.rate_limit_per_minute ?? DEFAULT_INTAKE.rateLimitPerMinute,
      overallRateLimitPerMinute: i.overall_rate_limit_per_minute ?? DEFAULT_INTAKE.overallRateLimitPerMinute,
    }),
  )
  .default(DEFAULT_INTAKE);
