/**
 * The Slack events the timeline listens to, validated: the edge hands them over as Slack sent
 * them, and anything we do not understand (a pinned file, a reaction to a file) is ignored.
 */
import { z } from 'zod';

/** The reaction that puts a message on the timeline. */
export const TIMELINE_REACTION = 'pushpin';

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

export type PinEvent = z.infer<typeof pinEvent>;
export type ReactionEvent = z.infer<typeof reactionEvent>;
export type MembershipEvent = z.infer<typeof membershipEvent>;
export type TimelineEvent = PinEvent | ReactionEvent | MembershipEvent;

const timelineEvent = z.union([pinEvent, reactionEvent, membershipEvent]);

/** The event if it is one the timeline handles, else null (a file pin, an unknown shape). */
export function parseTimelineEvent(raw: unknown): TimelineEvent | null {
  const parsed = timelineEvent.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** The channel an event happened in. */
export function channelOf(event: TimelineEvent): string {
  switch (event.type) {
    case 'pin_added':
    case 'pin_removed':
      return event.channel_id;
    case 'reaction_added':
    case 'reaction_removed':
      return event.item.channel;
    case 'member_joined_channel':
    case 'member_left_channel':
      return event.channel;
  }
}

/** Slack's message ts (`1700000000.000100`, seconds since the epoch) as an instant. */
export function tsToDate(ts: string): Date | null {
  const seconds = Number(ts);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(Math.round(seconds * 1000)) : null;
}
