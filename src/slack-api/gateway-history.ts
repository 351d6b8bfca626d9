import { SlackApiError } from './errors.js';
import type { GatewayContext } from './gateway-support.js';

/** Replies read per conversations.replies call, and how many pages a search for one reply may read. */
const REPLY_PAGE = 200;
const MAX_REPLY_PAGES = 25;

/** A message as the timeline needs it: who wrote what, when. */
export interface HistoryMessage {
  ts: string;
  /** Author's user id; absent for some bot and system messages. */
  user?: string;
  botId?: string;
  text: string;
  threadTs?: string;
  /** Reaction names with their counts, as Slack reports them on the message. */
  reactions: Array<{ name: string; count: number }>;
}

interface RawMessage {
  ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  thread_ts?: string;
  reactions?: Array<{ name?: string; count?: number }>;
}

function toHistoryMessage(raw: RawMessage): HistoryMessage | null {
  if (raw.ts === undefined) return null;
  return {
    ts: raw.ts,
    ...(raw.user === undefined ? {} : { user: raw.user }),
    ...(raw.bot_id === undefined ? {} : { botId: raw.bot_id }),
    text: raw.text ?? '',
    ...(raw.thread_ts === undefined ? {} : { threadTs: raw.thread_ts }),
    reactions: (raw.reactions ?? []).map((r) => ({ name: r.name ?? '', count: r.count ?? 0 })),
  };
}

/** Reading messages back: a reaction event names a message but does not carry its text. */
export function historyMethods({ client, call }: GatewayContext) {
  return {
    /**
     * One message of a conversation by its ts, or null when Slack no longer has it. A message in
     * the channel is found with conversations.history; a reply in a thread only with
     * conversations.replies, which is tried second.
     */
    async findMessage(channelId: string, ts: string): Promise<HistoryMessage | null> {
      const history = await call('conversations.history', () =>
        client.conversations.history({ channel: channelId, latest: ts, inclusive: true, limit: 1 }),
      );
      const top = (history.messages as RawMessage[] | undefined)?.find((m) => m.ts === ts);
      if (top) return toHistoryMessage(top);
      // A long thread comes in pages: follow next_cursor until the reply shows up.
      let cursor: string | undefined;
      for (let pageNo = 0; pageNo < MAX_REPLY_PAGES; pageNo += 1) {
        const replies = await call('conversations.replies', () =>
          client.conversations.replies({ channel: channelId, ts, limit: REPLY_PAGE, ...(cursor === undefined ? {} : { cursor }) }),
        ).catch((err: unknown) => {
          if (err instanceof SlackApiError && err.code === 'thread_not_found') return null;
          throw err;
        });
        const reply = (replies?.messages as RawMessage[] | undefined)?.find((m) => m.ts === ts);
        if (reply) return toHistoryMessage(reply);
        cursor = replies?.response_metadata?.next_cursor;
        if (!replies?.has_more || !cursor) return null;
      }
      return null;
    },
  };
}
