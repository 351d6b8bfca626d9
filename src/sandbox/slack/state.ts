import type { ConversationType } from '../../slack-api/method-scopes.js';
import type { FakeChannel, FakeEphemeral, FakeCanvas, FakeFile, FakeMessage, FakeUser, FakeView } from './types.js';

/** The bot user the fake token belongs to. */
export const BOT_USER_ID = 'U0MERIDIAN';
export const BOT_ID = 'B0MERIDIAN';
export const TEAM_ID = 'T0MERIDIAN';
export const TEAM_NAME = 'Meridian Test';

/** Users every fake starts with unless the test passes its own list. */
export const DEFAULT_FAKE_USERS: readonly FakeUser[] = [
  { id: 'U0DECL001', name: 'dana', realName: 'Dana Declarer', tz: 'Europe/Dublin', email: 'dana@example.com' },
  { id: 'U0RESP001', name: 'rui', realName: 'Rui Responder', tz: 'Europe/Dublin', email: 'rui@example.com' },
  { id: 'U0RESP002', name: 'sia', realName: 'Sia Responder', tz: 'Europe/Dublin', email: 'sia@example.com' },
  { id: 'U0LEGAL01', name: 'lee', realName: 'Lee Legal', tz: 'Europe/Dublin', email: 'lee@example.com' },
];

/** What {@link FakeState.snapshot} writes: Sets as arrays, file bytes as base64. */
export interface StateSnapshot {
  seq: number;
  tsSeq: number;
  lastRealTs: number;
  users: Array<Required<Omit<FakeUser, 'email'>> & { email?: string }>;
  usergroups: Array<[string, string[]]>;
  channels: Array<Omit<FakeChannel, 'members' | 'pins'> & { members: string[]; pins: string[] }>;
  views: FakeView[];
  ephemerals: FakeEphemeral[];
  files: Array<Omit<FakeFile, 'content'> & { content: string | undefined }>;
  /** Absent in snapshots saved before canvases. */
  canvases?: FakeCanvas[];
}

/** One installation of the app: its bot token's scopes, and whether Slack revoked the token. */
export interface FakeInstall {
  scopes: Set<string>;
  revoked: boolean;
  /**
   * An org-wide install (Enterprise Grid): one token for every workspace in `teams`, which the
   * org admin adds after installing (none at first: "looks connected but never responds").
   * Calls that must name a workspace need `team_id` with it.
   */
  orgWide?: boolean;
  /** The workspaces the token reaches: the one it was installed in, or those the org admin added. */
  teams: Set<string>;
}

/** A workspace of the fake (one, or several in an Enterprise Grid org). */
export interface FakeTeam {
  id: string;
  name: string;
  domain: string;
}

/** The org the fake's workspaces belong to, when it plays an Enterprise Grid org. */
export interface FakeEnterprise {
  id: string;
  name: string;
}

/** Trigger ids live 3 s in Slack. */
export const TRIGGER_TTL_MS = 3_000;

/**
 * Everything the fake workspace remembers. Methods read and change it; tests inspect it.
 * Ids are sequential so failures are easy to read, and timestamps only ever increase.
 */
export class FakeState {
  readonly users = new Map<string, Required<Omit<FakeUser, 'email'>> & { email?: string }>();
  readonly usergroups = new Map<string, string[]>();
  readonly channels = new Map<string, FakeChannel>();
  readonly views = new Map<string, FakeView>();
  readonly ephemerals: FakeEphemeral[] = [];
  readonly files = new Map<string, FakeFile>();
  readonly canvases = new Map<string, FakeCanvas>();
  /** trigger id -> minted at (ms since epoch); moved to `exchangedTriggers` once used. */
  readonly triggers = new Map<string, number>();
  readonly exchangedTriggers = new Set<string>();
  /** Bot token -> its installation. A token not here answers `invalid_auth`. */
  readonly installs = new Map<string, FakeInstall>();
  /** The workspaces, the first one the default for users and channels. */
  readonly teams = new Map<string, FakeTeam>([[TEAM_ID, { id: TEAM_ID, name: TEAM_NAME, domain: 'meridian-test' }]]);
  /** Set when the fake is an Enterprise Grid org. */
  enterprise: FakeEnterprise | undefined;
  private seq = 0;
  private tsSeq = 0;
  /** Last ts handed out with real time, so timestamps stay unique and increasing. */
  private lastRealTs = 0;

  /**
   * `realTimestamps`: message timestamps are the wall clock, as in Slack (the sandbox); off, they
   * count up from a fixed epoch so test failures read the same every run.
   */
  constructor(
    users: readonly FakeUser[],
    private readonly opts: { realTimestamps?: boolean; org?: { enterprise: FakeEnterprise; teams: readonly FakeTeam[] } } = {},
  ) {
    if (opts.org !== undefined) {
      this.teams.clear();
      for (const team of opts.org.teams) this.teams.set(team.id, team);
      this.enterprise = opts.org.enterprise;
    }
    this.addUser({ id: BOT_USER_ID, name: 'meridian', realName: 'Meridian', isBot: true });
    for (const user of users) this.addUser(user);
  }

  /** Adds (or replaces) a workspace member. */
  addUser(user: FakeUser): void {
    this.users.set(user.id, {
      id: user.id,
      name: user.name,
      realName: user.realName ?? user.name,
      tz: user.tz ?? 'Europe/Dublin',
      isBot: user.isBot ?? false,
      teamId: user.teamId ?? this.defaultTeamId(),
      ...(user.email === undefined ? {} : { email: user.email }),
    });
  }

  /** The first workspace: where users and conversations live unless said otherwise. */
  defaultTeamId(): string {
    return this.teams.keys().next().value ?? TEAM_ID;
  }

  /** Next id with a prefix, e.g. `C0000000003`. */
  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${String(this.seq).padStart(10, '0')}`;
  }

  /** Unique, strictly increasing message timestamp in Slack's `seconds.micros` form. */
  nextTs(): string {
    if (this.opts.realTimestamps === true) {
      // Microseconds since the epoch, one more than the last when two messages share a millisecond.
      this.lastRealTs = Math.max(Date.now() * 1000, this.lastRealTs + 1);
      return `${Math.floor(this.lastRealTs / 1_000_000)}.${String(this.lastRealTs % 1_000_000).padStart(6, '0')}`;
    }
    this.tsSeq += 1;
    const micros = (this.tsSeq * 100) % 1_000_000;
    return `${1_700_000_000 + this.tsSeq}.${String(micros).padStart(6, '0')}`;
  }

  /** Creates a conversation. The creator (the bot, unless said otherwise) is a member. */
  addChannel(input: {
    /** A fixed id (a config names it); otherwise the next free one. */
    id?: string;
    name: string;
    isPrivate?: boolean;
    members?: readonly string[];
    botIsMember?: boolean;
    kind?: 'channel' | 'im' | 'mpim';
    imUser?: string;
    teamId?: string;
  }): FakeChannel {
    const kind = input.kind ?? 'channel';
    const prefix = kind === 'im' ? 'D' : kind === 'mpim' ? 'G' : 'C';
    const members = new Set(input.members ?? []);
    if (input.botIsMember ?? true) members.add(BOT_USER_ID);
    const channel: FakeChannel = {
      id: input.id ?? this.nextId(prefix),
      name: input.name,
      isPrivate: kind !== 'channel' || (input.isPrivate ?? false),
      isIm: kind === 'im',
      isMpim: kind === 'mpim',
      ...(input.imUser === undefined ? {} : { imUser: input.imUser }),
      topic: '',
      created: Math.floor(Date.now() / 1000),
      creator: BOT_USER_ID,
      members,
      archived: false,
      pins: new Set(),
      messages: [],
      teamId: input.teamId ?? this.defaultTeamId(),
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** A channel by name, archived ones included (Slack keeps their names taken). */
  channelByName(name: string): FakeChannel | undefined {
    for (const channel of this.channels.values()) {
      if (!channel.isIm && !channel.isMpim && channel.name === name) return channel;
    }
    return undefined;
  }

  /** The stable DM (or group DM) between the bot and these users, created on first use. */
  dmWith(userIds: readonly string[], teamId?: string): FakeChannel {
    const key = [...new Set(userIds)].sort().join(',');
    for (const channel of this.channels.values()) {
      if ((channel.isIm || channel.isMpim) && channel.name === key) return channel;
    }
    const single = userIds.length === 1;
    // A DM lives in a workspace of the person's (Enterprise Grid): theirs unless the call named one.
    const home = teamId ?? (single && userIds[0] !== undefined ? this.users.get(userIds[0])?.teamId : undefined);
    return this.addChannel({
      ...(home === undefined ? {} : { teamId: home }),
      name: key,
      kind: single ? 'im' : 'mpim',
      members: userIds,
      ...(single && userIds[0] !== undefined ? { imUser: userIds[0] } : {}),
    });
  }

  /** Installs the app with these scopes under `token` (a reinstall keeps the token and replaces its scopes, as Slack does). */
  install(token: string, scopes: Iterable<string>, opts: { orgWide?: boolean; teamId?: string } = {}): FakeInstall {
    const teams = opts.orgWide === true ? [] : [opts.teamId ?? this.defaultTeamId()];
    const install: FakeInstall = { scopes: new Set(scopes), revoked: false, orgWide: opts.orgWide === true, teams: new Set(teams) };
    this.installs.set(token, install);
    return install;
  }

  /**
   * The conversation type of a `channel` argument, as Slack's scopes split them: a user id is
   * the DM with that user; `undefined` for an id the workspace does not have.
   */
  conversationType(channelId: string): ConversationType | undefined {
    if (/^[UW]/.test(channelId)) return 'im';
    const channel = this.channels.get(channelId);
    if (channel === undefined) return undefined;
    if (channel.isIm) return 'im';
    if (channel.isMpim) return 'mpim';
    return channel.isPrivate ? 'private' : 'public';
  }

  /** Whether the bot can see this conversation at all (private ones only as a member). */
  botCanSee(channel: FakeChannel): boolean {
    return !channel.isPrivate || channel.members.has(BOT_USER_ID);
  }

  /** Records a bot message in a conversation. */
  postMessage(channel: FakeChannel, message: Omit<FakeMessage, 'ts' | 'channel' | 'user'>): FakeMessage {
    const stored: FakeMessage = { ...message, ts: this.nextTs(), channel: channel.id, user: BOT_USER_ID };
    channel.messages.push(stored);
    return stored;
  }

  /** Records a message a person wrote, as if typed in Slack (tests use it to have something to pin). */
  postUserMessage(channel: FakeChannel, user: string, message: { text: string; threadTs?: string }): FakeMessage {
    const stored: FakeMessage = { text: message.text, blocks: undefined, ts: this.nextTs(), channel: channel.id, user };
    if (message.threadTs !== undefined) stored.threadTs = message.threadTs;
    channel.messages.push(stored);
    return stored;
  }

  /** Reacts to a message as a person (Slack answers `already_reacted` for the same name twice). */
  addReaction(message: FakeMessage, user: string, name: string): boolean {
    message.reactions ??= [];
    const existing = message.reactions.find((r) => r.name === name);
    if (existing?.users.includes(user)) return false;
    if (existing) existing.users.push(user);
    else message.reactions.push({ name, users: [user] });
    return true;
  }

  /** Everything the workspace remembers, as JSON-safe data (the sandbox keeps it across restarts). */
  snapshot(): StateSnapshot {
    return {
      seq: this.seq,
      tsSeq: this.tsSeq,
      lastRealTs: this.lastRealTs,
      users: [...this.users.values()],
      usergroups: [...this.usergroups.entries()],
      channels: [...this.channels.values()].map((c) => ({ ...c, members: [...c.members], pins: [...c.pins] })),
      views: [...this.views.values()],
      ephemerals: this.ephemerals,
      files: [...this.files.values()].map((f) => ({ ...f, content: f.content?.toString('base64') })),
      canvases: [...this.canvases.values()],
    };
  }

  /** Puts back what {@link snapshot} saved; the bot user stays as constructed. */
  restore(saved: StateSnapshot): void {
    this.seq = saved.seq;
    this.tsSeq = saved.tsSeq;
    this.lastRealTs = saved.lastRealTs;
    for (const user of saved.users) if (user.id !== BOT_USER_ID) this.users.set(user.id, user);
    for (const [id, members] of saved.usergroups) this.usergroups.set(id, members);
    for (const c of saved.channels) this.channels.set(c.id, { ...c, members: new Set(c.members), pins: new Set(c.pins) });
    for (const v of saved.views) this.views.set(v.id, v);
    this.ephemerals.push(...saved.ephemerals);
    for (const f of saved.files) {
      this.files.set(f.id, { ...f, content: f.content === undefined ? undefined : Buffer.from(f.content, 'base64') });
    }
    for (const c of saved.canvases ?? []) this.canvases.set(c.id, c);
  }

  /** Mints a trigger id the way a user interaction would, optionally already `ageMs` old. */
  mintTriggerId(ageMs = 0): string {
    this.seq += 1;
    const id = `trig-${this.seq}.${Math.random().toString(16).slice(2, 10)}`;
    this.triggers.set(id, Date.now() - ageMs);
    return id;
  }

  /** A fresh view hash; Slack changes it on every update. */
  nextHash(): string {
    this.seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${this.seq}`;
  }
}
