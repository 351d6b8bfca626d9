/** Who may read the triage queue: members of the triage channel (conversations.members, cached a minute) and admins. */
import { PermissionDenied } from '../../errors.js';
import type { IntakeDeps } from './deps.js';

const MEMBERS_TTL_MS = 60_000;

const NOT_A_TRIAGER =
  'Sorry, the reports waiting for triage are shown only to members of the triage channel and to Meridian admins. Ask to be added to the triage channel.';

/** Refuses (PermissionDenied) anyone who is neither an admin nor a member of the triage channel. */
export type TriageGate = (userId: string) => Promise<void>;

export function triageGate(deps: Pick<IntakeDeps, 'slack' | 'meridian' | 'triageChannelId' | 'logger' | 'clock'>): TriageGate {
  let cached: { channelId: string; members: ReadonlySet<string>; at: number } | undefined;

  async function membersOf(channelId: string): Promise<ReadonlySet<string>> {
    const now = deps.clock().getTime();
    if (cached && cached.channelId === channelId && now - cached.at < MEMBERS_TTL_MS) return cached.members;
    try {
      const members = new Set(await deps.slack.channelMembers(channelId));
      cached = { channelId, members, at: now };
      return members;
    } catch (err) {
      // The bot cannot read the channel (left it, or it is gone): nobody but admins is let in.
      deps.logger.warn({ err, channelId }, 'could not read the triage channel members; only admins may list reports');
      return new Set();
    }
  }

  return async (userId) => {
    if (deps.meridian.admins.includes(userId)) return;
    const channelId = deps.triageChannelId;
    if (channelId && (await membersOf(channelId)).has(userId)) return;
    throw new PermissionDenied(NOT_A_TRIAGER);
  };
}
