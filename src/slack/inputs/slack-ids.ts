/** Ids that come back from Slack (button values, private_metadata), checked before any database sees them. Pure. */
import { z } from 'zod';
import { NotFound } from '../../errors.js';
import { parseRedactTarget, type RedactTarget } from '../../domain/retention.js';
import { NOT_AVAILABLE_TEXT } from '../../services/incident-access.js';

const rowId = z.string().uuid();

/**
 * `value` when it is one of our row ids (incidents and pages are uuids); otherwise the same calm
 * answer as an id that does not exist: a tampered or stale button is the caller's, not a fault.
 */
export function rowIdFromSlack(value: string | undefined): string {
  const parsed = rowId.safeParse(value);
  if (!parsed.success) throw new NotFound(NOT_AVAILABLE_TEXT);
  return parsed.data;
}

/** A Redact button's value or modal metadata (`<kind>:<id>`, or a timeline entry's id); otherwise the calm "not available". */
export function targetFromSlack(value: string | undefined): RedactTarget {
  const target = parseRedactTarget(value ?? '');
  if (!target) throw new NotFound(NOT_AVAILABLE_TEXT);
  return target;
}
