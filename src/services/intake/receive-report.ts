import { insertReportOnce } from '../../db/repos/intake-reports.js';
import { withPlanning } from '../../jobs/plan.js';
import { dueAtFor, kindInForce } from '../../domain/clocks.js';
import {
  isTrustedFlagger,
  nudgeDueAt,
  sourceOf,
  withSourceDefaults,
  type IntakeSubmission,
  type ReportStatus,
} from '../../domain/intake.js';
import type { IntakeDeps } from './deps.js';

/** The answer to the sender: the report's id and where it stands. */
export interface ReceivedReport {
  reportId: string;
  status: ReportStatus;
  /** False when the same source sent the same external id before. */
  created: boolean;
}

/**
 * Stores a report once per source and external id, with its triage post and its nudge as
 * scheduled actions in the same transaction; then hands them to the queue.
 */
export async function receiveReport(
  deps: Pick<IntakeDeps, 'db' | 'scheduler' | 'meridian' | 'clock'>,
  input: IntakeSubmission,
): Promise<ReceivedReport> {
  const now = deps.clock();
  const source = sourceOf(deps.meridian.intake, input.source);
  const given = withSourceDefaults(input, source);
  // The source's kind of clock, counted from receipt, is the deadline of a report that gives none.
  const kind = given.deadline || !source?.deadline ? undefined : kindInForce(deps.meridian.deadlines ?? [], source.deadline, now);
  const submission = kind ? { ...given, deadline: dueAtFor(kind, now) } : given;
  const priority = isTrustedFlagger(source);
  const { report, created } = await withPlanning(deps, async ({ tx, plan }) => {
    const stored = await insertReportOnce(tx, { ...submission, priority, receivedAt: now });
    if (!stored.created) return stored;
    const data = { reportId: stored.report.id };
    await plan('triage-post', data, now);
    await plan('triage-nudge', data, nudgeDueAt(deps.meridian.intake, now, priority));
    return stored;
  });
  return { reportId: report.id, status: report.status, created };
}
