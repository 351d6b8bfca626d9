/**
 * Weekly and monthly digests: planned as `digest` scheduled actions at a local wall time (one
 * row per cadence and period, so planning twice is harmless and a run missed while the bot was
 * down is fired once by the reconciler), posted in the reports channel with a chart
 * (`digest-action.ts`), and shown on demand by `/incident report`.
 */
import type { Catalog } from '../../blocks/catalog.js';
import { digestMessage } from '../../blocks/digest.js';
import type { ReportsConfig } from '../../config-file/reports.js';
import type { RegulatoryConfig } from '../../config-file/regulatory.js';
import type { FollowUpTeam } from '../../domain/follow-ups.js';
import type { Database } from '../../db/client.js';
import type { DigestScope } from '../../domain/digest.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import { withPlanning } from '../../jobs/plan.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import { tellUser } from '../tell-user.js';
import type { Clock } from '../types.js';
import { runDigest } from './digest-action.js';
import { loadDigest } from './digest-load.js';
import { planAfter } from './digest-plan.js';
import { type BuiltDigest, uploadDigestChart } from './digest-post.js';
import { scopeOf } from './digest-scope.js';

export interface DigestDeps {
  db: Database;
  slack: Pick<SlackGateway, 'postMessage' | 'uploadFile' | 'postEphemeral'>;
  scheduler: ActionScheduler;
  catalog: Catalog;
  reports: ReportsConfig | undefined;
  /** The follow-up teams, for their names in the digest's follow-up figures. */
  followUpTeams?: readonly FollowUpTeam[];
  /** Which clocks give an order's receipt and effect times (`regulatory:`); unset: the defaults. */
  regulatory?: RegulatoryConfig | undefined;
  logger: Logger;
  clock: Clock;
}

export interface DigestServices {
  /** Plans the next weekly and monthly digests (each reconcile; planned rows are skipped). */
  plan(): Promise<number>;
  /** The `digest` action: posts the digest and its chart in the reports channel, plans the next one. */
  run(ctx: ActionContext<'digest'>): Promise<ActionOutcome>;
  /** `/incident report [weekly|monthly|<from> <to>]`: posted when typed in the reports channel, else shown to the caller. */
  report(input: { userId: string; channelId: string; args: string }): Promise<string | null>;
  /** The digest and its message for a scope (tests and the sandbox read it). */
  build(scope: DigestScope): Promise<BuiltDigest>;
}

export function createDigestServices(deps: DigestDeps): DigestServices {
  const build: DigestServices['build'] = async (scope) => {
    const digest = await loadDigest(deps, scope, deps.clock());
    return { digest, message: digestMessage(digest, deps.catalog, deps.followUpTeams) };
  };

  return {
    build,

    async plan() {
      const created = await withPlanning(deps, ({ plan }) => planAfter(plan, deps.reports, deps.clock()));
      if (created > 0) deps.logger.info({ planned: created }, 'digests planned');
      return created;
    },

    run: (ctx) => runDigest({ ...deps, build }, ctx),

    async report({ userId, channelId, args }) {
      const built = await build(scopeOf(args, deps.reports, deps.clock()));
      const { text, blocks } = built.message;
      if (deps.reports && channelId === deps.reports.channelId) {
        await deps.slack.postMessage({ channel: channelId, text, blocks });
        await uploadDigestChart(deps, channelId, built);
        return null;
      }
      // Typed where the bot is not (a DM with someone else, a channel it was never added to): their DM with the app instead.
      await tellUser(deps, { channelId, userId, text, blocks });
      return null;
    },
  };
}
