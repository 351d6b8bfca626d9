/**
 * Reviews by kind of incident: the config's templates (`reviews:`), the review's due date and
 * its status. A regulator order asks whether each deadline was met; a child-safety case about the
 * policy and enforcement gaps and the responders' exposure; categories without a template get the
 * standard review alone.
 */
import { addLocalDays, localDateTimeOf, weekdayOfLocalDate, zonedLocalToUtc } from './local-time.js';

export interface ReviewTemplate {
  readonly category: string;
  /** Required sections, in order, each a heading the review owner answers under. */
  readonly sections: readonly string[];
  /** Who writes the review; unset: the incident's commander. */
  readonly ownerId?: string;
}

export interface ReviewsConfig {
  /** Working days (Monday to Friday) after resolution the review is due, in the owner's zone. */
  readonly dueWorkingDays: number;
  readonly templates: readonly ReviewTemplate[];
}

export const DEFAULT_REVIEWS: ReviewsConfig = { dueWorkingDays: 5, templates: [] };

export const REVIEW_STATUSES = ['draft', 'in-review', 'published'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export function isReviewStatus(value: string): value is ReviewStatus {
  return (REVIEW_STATUSES as readonly string[]).includes(value);
}

export const REVIEW_STATUS_LABEL: Readonly<Record<ReviewStatus, string>> = {
  draft: 'Draft',
  'in-review': 'In review',
  published: 'Published',
};

/** The category's template, if the config has one. */
export function reviewTemplateFor(config: ReviewsConfig | undefined, category: string): ReviewTemplate | undefined {
  return config?.templates.find((t) => t.category === category);
}

/**
 * When a review is due: the same wall-clock time, `workingDays` working days (Monday to Friday)
 * after resolution, in the owner's zone. Resolved on a Friday evening with 5 days: the next Friday.
 */
export function reviewDueAt(resolvedAt: Date, timeZone: string, workingDays: number): Date {
  const local = localDateTimeOf(resolvedAt, timeZone);
  let date = { year: local.year, month: local.month, day: local.day };
  let left = workingDays;
  while (left > 0) {
    date = addLocalDays(date, 1);
    const weekday = weekdayOfLocalDate(date);
    if (weekday !== 'sat' && weekday !== 'sun') left -= 1;
  }
  return zonedLocalToUtc(date, { hour: local.hour, minute: local.minute }, timeZone);
}

/** Whether a template section is answered from the record's deadlines (its clocks), or its follow-ups. */
export function sectionFact(title: string): 'deadlines' | 'follow-ups' | null {
  const t = title.toLowerCase();
  if (/deadline|clock/.test(t)) return 'deadlines';
  if (/follow[- ]?ups?/.test(t)) return 'follow-ups';
  return null;
}
