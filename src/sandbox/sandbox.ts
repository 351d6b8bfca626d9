import { randomBytes } from 'node:crypto';
import { BotLink, type BotAnswer } from './bot-link.js';
import { zonedToEpochSeconds as zonedSeconds } from './page/zone-time.js';
import { loadSandbox, saveSandbox } from './workspace-store.js';
import { type FakeSlack, startFakeSlack } from './slack/start.js';
import { BOT_USER_ID, TEAM_ID } from './slack/state.js';
import type { FakeChannel, FakeMessage, RecordedCall } from './slack/types.js';
import { SANDBOX_PEOPLE, type SeededChannels, seededChannels, seedWorkspace } from './workspace.js';

const APP_ID = 'A0MERIDIAN';
const TEAM_DOMAIN = 'meridian-sandbox';

/** What is due next in the bot's queue, as the "Run due now" control shows it. */
export interface DueAction {
  kind: string;
  dueAt: Date;
}

/** The bot's scheduled actions, as the wiring hands them to the sandbox (it imports nothing of the bot). */
export interface DueActions {
  next(): Promise<DueAction | undefined>;
  /** Makes the earliest delayed action due now; returns it, or undefined when nothing waits. */
  runNext(): Promise<DueAction | undefined>;
}

/** A note to one person that Slack itself would show (a failed command, nothing due). */
interface Notice {
  user: string;
  channel: string;
  ts: string;
  text: string;
}

/**
 * The sandbox's Slack: the fake Web API the tests use, with the people of the sandbox, the
 * modals each person has open, what each has read, and the link that sends the bot signed
 * requests as Slack would. Kept under `dir` across restarts.
 */
export class Sandbox {
  readonly signingSecret = randomBytes(24).toString('hex');
  readonly bot: BotLink;
  /** Open modals per person, oldest first. */
  readonly modals = new Map<string, string[]>();
  /** Inline errors of a modal's last submission, by view id. */
  readonly viewErrors = new Map<string, Record<string, string>>();
  readonly lastRead = new Map<string, Map<string, string>>();
  readonly notices: Notice[] = [];
  private readonly triggerUsers = new Map<string, string>();
  private readonly listeners = new Set<() => void>();
  private saveTimer: NodeJS.Timeout | undefined;
  private eventSeq = 0;
  dueActions: DueActions | undefined;
  publicUrl = '';

  private constructor(
    readonly token: string,
    readonly slack: FakeSlack,
    readonly channels: SeededChannels,
    private readonly dir: string,
  ) {
    this.bot = new BotLink(this.signingSecret);
  }

  /** Opens the saved workspace under `dir`, or seeds a new one. */
  static async open(dir: string): Promise<Sandbox> {
    const saved = loadSandbox(dir);
    let sandbox: Sandbox | undefined;
    const token = `xoxb-sandbox-${randomBytes(12).toString('hex')}`;
    const slack = await startFakeSlack({
      token,
      users: SANDBOX_PEOPLE,
      realTimestamps: true,
      keepCalls: 200,
      ...(saved === undefined ? {} : { restore: saved.slack }),
      onCall: (call) => sandbox?.onCall(call),
    });
    const channels = (saved && seededChannels(slack.state)) ?? seedWorkspace(slack.state);
    sandbox = new Sandbox(token, slack, channels, dir);
    for (const [user, reads] of Object.entries(saved?.lastRead ?? {})) sandbox.lastRead.set(user, new Map(Object.entries(reads)));
    sandbox.changed();
    return sandbox;
  }

  get state() {
    return this.slack.state;
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

  /** What Slack does around the bot's calls: a modal opens for whoever clicked, invitees "join". */
  private onCall(call: RecordedCall): void {
    const ok = typeof call.response === 'object' && call.response !== null && (call.response as { ok?: boolean }).ok === true;
    if (ok && (call.method === 'views.open' || call.method === 'views.push')) {
      const user = this.triggerUsers.get(String(call.args['trigger_id']));
      const viewId = (call.response as { view?: { id?: string } }).view?.id;
      if (user && viewId) {
        const stack = this.modals.get(user) ?? [];
        if (call.method === 'views.open') stack.length = 0;
        stack.push(viewId);
        this.modals.set(user, stack);
      }
    }
    if (ok && call.method === 'views.update') {
      const viewId = (call.response as { view?: { id?: string } }).view?.id;
      if (viewId) this.viewErrors.delete(viewId);
    }
    if (ok && call.method === 'conversations.invite') {
      const channel = String(call.args['channel']);
      const users = String(call.args['users'] ?? '')
        .split(',')
        .filter(Boolean);
      for (const user of users) void this.sendEvent({ type: 'member_joined_channel', user, channel, channel_type: 'C', team: TEAM_ID });
    }
    this.changed();
  }

  // ---- what a person sees ----

  person(id: string) {
    return this.state.users.get(id);
  }

  /** Conversations a person sees: public channels, private ones they are in, their DM with the bot. */
  visibleChannels(user: string): FakeChannel[] {
    return [...this.state.channels.values()].filter((c) => {
      if (c.isIm) return c.imUser === user;
      if (c.isMpim || c.isPrivate) return c.members.has(user);
      return true;
    });
  }

  canSee(user: string, channelId: string): boolean {
    return this.visibleChannels(user).some((c) => c.id === channelId);
  }

  /** Unread: a message after the last one this person saw in that conversation. */
  unread(user: string, channel: FakeChannel): boolean {
    const seen = this.lastRead.get(user)?.get(channel.id);
    const last = channel.messages.filter((m) => m.threadTs === undefined || m.threadTs === m.ts).at(-1);
    return last !== undefined && last.user !== user && (seen === undefined || Number(last.ts) > Number(seen));
  }

  markRead(user: string, channel: FakeChannel): void {
    const last = channel.messages.at(-1);
    if (!last) return;
    const reads = this.lastRead.get(user) ?? new Map<string, string>();
    if (reads.get(channel.id) === last.ts) return;
    reads.set(channel.id, last.ts);
    this.lastRead.set(user, reads);
    this.changed();
  }

  // ---- what a person does ----

  /** The composer: a slash command goes to the bot, anything else is a message in the channel. */
  async compose(user: string, channelId: string, text: string): Promise<void> {
    const channel = this.state.channels.get(channelId);
    if (!channel || !this.canSee(user, channelId)) return;
    const command = /^(\/[a-z0-9_-]+)(?:\s+([\s\S]*))?$/i.exec(text.trim());
    if (command?.[1]) return this.slashCommand(user, channel, command[1].toLowerCase(), command[2] ?? '');
    if (!channel.isIm) channel.members.add(user);
    // Slack stores what a person types escaped.
    const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    this.state.postUserMessage(channel, user, { text: escaped });
    this.markRead(user, channel);
    this.changed();
  }

  private async slashCommand(user: string, channel: FakeChannel, command: string, text: string): Promise<void> {
    if (!['/incident', '/oncall'].includes(command)) {
      return this.notify(user, channel.id, `${command} is not a valid command. Meridian answers /incident and /oncall.`);
    }
    const person = this.person(user);
    const answer = await this.bot.form({
      token: 'sandbox-verification-token',
      team_id: TEAM_ID,
      team_domain: TEAM_DOMAIN,
      channel_id: channel.id,
      channel_name: channel.isIm ? 'directmessage' : channel.name,
      user_id: user,
      user_name: person?.name ?? user,
      command,
      text,
      api_app_id: APP_ID,
      is_enterprise_install: 'false',
      response_url: this.responseUrl(user, channel.id),
      trigger_id: this.trigger(user),
    });
    this.showAck(user, channel.id, command, answer);
  }

  /** A command's or an action's synchronous answer, shown to that person only, as Slack does. */
  private showAck(user: string, channelId: string, what: string, answer: BotAnswer): void {
    if (answer.status !== 200) {
      this.notify(user, channelId, `${what} failed with the error "${answer.status === 0 ? 'operation_timeout' : 'dispatch_failed'}".`);
      return;
    }
    if (answer.json) this.respond(user, channelId, answer.json);
  }

  /** A message sent to a response_url (or in an ack): ephemeral unless `in_channel`. */
  respond(user: string, channelId: string, body: Record<string, unknown>): void {
    const channel = this.state.channels.get(channelId);
    const text = typeof body['text'] === 'string' ? body['text'] : '';
    const blocks = Array.isArray(body['blocks']) ? body['blocks'] : undefined;
    if (!channel || (text === '' && !blocks)) return;
    if (body['response_type'] === 'in_channel') this.state.postMessage(channel, { text, blocks });
    else this.state.ephemerals.push({ messageTs: this.state.nextTs(), channel: channelId, user, text, blocks });
    this.changed();
  }

  notify(user: string, channel: string, text: string): void {
    this.notices.push({ user, channel, ts: this.state.nextTs(), text });
    if (this.notices.length > 100) this.notices.shift();
    this.changed();
  }

  /** A button, select, overflow, checkbox or date in a message or a modal. */
  async blockAction(
    user: string,
    input: {
      channelId?: string;
      messageTs?: string;
      viewId?: string;
      blockId: string;
      actionId: string;
      type: string;
      value: string | string[];
    },
  ): Promise<void> {
    const view = input.viewId ? this.state.views.get(input.viewId) : undefined;
    const channel = input.channelId ? this.state.channels.get(input.channelId) : undefined;
    const message = channel?.messages.find((m) => m.ts === input.messageTs);
    const ephemeral =
      channel && !message ? this.state.ephemerals.find((e) => e.messageTs === input.messageTs && e.user === user) : undefined;
    if (!view && !message && !ephemeral) return;
    const action = this.actionPayload(input, view?.view['blocks'] ?? message?.blocks ?? ephemeral?.blocks);
    const container = view
      ? { type: 'view', view_id: view.id }
      : { type: 'message', message_ts: input.messageTs, channel_id: input.channelId, is_ephemeral: ephemeral !== undefined };
    const answer = await this.bot.payload({
      type: 'block_actions',
      team: { id: TEAM_ID, domain: TEAM_DOMAIN },
      user: this.userOf(user),
      api_app_id: APP_ID,
      token: 'sandbox-verification-token',
      container,
      trigger_id: this.trigger(user),
      ...(channel ? { channel: { id: channel.id, name: channel.name } } : {}),
      ...(message ? { message: this.messageJson(message) } : {}),
      ...(view ? { view: this.viewPayload(view.id, {}) } : {}),
      ...(channel ? { response_url: this.responseUrl(user, channel.id) } : {}),
      actions: [action],
      is_enterprise_install: false,
      enterprise: null,
    });
    if (answer.status !== 200 && channel) this.notify(user, channel.id, 'That did not work: the app did not answer in time.');
  }

  /** Submits the top modal; the bot's ack decides: close, inline errors, update, push or clear. */
  async submitView(user: string, viewId: string, raw: Record<string, string | string[]>): Promise<void> {
    const stored = this.state.views.get(viewId);
    const stack = this.modals.get(user) ?? [];
    if (!stored || !stack.includes(viewId)) return;
    const { values, missing } = this.stateValues(stored.view, raw, this.person(user)?.tz ?? 'UTC');
    if (Object.keys(missing).length > 0) {
      // Slack itself refuses an empty required field, before the app hears anything.
      this.viewErrors.set(viewId, missing);
      this.changed();
      return;
    }
    const answer = await this.bot.payload({
      type: 'view_submission',
      team: { id: TEAM_ID, domain: TEAM_DOMAIN },
      user: this.userOf(user),
      api_app_id: APP_ID,
      token: 'sandbox-verification-token',
      trigger_id: this.trigger(user),
      view: this.viewPayload(viewId, values),
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    });
    if (answer.status !== 200) {
      this.viewErrors.set(viewId, { [firstInputBlock(stored.view) ?? '']: 'We had some trouble connecting. Try again?' });
      this.changed();
      return;
    }
    const ack = answer.json ?? {};
    const action = ack['response_action'];
    if (action === 'errors' && typeof ack['errors'] === 'object' && ack['errors'] !== null) {
      this.viewErrors.set(viewId, ack['errors'] as Record<string, string>);
    } else if (action === 'update' && typeof ack['view'] === 'object' && ack['view'] !== null) {
      stored.view = ack['view'] as Record<string, unknown>;
      stored.hash = this.state.nextHash();
      this.viewErrors.delete(viewId);
    } else if (action === 'push' && typeof ack['view'] === 'object' && ack['view'] !== null) {
      const pushed = {
        id: this.state.nextId('V'),
        hash: this.state.nextHash(),
        type: 'modal',
        view: ack['view'] as Record<string, unknown>,
      };
      this.state.views.set(pushed.id, pushed);
      stack.push(pushed.id);
    } else if (action === 'clear') {
      stack.length = 0;
    } else {
      stack.splice(stack.indexOf(viewId));
      this.viewErrors.delete(viewId);
    }
    this.changed();
  }

  /** Closes the top modal (Cancel), telling the bot when the view asked for it. */
  async closeView(user: string, viewId: string): Promise<void> {
    const stack = this.modals.get(user) ?? [];
    const at = stack.indexOf(viewId);
    if (at === -1) return;
    stack.splice(at);
    this.viewErrors.delete(viewId);
    this.changed();
    const stored = this.state.views.get(viewId);
    if (stored?.view['notify_on_close'] === true) {
      await this.bot.payload({
        type: 'view_closed',
        team: { id: TEAM_ID, domain: TEAM_DOMAIN },
        user: this.userOf(user),
        api_app_id: APP_ID,
        view: this.viewPayload(viewId, {}),
        is_cleared: false,
      });
    }
  }

  /** A reaction by a person; the bot hears `reaction_added` where it is a member. */
  async react(user: string, channelId: string, ts: string, name: string): Promise<void> {
    const channel = this.state.channels.get(channelId);
    const message = channel?.messages.find((m) => m.ts === ts);
    if (!channel || !message || !this.canSee(user, channelId)) return;
    if (!this.state.addReaction(message, user, name)) return;
    this.changed();
    if (channel.members.has(BOT_USER_ID)) {
      await this.sendEvent({
        type: 'reaction_added',
        user,
        reaction: name,
        item: { type: 'message', channel: channelId, ts },
        item_user: message.user,
        event_ts: this.state.nextTs(),
      });
    }
  }

  /** A pin by a person; the bot hears `pin_added`. */
  async pin(user: string, channelId: string, ts: string): Promise<void> {
    const channel = this.state.channels.get(channelId);
    const message = channel?.messages.find((m) => m.ts === ts);
    if (!channel || !message || channel.pins.has(ts) || !this.canSee(user, channelId)) return;
    channel.pins.add(ts);
    this.changed();
    if (channel.members.has(BOT_USER_ID)) {
      await this.sendEvent({
        type: 'pin_added',
        user,
        channel_id: channelId,
        item: {
          type: 'message',
          channel: channelId,
          created: Math.floor(Date.now() / 1000),
          created_by: user,
          message: this.messageJson(message),
        },
        event_ts: this.state.nextTs(),
      });
    }
  }

  /** Opening the app's Home tab: Slack tells the bot, which publishes the view. */
  async openHome(user: string): Promise<void> {
    await this.sendEvent({
      type: 'app_home_opened',
      user,
      channel: this.state.dmWith([user]).id,
      tab: 'home',
      event_ts: this.state.nextTs(),
    });
  }

  /** The bot's home view for a person, if it published one. */
  homeView(user: string): { id: string; view: Record<string, unknown> } | undefined {
    return [...this.state.views.values()].find((v) => v.type === 'home' && v.userId === user);
  }

  /** Runs the earliest scheduled action now, and says what it was. */
  async runDueNow(user: string, channelId: string): Promise<void> {
    const ran = await this.dueActions?.runNext();
    this.notify(
      user,
      channelId,
      ran
        ? `Ran the next scheduled action now: ${ran.kind} (it was due ${ran.dueAt.toISOString()}).`
        : 'Nothing is scheduled: there is nothing to run.',
    );
  }

  // ---- payload parts ----

  private async sendEvent(event: Record<string, unknown>): Promise<void> {
    this.eventSeq += 1;
    await this.bot.event({
      token: 'sandbox-verification-token',
      team_id: TEAM_ID,
      api_app_id: APP_ID,
      event,
      type: 'event_callback',
      event_id: `Ev${Date.now().toString(36).toUpperCase()}${this.eventSeq}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    });
  }

  private trigger(user: string): string {
    const id = this.state.mintTriggerId();
    this.triggerUsers.set(id, user);
    if (this.triggerUsers.size > 500) this.triggerUsers.delete(this.triggerUsers.keys().next().value ?? '');
    return id;
  }

  private responseUrl(user: string, channelId: string): string {
    return `${this.publicUrl}/sandbox/respond?user=${encodeURIComponent(user)}&channel=${encodeURIComponent(channelId)}`;
  }

  private userOf(user: string): Record<string, unknown> {
    const name = this.person(user)?.name ?? user;
    return { id: user, username: name, name, team_id: TEAM_ID };
  }

  private messageJson(message: FakeMessage): Record<string, unknown> {
    return {
      type: 'message',
      ts: message.ts,
      user: message.user,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks } : {}),
    };
  }

  private viewPayload(viewId: string, values: Record<string, Record<string, unknown>>): Record<string, unknown> {
    const stored = this.state.views.get(viewId);
    const view = stored?.view ?? {};
    const stack = [...this.modals.values()].find((s) => s.includes(viewId)) ?? [viewId];
    const at = stack.indexOf(viewId);
    return {
      ...view,
      id: viewId,
      team_id: TEAM_ID,
      type: stored?.type ?? 'modal',
      private_metadata: view['private_metadata'] ?? '',
      callback_id: view['callback_id'] ?? '',
      state: { values },
      hash: stored?.hash ?? '',
      previous_view_id: at > 0 ? (stack[at - 1] ?? null) : null,
      root_view_id: stack[0] ?? viewId,
      app_id: APP_ID,
      external_id: stored?.externalId ?? '',
      app_installed_team_id: TEAM_ID,
      bot_id: 'B0MERIDIAN',
    };
  }

  /** The element an action came from, with what was chosen, as Slack reports it. */
  private actionPayload(
    input: { blockId: string; actionId: string; type: string; value: string | string[] },
    blocks: unknown,
  ): Record<string, unknown> {
    const el = findElement(blocks, input.blockId, input.actionId) ?? {};
    const base = { type: input.type, action_id: input.actionId, block_id: input.blockId, action_ts: `${Date.now() / 1000}` };
    const one = Array.isArray(input.value) ? (input.value[0] ?? '') : input.value;
    switch (input.type) {
      case 'button':
        return { ...base, value: one, text: el['text'] ?? { type: 'plain_text', text: '' } };
      case 'static_select':
      case 'overflow':
      case 'radio_buttons':
        return { ...base, selected_option: optionByValue(el, one) ?? null };
      case 'checkboxes': {
        const chosen = Array.isArray(input.value) ? input.value : [input.value];
        return { ...base, selected_options: chosen.map((v) => optionByValue(el, v)).filter(Boolean) };
      }
      case 'users_select':
        return { ...base, selected_user: one };
      case 'conversations_select':
        return { ...base, selected_conversation: one };
      case 'channels_select':
        return { ...base, selected_channel: one };
      case 'datepicker':
        return { ...base, selected_date: one };
      case 'timepicker':
        return { ...base, selected_time: one };
      default:
        return { ...base, value: one };
    }
  }

  /** A modal's inputs as `view.state.values`, and which required ones are empty. */
  private stateValues(
    view: Record<string, unknown>,
    raw: Record<string, string | string[]>,
    tz: string,
  ): { values: Record<string, Record<string, unknown>>; missing: Record<string, string> } {
    const values: Record<string, Record<string, unknown>> = {};
    const missing: Record<string, string> = {};
    const blocks = Array.isArray(view['blocks']) ? (view['blocks'] as Array<Record<string, unknown>>) : [];
    blocks.forEach((block, index) => {
      if (block['type'] !== 'input') return;
      const blockId = typeof block['block_id'] === 'string' ? block['block_id'] : `b${index}`;
      const el = (block['element'] ?? {}) as Record<string, unknown>;
      const actionId = typeof el['action_id'] === 'string' ? el['action_id'] : 'value';
      const got = raw[`${blockId}/${actionId}`];
      const all = (Array.isArray(got) ? got : got === undefined ? [] : [got]).filter((v) => v !== '');
      const first = all[0];
      const type = String(el['type']);
      values[blockId] = { [actionId]: elementValue(type, el, all, first, tz) };
      if (block['optional'] !== true && all.length === 0) missing[blockId] = 'Please complete this required field.';
    });
    return { values, missing };
  }
}

function elementValue(
  type: string,
  el: Record<string, unknown>,
  all: string[],
  first: string | undefined,
  tz: string,
): Record<string, unknown> {
  switch (type) {
    case 'static_select':
    case 'radio_buttons':
      return { type, selected_option: first === undefined ? null : (optionByValue(el, first) ?? null) };
    case 'checkboxes':
      return { type, selected_options: all.map((v) => optionByValue(el, v)).filter(Boolean) };
    case 'users_select':
      return { type, selected_user: first ?? null };
    case 'multi_users_select':
      return { type, selected_users: all };
    case 'conversations_select':
      return { type, selected_conversation: first ?? null };
    case 'channels_select':
      return { type, selected_channel: first ?? null };
    case 'datepicker':
      return { type, selected_date: first ?? null };
    case 'timepicker':
      return { type, selected_time: first ?? null, timezone: tz };
    case 'datetimepicker':
      return { type, selected_date_time: first === undefined ? null : (zonedSeconds(first, tz) ?? null) };
    default:
      return { type, value: first ?? null };
  }
}

function optionByValue(el: Record<string, unknown>, value: string): Record<string, unknown> | undefined {
  const groups = Array.isArray(el['option_groups']) ? (el['option_groups'] as Array<Record<string, unknown>>) : [];
  const options = (
    groups.length ? groups.flatMap((g) => (g['options'] as unknown[]) ?? []) : ((el['options'] as unknown[]) ?? [])
  ) as Array<Record<string, unknown>>;
  return options.find((o) => o['value'] === value);
}

function findElement(blocks: unknown, blockId: string, actionId: string): Record<string, unknown> | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const [index, block] of (blocks as Array<Record<string, unknown>>).entries()) {
    const id = typeof block['block_id'] === 'string' ? block['block_id'] : `b${index}`;
    if (id !== blockId) continue;
    const candidates = [block['accessory'], block['element'], ...((block['elements'] as unknown[]) ?? [])];
    for (const el of candidates) {
      if (typeof el === 'object' && el !== null && (el as Record<string, unknown>)['action_id'] === actionId)
        return el as Record<string, unknown>;
    }
  }
  return undefined;
}

function firstInputBlock(view: Record<string, unknown>): string | undefined {
  const blocks = Array.isArray(view['blocks']) ? (view['blocks'] as Array<Record<string, unknown>>) : [];
  const input = blocks.find((b) => b['type'] === 'input');
  return typeof input?.['block_id'] === 'string' ? input['block_id'] : undefined;
}
