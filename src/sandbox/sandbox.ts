import { randomBytes } from 'node:crypto';
import { followBotCall } from './around-bot-calls.js';
import { BotLink, type BotLinkOrg } from './bot-link.js';
import { type DueActions, runDueNow } from './due-now.js';
import { type ActionPlace, blockAction, closeView, submitView } from './interactions.js';
import { browsableChannels, homeView, markRead, unread, visibleChannels } from './people-view.js';
import { messageShortcut } from './shortcuts.js';
import { compose, notify, openHome, pin, react, respond } from './person-actions.js';
import type { ElementInput } from './chosen-values.js';
import type { Notice, SandboxSession } from './session.js';
import { eventCallback } from './slack/requests.js';
import { type FakeSlack, startFakeSlack } from './slack/start.js';
import { BOT_USER_ID, TEAM_ID } from './slack/state.js';
import type { FakeChannel, RecordedCall } from './slack/types.js';
import { loadSandbox, saveSandbox } from './workspace-store.js';
import { pressKey, type SandboxDevices, textMeridian } from './phone-actions.js';
import {
  SANDBOX_ORG,
  SANDBOX_ORG_ADMIN,
  SANDBOX_PEOPLE,
  sandboxOrgPeople,
  type SeededChannels,
  seededChannels,
  seedWorkspace,
} from './workspace.js';
import { SHARE_CHANNEL_SCOPE } from '../slack-api/org-token.js';

export type { DueAction, DueActions } from './due-now.js';

/**
 * The sandbox's Slack: the fake Web API the tests use, with the people of the sandbox, the
 * modals each person has open, what each has read, and the link that sends the bot signed
 * requests as Slack would. Kept under `dir` across restarts.
 *
 * This class holds the state and keeps it saved; what a person sees (people-view.ts), what a
 * person does (person-actions.ts, interactions.ts), what Slack does around the bot's calls
 * (around-bot-calls.ts) and "Run due now" (due-now.ts) live beside it.
 */
export class Sandbox implements SandboxSession {
  readonly signingSecret = randomBytes(24).toString('hex');
  readonly bot: BotLink;
  readonly modals = new Map<string, string[]>();
  readonly viewErrors = new Map<string, Record<string, string>>();
  readonly lastRead = new Map<string, Map<string, string>>();
  readonly notices: Notice[] = [];
  private readonly triggerUsers = new Map<string, string>();
  private readonly listeners = new Set<() => void>();
  private saveTimer: NodeJS.Timeout | undefined;
  private eventSeq = 0;
  dueActions: DueActions | undefined;
  publicUrl = '';
  /** The fake Twilio and the mail server behind each person's phone and mailbox (none where real ones are set). */
  devices: SandboxDevices = { twilio: undefined, mailbox: undefined };

  private constructor(
    readonly token: string,
    readonly slack: FakeSlack,
    readonly channels: SeededChannels,
    private readonly dir: string,
    /** `SANDBOX_ORG=1`: an Enterprise Grid org of two workspaces, Meridian installed org-wide. */
    readonly org: boolean,
  ) {
    const link: BotLinkOrg = {
      enterpriseId: SANDBOX_ORG.enterprise.id,
      teamOf: (user, channel) =>
        (user === undefined ? undefined : slack.state.users.get(user)?.teamId) ??
        (channel === undefined ? undefined : slack.state.channels.get(channel)?.teamId) ??
        SANDBOX_ORG.teams[0].id,
    };
    this.bot = new BotLink(this.signingSecret, undefined, org ? link : undefined);
  }

  /** Opens the saved workspace under `dir`, or seeds a new one; `org`: a two-workspace Enterprise Grid org. */
  static async open(dir: string, opts: { org?: boolean } = {}): Promise<Sandbox> {
    const org = opts.org === true;
    const saved = loadSandbox(dir);
    let sandbox: Sandbox | undefined;
    const token = `xoxb-sandbox-${randomBytes(12).toString('hex')}`;
    const slack = await startFakeSlack({
      token,
      users: org ? sandboxOrgPeople() : SANDBOX_PEOPLE,
      realTimestamps: true,
      keepCalls: 200,
      ...(org ? { org: { enterprise: SANDBOX_ORG.enterprise, teams: SANDBOX_ORG.teams } } : {}),
      ...(saved === undefined ? {} : { restore: saved.slack }),
      onCall: (call) => sandbox?.onCall(call),
    });
    const channels = (saved && seededChannels(slack.state)) ?? seedWorkspace(slack.state);
    sandbox = new Sandbox(token, slack, channels, dir, org);
    for (const [user, reads] of Object.entries(saved?.lastRead ?? {})) sandbox.lastRead.set(user, new Map(Object.entries(reads)));
    sandbox.changed();
    return sandbox;
  }

  get state() {
    return this.slack.state;
  }

  /**
   * `SANDBOX_ORG=1`: the org admin installs Meridian org-wide through the bot's own OAuth
   * callback (as an install started from Slack's admin pages, without a state), granting the
   * admin scope that shares channels, then adds it to both workspaces (until then an org-wide
   * install reaches none). Done at every start: the fake's tokens live only as long as it runs.
   */
  async installOrgWide(botUrl: string): Promise<void> {
    const code = this.slack.grantInstall({ orgWide: true, installer: SANDBOX_ORG_ADMIN, userScopes: [SHARE_CHANNEL_SCOPE] });
    const done = await fetch(`${botUrl}/slack/oauth_redirect?code=${encodeURIComponent(code)}`);
    if (done.status !== 200) throw new Error(`the sandbox's org-wide install failed: HTTP ${done.status}`);
    const token = this.slack
      .tokens()
      .filter((t) => t.startsWith('xoxb-org-'))
      .at(-1);
    if (token === undefined) throw new Error("the sandbox's org-wide install minted no token");
    this.slack.addToWorkspaces(
      token,
      SANDBOX_ORG.teams.map((t) => t.id),
    );
  }

  /** Calls `listener` (debounced) whenever something a page shows may have changed. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const listener of this.listeners) listener();
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined;
      this.save();
    }, 250);
  }

  save(): void {
    const lastRead = Object.fromEntries([...this.lastRead].map(([u, m]) => [u, Object.fromEntries(m)]));
    saveSandbox(this.dir, { version: 1, slack: this.state.snapshot(), lastRead });
  }

  async close(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.save();
    await this.slack.close();
  }

  private onCall(call: RecordedCall): void {
    followBotCall(this, (triggerId) => this.triggerUsers.get(triggerId), call);
    this.changed();
  }

  // ---- how Slack reaches the bot ----

  trigger(user: string): string {
    const id = this.state.mintTriggerId();
    this.triggerUsers.set(id, user);
    if (this.triggerUsers.size > 500) this.triggerUsers.delete(this.triggerUsers.keys().next().value ?? '');
    return id;
  }

  /** The fake Slack serves response URLs itself: a reply reaches the person, member of the channel or not. */
  responseUrl(user: string, channelId: string): string {
    return this.slack.responseUrl(user, channelId);
  }

  async sendEvent(event: Record<string, unknown>): Promise<void> {
    this.eventSeq += 1;
    await this.bot.event(
      eventCallback({
        event,
        eventId: `Ev${Date.now().toString(36).toUpperCase()}${this.eventSeq}`,
        eventTime: Math.floor(Date.now() / 1000),
      }),
    );
  }

  // ---- what a person sees (people-view.ts) ----

  person(id: string) {
    return this.state.users.get(id);
  }

  visibleChannels(user: string): FakeChannel[] {
    return visibleChannels(this, user);
  }

  /** A member of the channel (or it is their DM): may post, react, pin and run commands there. */
  canSee(user: string, channelId: string): boolean {
    return this.visibleChannels(user).some((c) => c.id === channelId);
  }

  browsableChannels(user: string): FakeChannel[] {
    return browsableChannels(this, user);
  }

  /** May look at it: a member, or a public channel they could join (Slack's preview, with *Join*). */
  canPreview(user: string, channelId: string): boolean {
    return this.canSee(user, channelId) || this.browsableChannels(user).some((c) => c.id === channelId);
  }

  /** *Join channel*: the person becomes a member; the bot hears `member_joined_channel` where it is one. */
  async join(user: string, channelId: string): Promise<void> {
    const channel = this.state.channels.get(channelId);
    if (!channel || !this.browsableChannels(user).some((c) => c.id === channelId)) return;
    channel.members.add(user);
    this.changed();
    if (channel.members.has(BOT_USER_ID)) {
      await this.sendEvent({ type: 'member_joined_channel', user, channel: channelId, channel_type: 'C', team: TEAM_ID });
    }
  }

  /** A message shortcut picked from a message's menu. */
  messageShortcut(user: string, channelId: string, ts: string, callbackId: string): Promise<void> {
    return messageShortcut(this, user, channelId, ts, callbackId);
  }

  unread(user: string, channel: FakeChannel): boolean {
    return unread(this, user, channel);
  }

  markRead(user: string, channel: FakeChannel): void {
    markRead(this, user, channel);
  }

  homeView(user: string): { id: string; view: Record<string, unknown> } | undefined {
    return homeView(this, user);
  }

  // ---- what a person does (person-actions.ts, interactions.ts, due-now.ts) ----

  compose(user: string, channelId: string, text: string): Promise<void> {
    return compose(this, user, channelId, text);
  }

  respond(user: string, channelId: string, body: Record<string, unknown>): void {
    respond(this, user, channelId, body);
  }

  notify(user: string, channel: string, text: string): void {
    notify(this, user, channel, text);
  }

  blockAction(user: string, input: ActionPlace & ElementInput): Promise<void> {
    return blockAction(this, user, input);
  }

  submitView(user: string, viewId: string, raw: Record<string, string | string[]>): Promise<void> {
    return submitView(this, user, viewId, raw);
  }

  closeView(user: string, viewId: string): Promise<void> {
    return closeView(this, user, viewId);
  }

  react(user: string, channelId: string, ts: string, name: string): Promise<void> {
    return react(this, user, channelId, ts, name);
  }

  pin(user: string, channelId: string, ts: string): Promise<void> {
    return pin(this, user, channelId, ts);
  }

  openHome(user: string): Promise<void> {
    return openHome(this, user);
  }

  /** A text from the person's sandbox phone to Meridian's number. */
  textMeridian(user: string, text: string): Promise<void> {
    return textMeridian(this.devices, user, text);
  }

  /** A key pressed on a call to the person's sandbox phone. */
  pressKey(user: string, callSid: string, digits: string): Promise<void> {
    return pressKey(this.devices, user, callSid, digits);
  }

  /** Runs the earliest scheduled action now, and says what it was. */
  runDueNow(user: string, channelId: string): Promise<void> {
    return runDueNow(this.dueActions, (text) => this.notify(user, channelId, text));
  }
}
