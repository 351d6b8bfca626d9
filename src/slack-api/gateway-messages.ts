import type { Block, KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { classifyFailure } from './classify-failure.js';
import { SlackConfigurationError } from './errors.js';
import { type GatewayContext, required } from './gateway-support.js';

/** Block Kit blocks as Slack's own types describe them. */
export type Blocks = Array<KnownBlock | Block>;

/** A message: `text` is always required, as the notification and screen-reader fallback. */
export interface MessageInput {
  /** Channel id, DM id, or a user id (Slack then posts to that user's DM with the app). */
  channel: string;
  text: string;
  blocks?: Blocks;
  threadTs?: string;
  /** `false` sends `unfurl_links: false, unfurl_media: false` (sensitive incidents); unset leaves Slack's default. */
  unfurl?: boolean;
}

function unfurlOptions(input: MessageInput) {
  return input.unfurl === false ? { unfurl_links: false, unfurl_media: false } : {};
}

/** The metadata event type that tags Meridian's once-only deliveries. */
export const DELIVERY_EVENT = 'meridian_delivery';

/** How many recent messages of the conversation are searched for a delivery's tag. */
const DELIVERY_LOOKBACK = 100;

/**
 * Runs one step of a compound call; a refusal of our configuration is named by the step's own
 * method (`conversations.history` needs im:history, not chat.postMessage). Anything else is left
 * to the compound call's retry loop as it was.
 */
async function step<T>(method: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const { error } = classifyFailure(method, err);
    throw error instanceof SlackConfigurationError ? error : err;
  }
}

/** The tagged message of an earlier attempt, if Slack has it: in a thread among its replies, else among the channel's recent messages. */
async function findDelivery(client: WebClient, input: MessageInput, key: string): Promise<{ channel: string; ts: string } | undefined> {
  // A user id means "the DM with this user": history needs the DM's own id.
  const channel = /^[UW]/.test(input.channel)
    ? required(
        (await step('conversations.open', () => client.conversations.open({ users: input.channel }))).channel?.id,
        'conversations.open',
        'channel.id',
      )
    : input.channel;
  const { threadTs } = input;
  const res =
    threadTs === undefined
      ? await step('conversations.history', () =>
          client.conversations.history({ channel, limit: DELIVERY_LOOKBACK, include_all_metadata: true }),
        )
      : await step('conversations.replies', () =>
          client.conversations.replies({ channel, ts: threadTs, limit: DELIVERY_LOOKBACK, include_all_metadata: true }),
        );
  const messages = (res.messages ?? []) as Array<{ ts?: string; metadata?: { event_type?: string; event_payload?: { key?: unknown } } }>;
  const hit = messages.find((m) => m.metadata?.event_type === DELIVERY_EVENT && m.metadata.event_payload?.key === key);
  return hit?.ts ? { channel, ts: hit.ts } : undefined;
}

/** Messages, DMs and files. */
export function messageMethods({ client, call }: GatewayContext) {
  return {
    /** chat.postMessage. Retried on timeouts, so a rare duplicate is possible (never a lost message). */
    async postMessage(input: MessageInput): Promise<{ channel: string; ts: string }> {
      const res = await call('chat.postMessage', () =>
        client.chat.postMessage({
          channel: input.channel,
          text: input.text,
          ...(input.blocks === undefined ? {} : { blocks: input.blocks }),
          ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
          ...unfurlOptions(input),
        }),
      );
      return {
        channel: required(res.channel, 'chat.postMessage', 'channel'),
        ts: required(res.ts, 'chat.postMessage', 'ts'),
      };
    },

    /**
     * chat.postMessage exactly once as people see it. The message carries
     * `metadata: { event_type: 'meridian_delivery', event_payload: { key } }`; before any retry
     * (a later attempt here after a timeout or a 5xx, or `mayExist`: the caller recorded its
     * intent before an earlier try that may have reached Slack), the conversation's recent
     * messages are searched for that key, and a message found is adopted instead of posting
     * again. `adopted` says which happened.
     */
    async postOnce(
      key: string,
      input: MessageInput,
      opts: { mayExist?: boolean } = {},
    ): Promise<{ channel: string; ts: string; adopted: boolean }> {
      let attempt = 0;
      const metadata = { event_type: DELIVERY_EVENT, event_payload: { key } };
      return call('chat.postMessage', async () => {
        attempt += 1;
        if (attempt > 1 || opts.mayExist) {
          const found = await findDelivery(client, input, key);
          if (found) return { ...found, adopted: true };
        }
        const res = await client.chat.postMessage({
          channel: input.channel,
          text: input.text,
          metadata,
          ...(input.blocks === undefined ? {} : { blocks: input.blocks }),
          ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
          ...unfurlOptions(input),
        });
        return {
          channel: required(res.channel, 'chat.postMessage', 'channel'),
          ts: required(res.ts, 'chat.postMessage', 'ts'),
          adopted: false,
        };
      });
    },

    /**
     * The message postOnce delivered under `key` in `channel` (a user id: the DM with them), if
     * Slack has it: how a button's handler finds the message it must update without trusting
     * the payload's channel and ts.
     */
    async findDelivered(channel: string, key: string): Promise<{ channel: string; ts: string } | undefined> {
      return call('conversations.history', () => findDelivery(client, { channel, text: '' }, key));
    },

    /** chat.update: replaces text and blocks of a message the bot posted. */
    async updateMessage(input: { channel: string; ts: string; text: string; blocks?: Blocks }): Promise<void> {
      await call('chat.update', () =>
        client.chat.update({
          channel: input.channel,
          ts: input.ts,
          text: input.text,
          ...(input.blocks === undefined ? {} : { blocks: input.blocks }),
        }),
      );
    },

    /** chat.postEphemeral: only `user` sees it, and only while their client is open. */
    async postEphemeral(input: { channel: string; user: string; text: string; blocks?: Blocks }): Promise<void> {
      await call('chat.postEphemeral', () =>
        client.chat.postEphemeral({
          channel: input.channel,
          user: input.user,
          text: input.text,
          ...(input.blocks === undefined ? {} : { blocks: input.blocks }),
        }),
      );
    },

    /** chat.getPermalink */
    async permalink(channelId: string, ts: string): Promise<string> {
      const res = await call('chat.getPermalink', () => client.chat.getPermalink({ channel: channelId, message_ts: ts }));
      return required(res.permalink, 'chat.getPermalink', 'permalink');
    },

    /** conversations.open: the DM channel id between the app and this user. */
    async openDm(userId: string): Promise<string> {
      const res = await call('conversations.open', () => client.conversations.open({ users: userId }));
      return required(res.channel?.id, 'conversations.open', 'channel.id');
    },

    /**
     * files.uploadV2 (getUploadURLExternal, upload, completeUploadExternal). A retry repeats all
     * three steps: a half-finished upload is never shared, so that is safe.
     */
    async uploadFile(input: {
      channelId: string;
      filename: string;
      title: string;
      /** Text, or bytes (a PNG chart). */
      content: string | Buffer;
      initialComment?: string;
    }): Promise<{ fileId: string }> {
      const res = await call('files.uploadV2', () =>
        client.files.uploadV2({
          channel_id: input.channelId,
          filename: input.filename,
          title: input.title,
          ...(typeof input.content === 'string' ? { content: input.content } : { file: input.content }),
          ...(input.initialComment === undefined ? {} : { initial_comment: input.initialComment }),
        }),
      );
      // uploadV2 answers one completeUploadExternal result per group of files.
      const completions = (res as { files?: Array<{ files?: Array<{ id?: string }> }> }).files;
      return { fileId: required(completions?.[0]?.files?.[0]?.id, 'files.uploadV2', 'files[0].files[0].id') };
    },
  };
}
