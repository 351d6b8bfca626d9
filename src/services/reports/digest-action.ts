/**
 * The `digest` action: the digest and its chart in the reports channel, each recorded on the row
 * (`postedTs`, `chartFileId`) so a retry posts neither twice; then the next run is planned.
 */
import { mergeActionData } from '../../db/repos/digest-runs.js';
import type { DigestScope } from '../../domain/digest.js';
import type { Catalog } from '../../blocks/catalog.js';
import type { ReportsConfig } from '../../config-file/reports.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import { nextRun, planAfter } from './digest-plan.js';
import type { BuiltDigest } from './digest-post.js';
import { uploadDigestChart } from './digest-post.js';

export async function runDigest(
  deps: {
    slack: Pick<SlackGateway, 'uploadFile'>;
    catalog: Catalog;
    reports: ReportsConfig | undefined;
    logger: Logger;
    build(scope: DigestScope): Promise<BuiltDigest>;
  },
  ctx: ActionContext<'digest'>,
): Promise<ActionOutcome> {
  const reports = deps.reports;
  const { action: row, data, tx } = ctx;
  if (!reports) return 'skipped';
  const scope: DigestScope = {
    cadence: data.cadence,
    period: { from: new Date(data.from), to: new Date(data.to) },
    previous: { from: new Date(data.previousFrom), to: new Date(data.previousTo) },
    timeZone: data.timeZone,
  };
  // Planned from this run's instant, not from now: a run fired late after downtime plans the next one, not two.
  await planAfter(ctx.plan, reports, row.dueAt);
  // Down across more than one run: only the latest missed digest is posted, once; older ones are skipped.
  const next = nextRun(data.cadence, reports, row.dueAt);
  if (next && next.runAt.getTime() <= ctx.now.getTime()) {
    deps.logger.info({ actionId: row.id, cadence: data.cadence }, 'digest skipped: a later one is already due');
    return 'skipped';
  }
  const built = await deps.build(scope);
  const channel = reports.channelId;
  // Progress goes through the run's own transaction: it holds the row's lock, so a write to the
  // row on another connection would wait on itself.
  if (!data.postedTs) {
    // Tagged with the run: a run retried after a crash between Slack's answer and this row adopts the digest Slack has.
    const posted = await ctx.deliver(`digest:${row.id}`, { channel, text: built.message.text, blocks: built.message.blocks });
    await mergeActionData(tx, row.id, { postedTs: posted.ts });
  }
  if (!data.chartFileId) {
    const fileId = await uploadDigestChart(deps, channel, built);
    await mergeActionData(tx, row.id, { chartFileId: fileId });
  }
  deps.logger.info({ actionId: row.id, cadence: data.cadence }, 'digest posted');
  return 'done';
}
