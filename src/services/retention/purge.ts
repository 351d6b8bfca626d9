/**
 * The `retention-purge` action (issue 24): once a day, the text of closed incidents past their
 * retention is replaced with a placeholder, facts kept; held incidents wait for their holds to
 * end. Each purge is audited with its counts, never with the text.
 */
import type { Database } from '../../db/client.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { purgeCandidates, purgeIncidentText } from '../../db/repos/retention.js';
import { nextPurgeRun, PURGED_TEXT, purgeDueAt, type RetentionConfig } from '../../domain/retention.js';
import type { Plan } from '../../jobs/plan.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import type { Logger } from '../../log.js';
import { holdsOf } from './holds.js';

export interface PurgeDeps {
  db: Database;
  retention: RetentionConfig | undefined;
  logger: Logger;
}

/** Incidents looked at per run; the rest wait for the next day's run. */
const PER_RUN = 500;

/** Plans the next daily run after `after` (once per day: its dedupe key); nothing without a retention policy. */
export async function planRetentionPurge(plan: Plan, retention: RetentionConfig | undefined, after: Date): Promise<number> {
  if (!retention) return 0;
  const at = nextPurgeRun(after);
  const day = at.toISOString().slice(0, 10);
  return (await plan('retention-purge', { day }, at, { incidentId: null, dedupeKey: `retention-purge:${day}` })) ? 1 : 0;
}

export async function runRetentionPurge(deps: PurgeDeps, ctx: ActionContext<'retention-purge'>): Promise<ActionOutcome> {
  const { retention } = deps;
  if (!retention) return 'skipped';
  const now = ctx.now;
  let purged = 0;
  let held = 0;
  for (const incident of await purgeCandidates(ctx.tx, now, PER_RUN)) {
    const due = purgeDueAt(retention, incident);
    if (!due || due > now) continue;
    if ((await holdsOf(ctx.tx, retention.holds, incident.id, now)).length > 0) {
      held += 1;
      continue;
    }
    const counts = await purgeIncidentText(ctx.tx, incident.id, PURGED_TEXT, now);
    await addAuditRecord(ctx.tx, {
      incidentId: incident.id,
      at: now,
      actorId: null,
      action: 'retention.purge',
      details: { number: incident.number, category: incident.category, ...counts },
    });
    purged += 1;
  }
  if (purged || held) deps.logger.info({ purged, held }, 'retention purge');
  await planRetentionPurge(ctx.plan, retention, now);
  return 'done';
}
