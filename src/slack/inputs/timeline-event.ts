/**
 * The Slack events the timeline listens to, validated: Slack sends them as it likes, and
 * anything we do not understand (a pinned file, a reaction to a file) is dropped here.
 */
import { z } from 'zod';
import type { TimelineEvent } from '../../services/timeline/events.js';

const pinnedMessage = z.object({
  ts: z.string().min(1),
  text: z.string().default(''),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  permalink: z.string().optional(),
});

const pinEvent = z.object({
  type: z.enum(['pin_added', 'pin_removed']),
  user: z.string().optional(),
  channel_id: z.string().min(1),
  item: z.object({ type: z.literal('message'), message: pinnedMessage }),
});

const reactionEvent = z.object({
  type: z.enum(['reaction_added', 'reaction_removed']),
  user: z.string().min(1),
  reaction: z.string(),
  item_user: z.string().optional(),
  item: z.object({ type: z.literal('message'), channel: z.string().min(1), ts: z.string().min(1) }),
});

const membershipEvent = z.object({
  type: z.enum(['member_joined_channel', 'member_left_channel']),
  user: z.string().min(1),
  channel: z.string().min(1),
});

const timelineEvent = z.union([pinEvent, reactionEvent, membershipEvent]);

/** The event if it is one the timeline handles, else null (a file pin, an unknown shape). */
export function parseTimelineEvent(raw: unknown): TimelineEvent | null {
  const parsed = timelineEvent.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
