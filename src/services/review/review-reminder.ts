/** The `review-reminder` action: the review's owner, a day before it is due and when it is due, unless it is published. */
import { findIncidentReview } from '../../db/repos/incident-reviews.js';
import { findIncident } from '../../db/repos/incidents.js';
import type { Db } from '../../db/client.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import { REVIEW_STATUS_LABEL } from '../../domain/review-template.js';
import { slackDate } from '../../slack-api/mrkdwn.js';

export async function remindReviewOwner(deps: { db: Db }, ctx: ActionContext<'review-reminder'>): Promise<ActionOutcome> {
  const incidentId = ctx.action.incidentId;
  const incident = incidentId ? await findIncident(deps.db, incidentId) : undefined;
  const review = incidentId ? await findIncidentReview(deps.db, incidentId) : undefined;
  if (!incident || !review?.dueAt || review.status === 'published') return 'skipped';
  const ref = `INC-${incident.number}`;
  const when = ctx.data.when === 'before' ? `is due ${slackDate(review.dueAt, '{date_short_pretty} {time}')}` : 'is due now';
  const where = incident.channelId ? ` Its canvas is in <#${incident.channelId}>.` : '';
  await ctx.deliver(`review-reminder:${ctx.action.id}`, {
    channel: review.ownerId,
    text: `:memo: The post-incident review of *${ref}* ${when} (status: ${REVIEW_STATUS_LABEL[review.status].toLowerCase()}).${where} When it is done: \`/incident review status published\` in the channel.`,
  });
  return 'done';
}
