/**
 * `deadlines:`: the catalog of response clock kinds. Entries that share an id are versions of
 * one kind, told apart by `effective_from`; a clock uses the version in force when it starts.
 */
import { z } from 'zod';
import type { DeadlineKind } from '../domain/clocks.js';
import type { EscalationTarget } from '../domain/response-policy.js';

const YYYY_MM_DD = /^(\d{4})-(\d{2})-(\d{2})$/;
const ID = /^[a-z0-9][a-z0-9_-]*$/;

const effectiveFrom = z
  .string({ error: 'expected YYYY-MM-DD' })
  .regex(YYYY_MM_DD, 'expected YYYY-MM-DD')
  .refine((value) => new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'expected YYYY-MM-DD')
  // The start of that day in UTC: regulators' "in force from" dates are read at UTC midnight.
  .transform((value) => new Date(`${value}T00:00:00Z`));

const minutes = z.number().positive('expected a number of minutes above 0');

/** One entry of `deadlines:`; `target` is the escalation target schema of the file. */
export function deadlineKindSchema(target: z.ZodType<EscalationTarget, unknown>) {
  return z
    .strictObject({
      id: z
        .string({ error: 'expected an id of lowercase letters, digits, - or _' })
        .regex(ID, 'expected an id of lowercase letters, digits, - or _'),
      name: z.string().min(1, 'expected a non-empty name'),
      within_minutes: minutes,
      remind_before_minutes: z.array(minutes).optional(),
      escalate_to: z.array(target).default([]),
      source: z.string().min(1, 'expected where the deadline comes from (law and article, contract)'),
      task: z.string().default(''),
      effective_from: effectiveFrom.optional(),
      /** The law gives no hours ("without undue delay"): `within_minutes` is the organisation's target. */
      internal_target: z.boolean().default(false),
    })
    .transform(
      (value): DeadlineKind => ({
        id: value.id,
        name: value.name,
        withinMinutes: value.within_minutes,
        remindBeforeMinutes: value.remind_before_minutes ?? null,
        escalateTo: value.escalate_to,
        source: value.source,
        task: value.task,
        effectiveFrom: value.effective_from ?? null,
        internalTarget: value.internal_target,
      }),
    );
}

/** `deadline:` on a category (or an intake source): one kind id or a list of them. */
export const deadlineRefs = z
  .union([z.string().regex(ID, 'expected a deadline id'), z.array(z.string().regex(ID, 'expected a deadline id'))])
  .optional()
  .transform((value): string[] => (value === undefined ? [] : typeof value === 'string' ? [value] : value));

/** Issues the schema cannot see: a category naming a deadline the catalog lacks; two versions on one date. */
export function deadlineReferenceIssues(root: Record<string, unknown>): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  const deadlines = Array.isArray(root.deadlines) ? root.deadlines : [];
  const seen = new Set<string>();
  const ids = new Set<string>();
  deadlines.forEach((entry, index) => {
    if (typeof entry !== 'object' || entry === null) return;
    const { id, effective_from } = entry as Record<string, unknown>;
    if (typeof id !== 'string') return;
    ids.add(id);
    const version = `${id}@${typeof effective_from === 'string' ? effective_from : ''}`;
    if (seen.has(version))
      issues.push({ path: `deadlines[${index}].effective_from`, message: `two versions of deadline "${id}" from the same date` });
    seen.add(version);
  });
  const categories = Array.isArray(root.categories) ? root.categories : [];
  categories.forEach((category, index) => {
    const ref = typeof category === 'object' && category !== null ? (category as Record<string, unknown>).deadline : undefined;
    const refs = typeof ref === 'string' ? [ref] : Array.isArray(ref) ? ref : [];
    refs.forEach((value) => {
      if (typeof value === 'string' && !ids.has(value))
        issues.push({ path: `categories[${index}].deadline`, message: `unknown deadline "${value}"` });
    });
  });
  return issues;
}
