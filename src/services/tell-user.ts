import type { KnownBlock } from '@slack/types';
import type { Logger } from '../log.js';
import type { SlackGateway } from '../slack-api/gateway.js';

export interface TellUserDeps {
  slack: Pick<SlackGateway, 'postEphemeral' | 'postMessage'>;
  logger: Logger;
}

/**
 * An ephemeral note in the channel the person was working in (only they see it); a DM when
 * that is not possible (a DM channel, or a channel the bot is not in). Throws if both fail.
 */
export async function tellUser(
  deps: TellUserDeps,
  input: { channelId?: string | null; userId: string; text: string; blocks?: KnownBlock[] },
): Promise<void> {
  const message = { text: input.text, ...(input.blocks ? { blocks: input.blocks } : {}) };
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
