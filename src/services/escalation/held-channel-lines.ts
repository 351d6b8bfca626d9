/**
 * What an escalation step has to say in the incident channel ("Could not page …", "reached
 * nobody") when it ran before the channel existed: kept on the step's timeline entry and posted
 * once the channel is there, by whichever comes second (the step, the channel set-up), once.
 */
import type { Db } from '../../db/client.js';
import { claimHeldChannelLines, releaseHeldChannelLines } from '../../db/repos/timeline.js';
import type { Incident } from '../../domain/incident.js';
import type { MessageInput } from '../../slack-api/gateway-messages.js';

export type { HeldChannelLine } from '../../db/repos/timeline.js';

/** Posts the held lines of the incident's steps in its channel, oldest step first; a no-op without a channel. */
export async function postHeldChannelLines(
  deps: { db: Db },
  /** The run's `ctx.deliver`: "may it exist already?" is decided once, by run-action. */
  deliver: (key: string, input: MessageInput) => Promise<unknown>,
  incident: Pick<Incident, 'id' | 'channelId'>,
): Promise<void> {
  const channel = incident.channelId;
  if (!channel) return;
  for (const entry of await claimHeldChannelLines(deps.db, incident.id)) {
    for (const [i, line] of entry.lines.entries()) {
      try {
        // Tagged as the step would have tagged them: a retry after a lost answer adopts the line Slack has.
        await deliver(line.key, { channel, text: line.text });
      } catch (err) {
        await releaseHeldChannelLines(deps.db, entry.id, entry.lines.slice(i));
        throw err;
      }
    }
  }
}
