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
import { displayNames } from './display-names.js';
import { postReviewFile } from './post-review-file.js';
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
  /** `/incident review` in the channel, and automatically at resolve: uploads the draft as a file. */
  post(input: { incidentId: string; requestedBy: string | null }): Promise<string>;
  /** `/incident review` typed in a channel: finds the incident, checks the caller may see it and is within the hourly limit. */
  postFromChannel(input: { userId: string; channelId: string }): Promise<string>;
  /** The Markdown for GET /reviews/INC-<n>; null when there is no such incident. */
  markdown(number: number): Promise<string | null>;
  /** `/incident review status draft|in-review|published` in the channel: the owner, the commander or an admin. */
  setStatus(input: { userId: string; channelId: string; args: string }): Promise<string>;
}

/** How long a review waits for people's display names before showing the rest by id. */
const NAMES_BUDGET_MS = 1500;

/**
 * Post-incident reviews: the draft drawn from the record, posted as a Markdown file to the
 * incident channel or served over HTTP. Both give the same text for the same record.
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
    const markdown = await draft(incident, review);
    const posted = await postReviewFile(deps, { incident, requestedBy, markdown });
    return `${posted}${await writeReviewCanvas(deps, incident, review, markdown)}`;
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
      const note = await writeReviewCanvas(deps, incident, updated, await draft(incident, updated));
      return `The review of INC-${incident.number} is now ${REVIEW_STATUS_LABEL[status].toLowerCase()}.${note}`;
    },
  };
}
