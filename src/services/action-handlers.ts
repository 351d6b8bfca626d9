/**
 * The handler of every kind of scheduled action, typed by the kind's data (see
 * `domain/action-catalog.ts`). runtime.ts only wires this table to the worker. A new kind is one
 * catalog line and one handler file in its feature folder, bound here.
 */
import type { MeridianConfig } from '../config-file/types.js';
import type { Database } from '../db/client.js';
import type { Incident } from '../db/repos/incidents.js';
import type { Catalog } from '../blocks/catalog.js';
import type { RenderedMessage } from '../blocks/incident-messages.js';
import type { ActionHandlers } from '../jobs/run-action.js';
import type { Logger } from '../log.js';
import type { SlackGateway } from '../slack-api/gateway.js';
import { runClockMiss } from './clocks/clock-miss.js';
import { runClockReminder } from './clocks/clock-reminder.js';
import type { ClockDeps } from './clocks/deps.js';
import { runEscalationStep } from './escalation/run-escalation-step.js';
import { runUpdateReminder } from './incident/update-reminder.js';
import { postIncidentOrigin } from './intake/incident-origin.js';
import type { IntakeDeps } from './intake/deps.js';
import { nudgeTriage } from './intake/triage-nudge.js';
import { syncTriagePost } from './intake/triage-post.js';
import type { OncallServices } from './oncall/deps.js';
import { syncOnCallGroup } from './oncall/user-groups.js';
import type { Metrics } from '../metrics.js';
import type { DigestServices } from './reports/digest.js';
import { setUpIncidentChannel } from './set-up-incident-channel.js';
import type { PagingDeps } from './paging/deps.js';
import { runPageNotification } from './paging/notify-page.js';
import { postSeenBefore } from './similar/seen-before-action.js';
import { remindReviewOwner } from './review/review-reminder.js';
import type { ReviewServices } from './review/index.js';
import type { Clock } from './types.js';
import type { WellbeingServices } from './wellbeing/index.js';
import type { FollowUpDeps } from './follow-ups/deps.js';
import { runFollowUpExport, runFollowUpSync } from './follow-ups/export.js';
import { runFollowUpNotice, runFollowUpReminder } from './follow-ups/reminders.js';
import type { RetentionServices } from './retention/index.js';
import { runFollowUpWebhook } from './follow-ups/webhook.js';

export interface ActionHandlerDeps {
  db: Database;
  slack: SlackGateway;
  /** Pages and missed deadlines: served before channel set-ups and digests. */
  slackUrgent: SlackGateway;
  catalog: Catalog;
  meridian: MeridianConfig;
  feedChannelId: string | undefined;
  logger: Logger;
  clock: Clock;
  renderCard(incident: Incident): Promise<RenderedMessage>;
  clocks: ClockDeps;
  intake: IntakeDeps;
  oncall: Pick<OncallServices, 'notifyHandoff'>;
  digests: Pick<DigestServices, 'run'>;
  wellbeing: Pick<WellbeingServices, 'runExposureCheck' | 'runCoverageEndOffer'>;
  metrics: Pick<Metrics, 'userGroupSyncFailures'>;
  followUps: FollowUpDeps;
  paging: PagingDeps;
  retention: Pick<RetentionServices, 'runPurge'>;
  review: Pick<ReviewServices, 'runCanvasAction'>;
}

export function createActionHandlers(deps: ActionHandlerDeps): ActionHandlers {
  const { db, slack, slackUrgent, catalog, meridian, feedChannelId, logger, clock } = deps;
  return {
    'set-up-channel': async (ctx) => {
      const outcome = await setUpIncidentChannel(
        { db, slack, catalog, meridian, feedChannelId, logger, clock, renderCard: deps.renderCard },
        ctx,
      );
      // Seen before needs the channel: planned once it is open, once per incident.
      const incidentId = ctx.action.incidentId;
      if (outcome === 'done' && incidentId)
        await ctx.plan('seen-before', {}, ctx.now, { incidentId, dedupeKey: `seen-before:${incidentId}` });
      return outcome;
    },
    'escalation-step': (ctx) =>
      runEscalationStep({ db, slack: slackUrgent, catalog, meridian, feedChannelId, logger, clock, paging: deps.paging }, ctx),
    'handoff-notice': (ctx) => deps.oncall.notifyHandoff(ctx),
    'update-reminder': (ctx) => runUpdateReminder({ db, catalog, meridian }, ctx),
    'clock-reminder': (ctx) => runClockReminder(deps.clocks, ctx),
    'clock-miss': (ctx) => runClockMiss({ ...deps.clocks, slack: slackUrgent }, ctx),
    'triage-post': (ctx) => syncTriagePost(deps.intake, ctx),
    'triage-nudge': (ctx) => nudgeTriage(deps.intake, ctx),
    'incident-origin': (ctx) => postIncidentOrigin(deps.intake, ctx),
    digest: (ctx) => deps.digests.run(ctx),
    'exposure-check': (ctx) => deps.wellbeing.runExposureCheck(ctx),
    'coverage-end-offer': (ctx) => deps.wellbeing.runCoverageEndOffer(ctx),
    'user-group-sync': (ctx) => syncOnCallGroup({ db, slack, meridian, logger, metrics: deps.metrics, feedChannelId }, ctx),
    'follow-up-notice': (ctx) => runFollowUpNotice(deps.followUps, ctx),
    'follow-up-reminder': (ctx) => runFollowUpReminder(deps.followUps, ctx),
    'follow-up-export': (ctx) => runFollowUpExport(deps.followUps, ctx),
    'follow-up-sync': (ctx) => runFollowUpSync(deps.followUps, ctx),
    'page-notification': (ctx) => runPageNotification(deps.paging, ctx),
    'retention-purge': (ctx) => deps.retention.runPurge(ctx),
    'seen-before': (ctx) => postSeenBefore({ db, slack, catalog, admins: meridian.admins, logger }, ctx),
    'review-reminder': (ctx) => remindReviewOwner({ db }, ctx),
    'review-canvas': (ctx) => deps.review.runCanvasAction(ctx),
    'follow-up-webhook': (ctx) => runFollowUpWebhook(deps.followUps, ctx),
  };
}
