/** No link or media unfurls in the bot's posts to the channels of private or sensitive incidents. */
import { isSensitiveCategory, type Catalog } from '../blocks/catalog.js';
import type { Database } from '../db/client.js';
import { findIncidentByChannel } from '../db/repos/incidents.js';
import type { SlackGateway } from '../slack-api/gateway.js';
import type { MessageInput } from '../slack-api/gateway-messages.js';

/**
 * Wraps the gateway so every chat.postMessage to an incident channel whose incident is private
 * or of a sensitive category goes with `unfurl_links: false, unfurl_media: false`: a captured
 * permalink or a pasted link must not preview distressing material.
 */
export function withQuietIncidentChannels<G extends Pick<SlackGateway, 'postMessage' | 'postOnce'>>(
  slack: G,
  deps: { db: Database; catalog: Pick<Catalog, 'categories'> },
): G {
  const quiet = async (input: MessageInput): Promise<MessageInput> => {
    if (input.unfurl !== undefined || !/^[CG]/.test(input.channel)) return input;
    const incident = await findIncidentByChannel(deps.db, input.channel);
    if (!incident) return input;
    return incident.isPrivate || isSensitiveCategory(deps.catalog, incident.category) ? { ...input, unfurl: false } : input;
  };
  return {
    ...slack,
    postMessage: async (input: MessageInput) => slack.postMessage(await quiet(input)),
    postOnce: async (key: string, input: MessageInput, opts?: { mayExist?: boolean }) => slack.postOnce(key, await quiet(input), opts),
  };
}
