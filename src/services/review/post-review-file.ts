import type { Database } from '../../db/client.js';
import type { Incident } from '../../db/repos/incidents.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { isSlackUserId } from '../../domain/slack-user.js';
import { UserError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { ChannelNotFound, NotInChannel } from '../../slack-api/errors.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import { channelLink, userMention } from '../../slack-api/mrkdwn.js';
import type { Clock } from '../types.js';

export interface PostReviewFileDeps {
  db: Database;
  slack: Pick<SlackGateway, 'uploadFile'>;
  logger: Logger;
  clock: Clock;
}

/** The file's name in Slack: `INC-12-review.md`. */
export function reviewFilename(number: number): string {
  return `INC-${number}-review.md`;
}

/**
 * Uploads the draft to the incident's channel, then records that it was posted (timeline and
 * audit, one transaction). The upload comes first: a record of a post that never happened would
 * be worse than a post missing from the record. Returns the words for whoever asked.
 */
export async function postReviewFile(
  deps: PostReviewFileDeps,
  input: { incident: Incident; requestedBy: string | null; markdown: string },
): Promise<string> {
  const { incident, requestedBy } = input;
  const ref = `INC-${incident.number}`;
  const channelId = incident.channelId;
  if (!channelId) {
    throw new UserError('no_channel', `${ref} has no channel yet, so there is nowhere to post its review. Try again in a minute.`);
  }
  const filename = reviewFilename(incident.number);
  let fileId: string;
  try {
    ({ fileId } = await deps.slack.uploadFile({
      channelId,
      filename,
      // The title shows in the channel and in Slack's file browser: no incident text in it.
      title: `${ref} post-incident review (draft)`,
      content: input.markdown,
      initialComment: initialComment(ref, requestedBy),
    }));
  } catch (err) {
    if (err instanceof NotInChannel || err instanceof ChannelNotFound) {
      deps.logger.warn({ err, incidentId: incident.id, channelId }, 'review: cannot post to the incident channel');
      throw new UserError(
        'review_channel_unavailable',
        `I could not post the review of ${ref}: I am no longer in its channel. Add me back and try \`/incident review\` again.`,
        undefined,
        { cause: err },
      );
    }
    throw err;
  }

  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    await addTimelineEntry(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'review_posted',
      actorId: requestedBy,
      text: 'Post-incident review draft posted',
      data: { fileId, filename },
    });
    await addAuditRecord(tx, {
      incidentId: incident.id,
      at: now,
      actorId: requestedBy,
      action: 'review.post',
      details: { fileId, automatic: requestedBy === null },
    });
  });
  deps.logger.info({ incidentId: incident.id, fileId, automatic: requestedBy === null }, 'review posted');
  return `Posted the post-incident review draft of ${ref} to ${channelLink(channelId)} as \`${filename}\`.`;
}

function initialComment(ref: string, requestedBy: string | null): string {
  const why =
    requestedBy === null ? 'now that it is resolved' : isSlackUserId(requestedBy) ? `for ${userMention(requestedBy)}` : 'on request';
  return `:memo: The post-incident review draft of *${ref}*, ${why}. It holds what the record knows; fill in the impact, answer the prompts and correct what the record got wrong.`;
}
