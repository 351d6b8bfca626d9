/**
 * The review as a Slack canvas in the incident channel, and its row: owner (the template's, else
 * the commander), due date (working days after resolution in the owner's zone), reminders, status.
 */
import { ensureIncidentReview, type IncidentReview, updateIncidentReview } from '../../db/repos/incident-reviews.js';
import type { Incident } from '../../db/repos/incidents.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { DEFAULT_REVIEWS, reviewDueAt, reviewTemplateFor } from '../../domain/review-template.js';
import { withPlanning } from '../../jobs/plan.js';
import { SlackApiError } from '../../slack-api/errors.js';
import type { Database } from '../../db/client.js';
import type { MeridianConfig } from '../../config-file/types.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';

/** What writing the review needs (a part of the review services' deps). */
export interface ReviewCanvasDeps {
  db: Database;
  slack: Pick<SlackGateway, 'userInfo' | 'createCanvas' | 'replaceCanvas'>;
  meridian: Pick<MeridianConfig, 'reviews'>;
  logger: Logger;
  clock: Clock;
  scheduler: Pick<ActionScheduler, 'enqueue'>;
}

/** The reminder before the due date: a working day's notice. */
const REMIND_BEFORE_MS = 24 * 3_600_000;

/** The review's row, made on first use; once the incident is resolved, its due date and the owner's reminders. */
export async function prepareReview(deps: ReviewCanvasDeps, incident: Incident): Promise<IncidentReview> {
  const now = deps.clock();
  const template = reviewTemplateFor(deps.meridian.reviews, incident.category);
  const review = await ensureIncidentReview(deps.db, {
    incidentId: incident.id,
    template: template?.category ?? null,
    ownerId: template?.ownerId ?? incident.commanderId ?? incident.declaredBy,
    at: now,
  });
  if (review.dueAt || !incident.resolvedAt) return review;
  const zone = await deps.slack.userInfo(review.ownerId).then(
    (u) => u.tz,
    () => 'UTC',
  );
  const dueAt = reviewDueAt(incident.resolvedAt, zone, (deps.meridian.reviews ?? DEFAULT_REVIEWS).dueWorkingDays);
  await withPlanning(deps, async ({ tx, plan }) => {
    await updateIncidentReview(tx, incident.id, { dueAt, updatedAt: now });
    const before = new Date(Math.max(dueAt.getTime() - REMIND_BEFORE_MS, now.getTime()));
    await plan('review-reminder', { when: 'before' }, before, {
      incidentId: incident.id,
      dedupeKey: `review-reminder:${incident.id}:before`,
    });
    await plan('review-reminder', { when: 'due' }, dueAt, { incidentId: incident.id, dedupeKey: `review-reminder:${incident.id}:due` });
  });
  return { ...review, dueAt };
}

/** What became of a write: the canvas (and whether it was made now), or Slack's refusal. */
export type CanvasWrite = { ok: true; canvasId: string; created: boolean } | { ok: false; code: string; error: unknown };

/**
 * Writes the review in its canvas (creates it, tabbed in the incident channel, the first time;
 * replaces its content after) and keeps the Markdown in the record whatever Slack says. A canvas
 * Slack refuses is audited and returned, for the caller to say and retry.
 */
export async function writeReviewCanvas(
  deps: ReviewCanvasDeps,
  incident: Incident,
  review: IncidentReview,
  markdown: string,
): Promise<CanvasWrite> {
  const now = deps.clock();
  const channelId = incident.channelId;
  let canvasId = review.canvasId;
  let created = false;
  let failure: { code: string; error: unknown } | undefined;
  const create = async (channel: string) => {
    created = true;
    return (await deps.slack.createCanvas({ channelId: channel, title: canvasTitle(incident), markdown })).canvasId;
  };
  if (!channelId) failure = { code: 'no_channel', error: undefined };
  else {
    try {
      if (canvasId) {
        await deps.slack.replaceCanvas({ canvasId, markdown }).catch(async (err: unknown) => {
          // Deleted in Slack: write a new one rather than lose the review.
          if (!(err instanceof SlackApiError && err.code === 'canvas_not_found')) throw err;
          canvasId = await create(channelId);
        });
      } else {
        canvasId = await create(channelId);
      }
    } catch (err) {
      failure = { code: err instanceof SlackApiError ? err.code : 'error', error: err };
      deps.logger.warn({ err, incidentId: incident.id }, 'review: the canvas could not be written');
    }
  }
  await updateIncidentReview(deps.db, incident.id, { canvasId, markdown, updatedAt: now });
  if (failure || !canvasId) {
    const code = failure?.code ?? 'error';
    await addAuditRecord(deps.db, {
      incidentId: incident.id,
      at: now,
      actorId: null,
      action: 'review.canvas',
      outcome: 'failed',
      details: { error: code },
    });
    return { ok: false, code, error: failure?.error };
  }
  return { ok: true, canvasId, created };
}

/** No incident text in the title beyond its number: it shows in Slack's canvas lists. */
function canvasTitle(incident: Incident): string {
  return `INC-${incident.number} post-incident review`;
}
