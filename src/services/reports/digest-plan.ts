/** Planning digests: one `digest` row per cadence and period (its dedupe key), so planning twice is harmless. */
import type { ReportsConfig } from '../../config-file/reports.js';
import type { ActionData } from '../../domain/action-catalog.js';
import { type DigestCadence, type DigestRun, digestDedupeKey, nextMonthlyRun, nextWeeklyRun } from '../../domain/digest-period.js';
import type { Plan } from '../../jobs/plan.js';

/** What a `digest` row carries: ids and instants only (its schema is in the action catalog). */
type DigestActionData = ActionData<'digest'>;

export function nextRun(cadence: DigestCadence, reports: ReportsConfig, after: Date): DigestRun | null {
  if (cadence === 'weekly') return reports.weekly ? nextWeeklyRun(reports.weekly, after) : null;
  return reports.monthly ? nextMonthlyRun(reports.monthly, after) : null;
}

function planRun(plan: Plan, run: DigestRun) {
  const data: DigestActionData = {
    cadence: run.cadence,
    from: run.period.from.toISOString(),
    to: run.period.to.toISOString(),
    previousFrom: run.previous.from.toISOString(),
    previousTo: run.previous.to.toISOString(),
    timeZone: run.timeZone,
  };
  return plan('digest', data, run.runAt, { incidentId: null, dedupeKey: digestDedupeKey(run) });
}

/** Plans the next weekly and monthly runs after `after` (skipped when already planned); how many were new. */
export async function planAfter(plan: Plan, reports: ReportsConfig | undefined, after: Date): Promise<number> {
  if (!reports) return 0;
  const runs = (['weekly', 'monthly'] as const).flatMap((cadence) => nextRun(cadence, reports, after) ?? []);
  let created = 0;
  for (const run of runs) if (await planRun(plan, run)) created += 1;
  return created;
}
