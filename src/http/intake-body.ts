import { z } from 'zod';
import { SUMMARY_MAX, TITLE_MAX } from '../domain/declaration.js';
import { SOURCE_ID, type IntakeSubmission } from '../domain/intake.js';
import { SEVERITIES } from '../domain/severity.js';
import { checkOrder, draftOfSubmission, ORDER_FIELDS, type OrderSubmission } from '../domain/orders.js';

/** One bad field of a report, as the sender is told. */
export interface IntakeIssue {
  path: string;
  message: string;
}

/**
 * Postgres cannot store U+0000 in text: without this a report carrying it failed with a 500,
 * which docs/intake.md tells senders to retry, so it was retried forever and never stored.
 */
const NO_NUL = [(s: string) => !s.includes('\u0000'), 'expected text without the NUL character (U+0000)'] as const;

/** The report's JSON (unknown keys are ignored, so senders may add their own). */
function reportSchema(categoryIds: readonly string[]) {
  return z.object({
    external_id: z
      .string({ error: 'expected a string' })
      .trim()
      .min(1, 'expected a non-empty id')
      .max(128, 'expected at most 128 characters')
      .refine(...NO_NUL),
    source: z
      .string({ error: 'expected a string' })
      .regex(SOURCE_ID, 'expected an id of lowercase letters, digits, :, ., - or _ (at most 64), such as regulator-portal'),
    title: z
      .string({ error: 'expected a string' })
      .trim()
      .min(3, 'expected at least 3 characters')
      .max(TITLE_MAX, `expected at most ${TITLE_MAX} characters`)
      .refine(...NO_NUL),
    summary: z
      .string({ error: 'expected a string' })
      .max(SUMMARY_MAX, `expected at most ${SUMMARY_MAX} characters`)
      .refine(...NO_NUL)
      .optional(),
    category: z
      .string({ error: 'expected a string' })
      .refine((c) => categoryIds.includes(c), `expected one of ${categoryIds.join(', ')}`)
      .optional(),
    severity: z.enum(SEVERITIES, { error: `expected one of ${SEVERITIES.join(', ')}` }).optional(),
    deadline: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 instant with a zone, such as 2026-12-24T17:00:00Z' }).optional(),
    reporter: z
      .string({ error: 'expected a string' })
      .max(200, 'expected at most 200 characters')
      .refine(...NO_NUL)
      .optional(),
    links: z
      .array(
        z
          .url({ error: 'expected a URL' })
          .max(2000, 'expected at most 2000 characters')
          .refine(...NO_NUL),
        {
          error: 'expected a list of URLs',
        },
      )
      .max(10, 'expected at most 10 links')
      .optional(),
    order: z
      .partialRecord(
        z.enum(ORDER_FIELDS),
        z
          .string()
          .max(500, 'expected at most 500 characters')
          .refine(...NO_NUL),
        { error: `expected an object of ${ORDER_FIELDS.join(', ')}` },
      )
      .optional(),
  });
}

/** Validates a parsed body: the submission, or every bad field. */
export function parseIntakeReport(
  body: unknown,
  categoryIds: readonly string[],
  now: Date = new Date(),
): { ok: true; report: IntakeSubmission } | { ok: false; issues: IntakeIssue[] } {
  const parsed = reportSchema(categoryIds).safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
    return { ok: false, issues };
  }
  const r = parsed.data;
  if (r.order) {
    const issues = orderIssues(r.order, now);
    if (issues.length) return { ok: false, issues };
  }
  return {
    ok: true,
    report: {
      externalId: r.external_id,
      source: r.source,
      title: r.title,
      links: r.links ?? [],
      ...(r.summary ? { summary: r.summary } : {}),
      ...(r.category ? { category: r.category } : {}),
      ...(r.severity ? { severity: r.severity } : {}),
      ...(r.deadline ? { deadline: new Date(r.deadline) } : {}),
      ...(r.reporter ? { reporter: r.reporter } : {}),
      ...(r.order ? { order: r.order } : {}),
    },
  };
}

const ORDER_TIMES = ['received_at', 'receipt_confirmed_at', 'effect_given_at'] as const;

/** The order's fields as the domain checks them, each issue at `order.<field>`; times must be ISO 8601 instants with a zone. */
function orderIssues(order: OrderSubmission, now: Date): IntakeIssue[] {
  const bad = ORDER_TIMES.filter((f) => order[f] !== undefined && !z.iso.datetime({ offset: true }).safeParse(order[f]).success);
  if (bad.length)
    return bad.map((f) => ({ path: `order.${f}`, message: 'expected an ISO 8601 instant with a zone, such as 2026-05-04T08:50:00Z' }));
  const checked = checkOrder(draftOfSubmission(order), now);
  return checked.ok ? [] : Object.entries(checked.errors).map(([field, message]) => ({ path: `order.${field}`, message: String(message) }));
}
