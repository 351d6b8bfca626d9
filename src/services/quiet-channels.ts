/** No link or media unfurls in the bot's posts to sensitive surfaces: the triage channel, and the channels of private or sensitive incidents. */
import { isSensitiveCategory, type Catalog } from '../blocks/catalog.js';
import type { Database } from '../db/client.js';
import { findIncidentByChannel } from '../db/repos/incidents.js';
import type { SlackGateway } from '../slack-api/gateway.js';
import type { MessageInput } from '../slack-api/gateway-messages.js';
import type { Incident } from '../domain/incident.js';

/** Whether what the bot posts about this incident goes without unfurls: it is private, or of a sensitive category. */
export function isQuietIncident(catalog: Pick<Catalog, 'categories'>, incident: Pick<Incident, 'isPrivate' | 'category'>): boolean {
  return incident.isPrivate || isSensitiveCategory(catalog, incident.category);
}

/**
 * Wraps the gateway so every chat.postMessage to a quiet channel (the triage channel, where
 * reports quote flagged URLs) or to an incident channel whose incident is private or of a
 * sensitive category goes with `unfurl_links: false, unfurl_media: false`: a flagged media URL,
 * a captured permalink or a pasted link must not preview distressing material there.
 */
export function withQuietIncidentChannels<G extends Pick<SlackGateway, 'postMessage' | 'postOnce'>>(
  slack: G,
  deps: { db: Database; catalog: Pick<Catalog, 'categories'>; quietChannels: ReadonlySet<string> },
): G {
  const quiet = async (input: MessageInput): Promise<MessageInput> => {
    if (input.unfurl !== undefined || !/^[CG]/.test(input.channel)) return input;
    if (deps.quietChannels.has(input.channel)) return { ...input, unfurl: false };
    const incident = await findIncidentByChannel(deps.db, input.channel);
    if (!incident) return input;
    return isQuietIncident(deps.catalog, incident) ? { ...input, unfurl: false } : input;
  };
  return {
    ...slack,
    postMessage: async (input: MessageInput) => slack.postMessage(await quiet(input)),
    postOnce: async (key: string, input: MessageInput, opts?: { mayExist?: boolean }) => slack.postOnce(key, await quiet(input), opts),
  };
}
