import type { KnownBlock } from '@slack/types';
import type { Logger } from '../log.js';
import type { SlackGateway } from '../slack-api/gateway.js';

export interface TellUserDeps {
  /** `respond` is needed only by callers that pass a `responseUrl`. */
  slack: Pick<SlackGateway, 'postEphemeral' | 'postMessage'> & Partial<Pick<SlackGateway, 'respond'>>;
  logger: Logger;
}

/**
 * A note only the person sees where they were working: through the `responseUrl` of their
 * command or click when there is one (it reaches them even in a channel they are not in, where
 * an ephemeral cannot); else an ephemeral in the channel; else (a DM channel, a channel the bot
 * or the person is not in) a DM. Throws if the last way fails too.
 */
export async function tellUser(
  deps: TellUserDeps,
  input: { channelId?: string | null; userId: string; text: string; blocks?: KnownBlock[]; responseUrl?: string },
): Promise<void> {
  const message = { text: input.text, ...(input.blocks ? { blocks: input.blocks } : {}) };
  if (input.responseUrl && deps.slack.respond) {
    try {
      await deps.slack.respond(input.responseUrl, message);
      return;
    } catch (err) {
      deps.logger.debug({ err }, 'response_url failed; trying an ephemeral');
    }
  }
  if (input.channelId && !input.channelId.startsWith('D')) {
    try {
      await deps.slack.postEphemeral({ channel: input.channelId, user: input.userId, ...message });
      return;
    } catch (err) {
      deps.logger.debug({ err }, 'ephemeral failed; sending a DM');
    }
  }
  await deps.slack.postMessage({ channel: input.userId, ...message });
}
