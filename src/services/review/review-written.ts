/**
 * Once the review's canvas is written: the record says so (timeline and audit, one transaction)
 * and the channel hears where it is, with "Add follow-up" (the review is where follow-ups are
 * decided). If Slack refused the canvas, a `review-canvas` action writes it once Slack allows.
 */
import { reviewWrittenMessage } from '../../blocks/review-message.js';
import type { Database } from '../../db/client.js';
import type { Incident } from '../../db/repos/incidents.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { UserError } from '../../errors.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import { withPlanning } from '../../jobs/plan.js';
import { ChannelNotFound, NotInChannel } from '../../slack-api/errors.js';
import type { Clock } from '../types.js';

export async function recordReviewWritten(
  deps: { db: Database; clock: Clock },
  input: { incident: Incident; requestedBy: string | null; canvasId: string },
): Promise<{ text: string; blocks: ReturnType<typeof reviewWrittenMessage>['blocks'] }> {
  const { incident, requestedBy, canvasId } = input;
  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    await addTimelineEntry(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'review_posted',
      actorId: requestedBy,
      text: 'Post-incident review written in the channel canvas',
      data: { canvasId },
    });
    await addAuditRecord(tx, {
      incidentId: incident.id,
      at: now,
      actorId: requestedBy,
      action: 'review.post',
      details: { canvasId, automatic: requestedBy === null },
    });
  });
  return reviewWrittenMessage(incident, requestedBy);
}

/**
 * Slack refused the canvas. Not in the channel: said to whoever asked (they can add the bot back).
 * Anything else (a missing scope, Slack down): the Markdown is kept, and a `review-canvas` action,
 * retried like every refused delivery, writes the canvas once Slack allows. Returns the words to say.
 */
export async function canvasRefused(
  deps: { db: Database; clock: Clock; scheduler: Pick<ActionScheduler, 'enqueue'> },
  incident: Incident,
  refusal: { code: string; error: unknown },
  requestedBy: string | null,
): Promise<string> {
  const ref = `INC-${incident.number}`;
  if (refusal.error instanceof NotInChannel || refusal.error instanceof ChannelNotFound)
    throw new UserError(
      'review_channel_unavailable',
      `I could not post the review of ${ref}: I am no longer in its channel. Add me back and try \`/incident review\` again.`,
      undefined,
      { cause: refusal.error },
    );
  if (refusal.code === 'no_channel')
    throw new UserError('no_channel', `${ref} has no channel yet, so there is nowhere to post its review. Try again in a minute.`);
  const now = deps.clock();
  await withPlanning(deps, ({ plan }) =>
    plan('review-canvas', { requestedBy }, now, { incidentId: incident.id, dedupeKey: `review-canvas:${incident.id}:${now.getTime()}` }),
  );
  return `Slack refused the review canvas of ${ref} (\`${refusal.code}\`). The review is kept in the record, and it will be written in the channel as soon as Slack allows it.`;
}
