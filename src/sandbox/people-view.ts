import type { SandboxSession } from './session.js';
import type { FakeChannel } from './slack/types.js';

/**
 * Conversations in a person's sidebar, as in Slack: the channels they are a member of (public or
 * private) and their DM with the bot. Other public channels are found by browsing and joined.
 */
export function visibleChannels(s: Pick<SandboxSession, 'state'>, user: string): FakeChannel[] {
  return [...s.state.channels.values()].filter((c) => (c.isIm ? c.imUser === user : c.members.has(user)));
}

/** Public channels a person has not joined: listed under "Browse channels", previewed with a Join button. */
export function browsableChannels(s: Pick<SandboxSession, 'state'>, user: string): FakeChannel[] {
  return [...s.state.channels.values()].filter((c) => !c.isIm && !c.isMpim && !c.isPrivate && !c.archived && !c.members.has(user));
}

/** Unread: a message after the last one this person saw in that conversation. */
export function unread(s: Pick<SandboxSession, 'lastRead'>, user: string, channel: FakeChannel): boolean {
  const seen = s.lastRead.get(user)?.get(channel.id);
  const last = channel.messages.filter((m) => m.threadTs === undefined || m.threadTs === m.ts).at(-1);
  return last !== undefined && last.user !== user && (seen === undefined || Number(last.ts) > Number(seen));
}

/** Records that a person has seen a conversation up to its last message. */
export function markRead(s: Pick<SandboxSession, 'lastRead' | 'changed'>, user: string, channel: FakeChannel): void {
  const last = channel.messages.at(-1);
  if (!last) return;
  const reads = s.lastRead.get(user) ?? new Map<string, string>();
  if (reads.get(channel.id) === last.ts) return;
  reads.set(channel.id, last.ts);
  s.lastRead.set(user, reads);
  s.changed();
}

/** The bot's home view for a person, if it published one. */
export function homeView(s: Pick<SandboxSession, 'state'>, user: string): { id: string; view: Record<string, unknown> } | undefined {
  return [...s.state.views.values()].find((v) => v.type === 'home' && v.userId === user);
}
