import type { BotLink } from './bot-link.js';
import type { FakeState } from './slack/state.js';
import type { FakeChannel, FakeUser } from './slack/types.js';

/** A note to one person that Slack itself would show (a failed command, nothing due). */
export interface Notice {
  user: string;
  channel: string;
  ts: string;
  text: string;
}

/**
 * What the sandbox's parts share: the fake Slack's state, what Slack keeps per person (open
 * modals, inline errors, reads, notices), and the ways Slack reaches the bot. The `Sandbox`
 * class holds it; the files beside it (what a person sees, what a person does, what Slack does
 * around the bot's calls) take it.
 */
export interface SandboxSession {
  readonly state: FakeState;
  readonly bot: BotLink;
  /** Open modals per person, oldest first. */
  readonly modals: Map<string, string[]>;
  /** Inline errors of a modal's last submission, by view id. */
  readonly viewErrors: Map<string, Record<string, string>>;
  readonly lastRead: Map<string, Map<string, string>>;
  readonly notices: Notice[];
  /** Something a page shows may have changed (debounced save and redraw). */
  changed(): void;
  person(id: string): FakeUser | undefined;
  canSee(user: string, channelId: string): boolean;
  visibleChannels(user: string): FakeChannel[];
  /** A fresh trigger id, remembered as this person's (the modal it opens is theirs). */
  trigger(user: string): string;
  /** Where the bot's replies to this person's command or click go. */
  responseUrl(user: string, channelId: string): string;
  /** Delivers an Events API event to the bot. */
  sendEvent(event: Record<string, unknown>): Promise<void>;
}
