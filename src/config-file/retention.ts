/**
 * `retention:` (issue 24): how long closed incidents keep their text, the preservation duties
 * that hold them, and who may redact or hold. Unset: keep everything, as before.
 */
import { z } from 'zod';
import type { RetentionConfig } from '../domain/retention.js';
import { SLACK_USER_ID, SLACK_USERGROUP_ID } from '../domain/slack-user.js';

const ID = /^[a-z0-9][a-z0-9_-]*$/;
const days = z.number().int('expected a whole number of days').positive('expected a number of days above 0');
/** A person or a Slack user group: `U0…`, `S0…`, or `{ user: U0… }` / `{ usergroup: S0… }` as elsewhere in the config. */
const personOrGroup = z.union([
  z
    .string()
    .refine((v) => SLACK_USER_ID.test(v) || SLACK_USERGROUP_ID.test(v), 'expected a Slack user id (U... or W...) or user group id (S...)'),
  z.strictObject({ user: z.string().regex(SLACK_USER_ID, 'expected a Slack user id (U... or W...)') }).transform((o) => o.user),
  z
    .strictObject({ usergroup: z.string().regex(SLACK_USERGROUP_ID, 'expected a Slack user group id (S...)') })
    .transform((o) => o.usergroup),
]);

const duty = z.strictObject({
  deadline: z.string().regex(ID, 'expected a deadline id'),
  days,
  source: z.string().min(1, 'expected the law that imposes the duty'),
});

export const retentionSection = z
  .strictObject({
    default_days: days.nullable().default(null),
    categories: z.record(z.string().regex(ID, 'expected a category id'), days).default({}),
    holds: z.array(duty).default([]),
    may_redact: z.array(personOrGroup).default([]),
    may_hold: z.array(personOrGroup).default([]),
  })
  .optional()
  .transform(
    (r): RetentionConfig | undefined =>
      r && {
        defaultDays: r.default_days,
        categories: r.categories,
        holds: r.holds.map((h) => ({ deadlineId: h.deadline, days: h.days, source: h.source })),
        mayRedact: r.may_redact,
        mayHold: r.may_hold,
      },
  );

type Raw = Record<string, unknown>;
const record = (v: unknown): Raw | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);
const refsOf = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

/**
 * A retention shorter than a preservation duty that the category's own clocks (or an intake
 * source's) start would purge what the law says to keep: each such case is an issue at the
 * retention path, naming the law.
 */
export function retentionIssues(root: Raw): Array<{ path: string; message: string }> {
  const retention = record(root.retention);
  if (!retention) return [];
  const duties = Array.isArray(retention.holds) ? retention.holds.map(record).filter((d): d is Raw => d !== undefined) : [];
  const perCategory = record(retention.categories) ?? {};
  const categories = Array.isArray(root.categories) ? root.categories.map(record) : [];
  const knownCategories = new Set(categories.map((c) => c?.id).filter((x) => typeof x === 'string'));
  const issues: Array<{ path: string; message: string }> = [];
  if (Array.isArray(root.categories))
    for (const id of Object.keys(perCategory))
      if (!knownCategories.has(id)) issues.push({ path: `retention.categories.${id}`, message: `unknown category "${id}"` });
  const starts: Array<{ category: string; deadline: string }> = [];
  for (const c of categories)
    if (typeof c?.id === 'string') for (const d of refsOf(c.deadline)) starts.push({ category: c.id, deadline: d });
  const sources = record(root.intake)?.sources;
  for (const s of Array.isArray(sources) ? sources.map(record) : [])
    if (typeof s?.category === 'string') for (const d of refsOf(s.deadline)) starts.push({ category: s.category, deadline: d });
  const seen = new Set<string>();
  for (const { category, deadline } of starts) {
    const own = perCategory[category];
    const kept = typeof own === 'number' ? own : retention.default_days;
    if (typeof kept !== 'number') continue;
    for (const d of duties) {
      if (d.deadline !== deadline || typeof d.days !== 'number' || d.days <= kept) continue;
      const path = typeof own === 'number' ? `retention.categories.${category}` : 'retention.default_days';
      const key = `${path}|${deadline}`;
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push({
        path,
        message: `keeps "${category}" incidents' text ${kept} days, shorter than the ${d.days} days ${String(d.source)} requires after a "${deadline}" clock`,
      });
    }
  }
  return issues;
}
