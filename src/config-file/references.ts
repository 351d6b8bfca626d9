/**
 * Checks the schema cannot see field by field: ids are unique, and every id a policy, severity
 * or category mentions exists. It reads the raw parsed file, skipping whatever has the wrong
 * shape (the schema reports that), so both kinds of error come out in one run.
 */

/** A config error: the exact path in the file and what is wrong there. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

import { deadlineReferenceIssues } from './deadlines.js';
import { DEFAULT_CATEGORIES } from './defaults.js';
import { retentionIssues } from './retention.js';

type Raw = Record<string, unknown>;

function asRecord(value: unknown): Raw | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringAt(value: unknown, key: string): string | undefined {
  const field = asRecord(value)?.[key];
  return typeof field === 'string' ? field : undefined;
}

/** Reports repeats of `key` among `items`; returns the set of values seen. */
function uniqueValues(items: unknown[], key: string, path: string, what: string, issues: ConfigIssue[]): Set<string> {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const value = stringAt(item, key);
    if (value === undefined) return;
    if (seen.has(value)) issues.push({ path: `${path}[${index}].${key}`, message: `duplicate ${what} "${value}"` });
    seen.add(value);
  });
  return seen;
}

function checkReference(known: Set<string>, holder: unknown, key: string, path: string, what: string, issues: ConfigIssue[]): void {
  const value = stringAt(holder, key);
  if (value !== undefined && !known.has(value)) {
    issues.push({ path: `${path}.${key}`, message: `unknown ${what} "${value}"` });
  }
}

/** Duplicate ids and dangling references in a raw (parsed but unvalidated) config file. */
export function referenceIssues(file: unknown): ConfigIssue[] {
  const root = asRecord(file);
  if (!root) return [];
  const issues: ConfigIssue[] = [];
  const schedules = asArray(root.schedules);
  const policies = asArray(root.escalation_policies);
  const scheduleIds = uniqueValues(schedules, 'id', 'schedules', 'schedule id', issues);
  const policyIds = uniqueValues(policies, 'id', 'escalation_policies', 'escalation policy id', issues);
  uniqueValues(asArray(root.categories), 'id', 'categories', 'category id', issues);
  schedules.forEach((schedule, index) => {
    uniqueValues(asArray(asRecord(schedule)?.layers), 'name', `schedules[${index}].layers`, 'layer name', issues);
  });
  policies.forEach((policy, policyIndex) => {
    asArray(asRecord(policy)?.steps).forEach((step, stepIndex) => {
      asArray(asRecord(step)?.notify).forEach((target, targetIndex) => {
        const path = `escalation_policies[${policyIndex}].steps[${stepIndex}].notify[${targetIndex}]`;
        checkReference(scheduleIds, target, 'schedule', path, 'schedule', issues);
      });
    });
  });
  const severities = asRecord(root.severities) ?? {};
  for (const [key, severity] of Object.entries(severities)) {
    checkReference(policyIds, severity, 'policy', `severities.${key}`, 'escalation policy', issues);
  }
  asArray(root.categories).forEach((category, index) => {
    checkReference(policyIds, category, 'policy', `categories[${index}]`, 'escalation policy', issues);
  });
  issues.push(...deadlineReferenceIssues(root));
  issues.push(...intakeSourceIssues(root));
  issues.push(...retentionIssues(root));
  return issues;
}

/** `intake.sources[]`: each `category` names a category (the built-in ones when the file lists none), each `deadline` a `deadlines:` kind. */
function intakeSourceIssues(root: Raw): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const categories = Array.isArray(root.categories) ? root.categories : DEFAULT_CATEGORIES;
  const categoryIds = new Set(categories.map((c) => stringAt(c, 'id')).filter((id): id is string => id !== undefined));
  const deadlineIds = new Set(
    asArray(root.deadlines)
      .map((d) => stringAt(d, 'id'))
      .filter((id): id is string => id !== undefined),
  );
  asArray(asRecord(root.intake)?.sources).forEach((source, index) => {
    checkReference(categoryIds, source, 'category', `intake.sources[${index}]`, 'category', issues);
    checkReference(deadlineIds, source, 'deadline', `intake.sources[${index}]`, 'deadline', issues);
  });
  // `reviews.templates[]`: each names a category, once.
  const templates = asArray(asRecord(root.reviews)?.templates);
  templates.forEach((template, index) => {
    checkReference(categoryIds, template, 'category', `reviews.templates[${index}]`, 'category', issues);
  });
  uniqueValues(templates, 'category', 'reviews.templates', 'review template category', issues);
  return issues;
}
