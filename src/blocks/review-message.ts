/** The channel's message when the review is written in its canvas: where it is, and a way to add follow-ups from it. */
import type { KnownBlock } from '@slack/types';
import { isSlackUserId } from '../domain/slack-user.js';
import { userMention } from '../slack-api/mrkdwn.js';
import { CARD_FOLLOW_UP_ACTION } from './follow-ups.js';
import { plainText, section } from './kit.js';

export function reviewWrittenMessage(
  incident: { id: string; number: number },
  requestedBy: string | null,
): { text: string; blocks: KnownBlock[] } {
  const ref = `INC-${incident.number}`;
  const why =
    requestedBy === null ? 'now that it is resolved' : isSlackUserId(requestedBy) ? `for ${userMention(requestedBy)}` : 'on request';
  const text = `:memo: The post-incident review of *${ref}* is written in this channel's canvas, ${why}. It holds what the record knows; fill in the impact, answer the prompts, and add each follow-up it leads to: they are tracked, and listed in the review.`;
  return {
    text: `The post-incident review of ${ref} is in this channel's canvas`,
    blocks: [
      section(text),
      {
        type: 'actions',
        block_id: 'review',
        elements: [{ type: 'button', action_id: CARD_FOLLOW_UP_ACTION, value: incident.id, text: plainText('Add follow-up') }],
      },
    ],
  };
}
