/**
 * The digest's follow-up figures, per team: opened in the period, done in it, overdue at its end
 * (open past the due date then), and the median time from creation to done of those done in it.
 * Pure, from plain records, so a unit test checks every figure against a hand computation.
 */
import { type FollowUpTeamFigures, quantile } from './digest.js';
import type { Period } from './digest-period.js';
import type { FollowUpStatus } from './follow-ups.js';

export interface FollowUpDigestRecord {
  readonly teamId: string | null;
  readonly status: FollowUpStatus;
  readonly createdAt: Date;
  readonly dueAt: Date;
  /** When it was closed (done or won't do); null while open. */
  readonly doneAt: Date | null;
}

const within = (at: Date | null, p: Period) => at !== null && at.getTime() >= p.from.getTime() && at.getTime() < p.to.getTime();

/** Figures per team (teams in first-seen order, no team last), and the total across teams first. */
export function followUpFigures(
  records: readonly FollowUpDigestRecord[],
  period: Period,
  now: Date,
): { total: FollowUpTeamFigures; teams: FollowUpTeamFigures[] } {
  // A period still running is judged at `now`, not at its end.
  const at = Math.min(period.to.getTime(), now.getTime());
  const figures = (teamId: string | null, rows: readonly FollowUpDigestRecord[]): FollowUpTeamFigures => {
    const done = rows.filter((r) => r.status === 'done' && within(r.doneAt, period));
    const overdue = rows.filter(
      (r) => r.createdAt.getTime() < at && r.dueAt.getTime() < at && (r.doneAt === null || r.doneAt.getTime() >= at),
    );
    return {
      teamId,
      opened: rows.filter((r) => within(r.createdAt, period)).length,
      done: done.length,
      overdue: overdue.length,
      medianToDoneS: quantile(
        done.map((r) => ((r.doneAt as Date).getTime() - r.createdAt.getTime()) / 1000),
        0.5,
      ),
    };
  };
  const teamIds = [...new Set(records.map((r) => r.teamId))].sort((a, b) => (a === null ? 1 : b === null ? -1 : 0));
  const teams = teamIds
    .map((id) =>
      figures(
        id,
        records.filter((r) => r.teamId === id),
      ),
    )
    .filter((f) => f.opened + f.done + f.overdue > 0);
  return { total: figures(null, records), teams };
}
