import type { Database } from '../../db/client.js';
import type { MeridianConfig } from '../../config-file/types.js';
import type { Catalog } from '../../blocks/catalog.js';
import { findIncident, type Incident } from '../../db/repos/incidents.js';
import { findIncidentByNumber, loadReviewRecord } from '../../db/repos/review.js';
import { renderReviewMarkdown } from '../../domain/review.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { limitReachedMessage } from '../../domain/action-limits.js';
import { NotFound, PermissionDenied, UserError } from '../../errors.js';
import { findIncidentReview, type IncidentReview, updateIncidentReview } from '../../db/repos/incident-reviews.js';
import { isReviewStatus, REVIEW_STATUS_LABEL, REVIEW_STATUSES, reviewTemplateFor } from '../../domain/review-template.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import { prepareReview, writeReviewCanvas } from './review-canvas.js';
import type { ActionLimiter } from '../../rate-limiters/action-limiter.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import { incidentOfChannelForUser } from '../incident-access.js';
import type { Clock } from '../types.js';
import { channelLink } from '../../slack-api/mrkdwn.js';
import { displayNames } from './display-names.js';
import { canvasRefused, recordReviewWritten } from './review-written.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import { peopleInRecord, reviewHubs, toReviewInput } from './review-input.js';

export interface ReviewDeps {
  db: Database;
  slack: SlackGateway;
  catalog: Catalog;
  meridian: MeridianConfig;
  logger: Logger;
  clock: Clock;
  /** `/incident review` postings per person an hour (admins are not counted; the one at resolve is not either). */
  limiter: Pick<ActionLimiter, 'consume' | 'refund'>;
  /** Plans the review's reminders to its owner once its due date is known. */
  scheduler: Pick<ActionScheduler, 'enqueue'>;
}

export interface ReviewServices {
  /** `/incident review` in the channel, and automatically at resolve: writes the draft in the channel's canvas. */
  post(input: { incidentId: string; requestedBy: string | null }): Promise<string>;
  /** `/incident review` typed in a channel: finds the incident, checks the caller may see it and is within the hourly limit. */
  postFromChannel(input: { userId: string; channelId: string }): Promise<string>;
  /** The Markdown for GET /reviews/INC-<n>; null when there is no such incident. */
  markdown(number: number): Promise<string | null>;
  /** `/incident review status draft|in-review|published` in the channel: the owner, the commander or an admin. */
  setStatus(input: { userId: string; channelId: string; args: string }): Promise<string>;
  /** A follow-up changed: the review's canvas, where there is one already, is re-written (nothing said in the channel). */
  refreshCanvas(incidentId: string): Promise<void>;
  /** Writes the review as kept in the record (after a redaction) to its canvas, unchanged otherwise; a no-op without a canvas. */
  rewriteCanvas(incidentId: string): Promise<void>;
  /** The `review-canvas` action: the canvas Slack refused before, written now (thrown again while Slack refuses: retried). */
  runCanvasAction(ctx: ActionContext<'review-canvas'>): Promise<ActionOutcome>;
}

/** How long a review waits for people's display names before showing the rest by id. */
const NAMES_BUDGET_MS = 1500;

/**
 * Post-incident reviews: the draft drawn from the record, written as the incident channel's
 * canvas (and kept as Markdown in the record) or served over HTTP. Both give the same text.
 */
export function createReviewServices(deps: ReviewDeps): ReviewServices {
  const hubs = reviewHubs(deps.meridian.schedules);

  const draft = async (incident: Incident, review?: IncidentReview): Promise<string> => {
    // One snapshot: a timeline entry written between two reads cannot contradict the incident row.
    const record = await deps.db.transaction(async (tx) => loadReviewRecord(tx, (await findIncident(tx, incident.id)) ?? incident), {
      isolationLevel: 'repeatable read',
      accessMode: 'read only',
    });
    const people = await displayNames(deps, peopleInRecord(record), NAMES_BUDGET_MS);
    if (review) people[review.ownerId] ??= (await displayNames(deps, [review.ownerId], NAMES_BUDGET_MS))[review.ownerId] ?? review.ownerId;
    const template = reviewTemplateFor(deps.meridian.reviews, incident.category);
    return renderReviewMarkdown({
      ...toReviewInput(record, { catalog: deps.catalog, hubs, people }),
      ...(template ? { template } : {}),
      ...(review ? { review: { ownerId: review.ownerId, dueAt: review.dueAt, status: review.status } } : {}),
    });
  };

  const post: ReviewServices['post'] = async ({ incidentId, requestedBy }) => {
    const incident = await findIncident(deps.db, incidentId);
    if (!incident) throw new NotFound('That incident no longer exists.');
    const review = await prepareReview(deps, incident);
    const written = await writeReviewCanvas(deps, incident, review, await draft(incident, review));
    if (!written.ok) return canvasRefused(deps, incident, written, requestedBy);
    const message = await recordReviewWritten(deps, { incident, requestedBy, canvasId: written.canvasId });
    const channelId = incident.channelId as string;
    await deps.slack
      .postMessage({ channel: channelId, ...message })
      .catch((err: unknown) => deps.logger.warn({ err, incidentId }, 'review: the channel was not told'));
    deps.logger.info({ incidentId, automatic: requestedBy === null }, 'review written');
    return `Wrote the post-incident review draft of INC-${incident.number} in the canvas of ${channelLink(channelId)}.`;
  };

  return {
    post,

    async postFromChannel({ userId, channelId }) {
      const access = { db: deps.db, admins: deps.meridian.admins, clock: deps.clock };
      const incident = await incidentOfChannelForUser(
        access,
        channelId,
        userId,
        'Use `/incident review` in an incident channel: the review is posted there.',
      );
      const counted = deps.meridian.admins.includes(userId) ? null : { userId };
      const reached = counted && (await deps.limiter.consume('review', counted));
      if (reached) {
        await addAuditRecord(deps.db, {
          incidentId: incident.id,
          at: deps.clock(),
          actorId: userId,
          action: 'review.post',
          outcome: 'refused',
          details: { reason: 'rate_limited', limit: reached.limit },
        });
        throw new UserError('rate_limited', limitReachedMessage(reached));
      }
      return post({ incidentId: incident.id, requestedBy: userId }).catch(async (err: unknown) => {
        // Nothing was posted: the attempt costs no slot.
        if (counted) await deps.limiter.refund('review', counted);
        throw err;
      });
    },

    async markdown(number) {
      const incident = await findIncidentByNumber(deps.db, number);
      return incident ? draft(incident, await findIncidentReview(deps.db, incident.id)) : null;
    },

    async setStatus({ userId, channelId, args }) {
      const access = { db: deps.db, admins: deps.meridian.admins, clock: deps.clock };
      const incident = await incidentOfChannelForUser(
        access,
        channelId,
        userId,
        'Use `/incident review status <status>` in an incident channel.',
      );
      const status = args.trim().toLowerCase().replace(/\s+/g, '-');
      const review = await findIncidentReview(deps.db, incident.id);
      const refuse = async (reason: string, err: UserError) => {
        await addAuditRecord(deps.db, {
          incidentId: incident.id,
          at: deps.clock(),
          actorId: userId,
          action: 'review.status',
          outcome: 'refused',
          details: { reason },
        });
        throw err;
      };
      if (!isReviewStatus(status))
        return refuse(
          'invalid_input',
          new UserError(
            'invalid_input',
            `\`${args.trim() || '(nothing)'}\` is not a review status. Use \`/incident review status ${REVIEW_STATUSES.join('|')}\`.`,
          ),
        );
      if (!review)
        return refuse(
          'no_review',
          new UserError('no_review', 'This incident has no review yet: `/incident review` writes it (it is written at resolution too).'),
        );
      const allowed = [review.ownerId, incident.commanderId, ...deps.meridian.admins].includes(userId);
      if (!allowed)
        return refuse(
          'not_allowed',
          new PermissionDenied(`Only the review owner <@${review.ownerId}>, the commander or an admin can change the review's status.`),
        );
      const now = deps.clock();
      await deps.db.transaction(async (tx) => {
        await updateIncidentReview(tx, incident.id, { status, updatedAt: now });
        await addAuditRecord(tx, {
          incidentId: incident.id,
          at: now,
          actorId: userId,
          action: 'review.status',
          details: { from: review.status, to: status },
        });
      });
      const updated = { ...review, status };
      const written = await writeReviewCanvas(deps, incident, updated, await draft(incident, updated));
      const note = written.ok
        ? ''
        : ` ${await canvasRefused(deps, incident, written, userId).catch((err: unknown) => (err instanceof UserError ? err.message : ''))}`;
      return `The review of INC-${incident.number} is now ${REVIEW_STATUS_LABEL[status].toLowerCase()}.${note}`;
    },

    async refreshCanvas(incidentId) {
      const incident = await findIncident(deps.db, incidentId);
      const review = incident ? await findIncidentReview(deps.db, incidentId) : undefined;
      if (!incident || !review?.canvasId) return;
      await writeReviewCanvas(deps, incident, review, await draft(incident, review));
    },

    async rewriteCanvas(incidentId) {
      const incident = await findIncident(deps.db, incidentId);
      const review = incident ? await findIncidentReview(deps.db, incidentId) : undefined;
      if (!incident || !review?.canvasId || !review.markdown) return;
      await writeReviewCanvas(deps, incident, review, review.markdown);
    },

    async runCanvasAction(ctx) {
      const incident = ctx.action.incidentId ? await findIncident(deps.db, ctx.action.incidentId) : undefined;
      const review = incident ? await findIncidentReview(deps.db, incident.id) : undefined;
      if (!incident?.channelId || !review) return 'skipped';
      const written = await writeReviewCanvas(deps, incident, review, await draft(incident, review));
      // Still refused: thrown, so the action is retried (and counted, and the admins told) until Slack allows it.
      if (!written.ok) throw written.error ?? new Error(`the review canvas was refused: ${written.code}`);
      const message = await recordReviewWritten(deps, { incident, requestedBy: ctx.data.requestedBy, canvasId: written.canvasId });
      await ctx.deliver(`review-canvas:${ctx.action.id}`, { channel: incident.channelId, ...message });
      return 'done';
    },
  };
}
