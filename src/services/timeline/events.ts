/**
 * The Slack events the timeline handles, already read and checked at the edge
 * (`src/slack/inputs/timeline-event.ts`); anything it does not understand never gets here.
 */

/** The reaction that puts a message on the timeline. */
export const TIMELINE_REACTION = 'pushpin';

/** A message pinned or unpinned in a channel. */
export interface PinEvent {
  readonly type: 'pin_added' | 'pin_removed';
  readonly user?: string | undefined;
  readonly channel_id: string;
  readonly item: {
    readonly type: 'message';
    readonly message: {
      readonly ts: string;
      readonly text: string;
      readonly user?: string | undefined;
      readonly bot_id?: string | undefined;
      readonly permalink?: string | undefined;
    };
  };
}

/** A reaction added to or removed from a message. */
export interface ReactionEvent {
  readonly type: 'reaction_added' | 'reaction_removed';
  readonly user: string;
  readonly reaction: string;
  readonly item_user?: string | undefined;
  readonly item: { readonly type: 'message'; readonly channel: string; readonly ts: string };
}

/** Someone joined or left a channel. */
export interface MembershipEvent {
  readonly type: 'member_joined_channel' | 'member_left_channel';
  readonly user: string;
  readonly channel: string;
}

export type TimelineEvent = PinEvent | ReactionEvent | MembershipEvent;

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
