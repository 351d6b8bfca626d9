/** `reviews:` in the config file: review templates by category, and how long a review may take. */
import { z } from 'zod';
import type { ReviewsConfig } from '../domain/review-template.js';
import { SLACK_USER_ID } from '../domain/slack-user.js';

const template = z
  .strictObject({
    category: z.string().min(1, 'expected a category id'),
    sections: z
      .array(z.string().trim().min(1, 'expected a section title').max(120, 'at most 120 characters'))
      .min(1, 'expected at least one section'),
    /** Who writes the review; unset: the incident's commander. */
    owner: z.string().regex(SLACK_USER_ID, 'expected a Slack user id such as U0123456789').optional(),
  })
  .transform((t) => ({ category: t.category, sections: t.sections, ...(t.owner ? { ownerId: t.owner } : {}) }));

export const reviewsSection = z
  .strictObject({
    due_working_days: z.int('expected a whole number of working days').min(1).max(60).default(5),
    templates: z.array(template).default([]),
  })
  .transform((r): ReviewsConfig => ({ dueWorkingDays: r.due_working_days, templates: r.templates }))
  .optional();
