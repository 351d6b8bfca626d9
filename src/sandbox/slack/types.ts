/**
 * Shared types of the fake Slack Web API server.
 *
 * Kept in one small file so the state, the method handlers and the server agree on shapes
 * without importing each other in a circle.
 */

/** A workspace member the fake knows about. */
export interface FakeUser {
  id: string;
  name: string;
  realName?: string;
  /** IANA time zone, e.g. `Europe/Dublin`. Defaults to `Europe/Dublin`. */
  tz?: string;
  email?: string;
  isBot?: boolean;
  /** The workspace the user belongs to (Enterprise Grid); default the fake's first workspace. */
  teamId?: string;
}

/** One request the fake received, recorded when answered (see `FakeSlack.calls`). */
export interface RecordedCall {
  /** Web API method (`chat.postMessage`), or `upload` for a POST to a file upload URL. */
  method: string;
  /** Parsed arguments; JSON-string fields (blocks, view, files, ...) are parsed back. Never the token. */
  args: Record<string, unknown>;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** HTTP status sent, or 0 when none was (a `hang`, or a `delay` the client gave up on). */
  status: number;
  /** The JSON body sent (or the text body of an injected HTTP error). */
  response: unknown;
}

/** A failure the test asks the fake to produce instead of (or before) the normal answer. */
export type Fault =
  | { kind: 'ratelimited'; retryAfterSeconds: number }
  | { kind: 'http'; status: 500 | 502 | 503 | 504 }
  | { kind: 'error'; error: string }
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' }
  /** Slack does what was asked, but its answer never arrives: the caller times out. */
  | { kind: 'lose-answer' };

/** A message the bot posted. */
export interface FakeMessage {
  ts: string;
  channel: string;
  text: string;
  blocks: unknown[] | undefined;
  user: string;
  threadTs?: string;
  files?: string[];
  edited?: boolean;
  /** Emoji reactions on the message, as conversations.history reports them. */
  reactions?: Array<{ name: string; users: string[] }>;
  /** Message metadata as posted; conversations.history returns it with `include_all_metadata`. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/** A channel, private channel, DM or group DM. */
export interface FakeChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isIm: boolean;
  isMpim: boolean;
  /** For a DM: the human on the other side. */
  imUser?: string;
  topic: string;
  created: number;
  creator: string;
  members: Set<string>;
  archived: boolean;
  pins: Set<string>;
  messages: FakeMessage[];
  /** The workspace the conversation lives in (Enterprise Grid: each workspace has its own). */
  teamId?: string;
  /** Other workspaces of the org the channel is shared to (`admin.conversations.setTeams`). */
  sharedTeamIds?: string[];
}

/** A modal or App Home view the bot opened, updated or published. */
export interface FakeView {
  id: string;
  hash: string;
  type: string;
  /** The view as last sent by the bot. */
  view: Record<string, unknown>;
  externalId?: string;
  triggerId?: string;
  /** For App Home: the user it was published to. */
  userId?: string;
}

/** An ephemeral message (only one user sees it; Slack keeps no copy in history). */
export interface FakeEphemeral {
  messageTs: string;
  channel: string;
  user: string;
  text: string;
  blocks: unknown[] | undefined;
}

/** A file uploaded through files.getUploadURLExternal + upload URL + files.completeUploadExternal. */
export interface FakeFile {
  id: string;
  filename: string;
  title: string;
  length: number;
  content: Buffer | undefined;
  completed: boolean;
  channelId?: string;
  initialComment?: string;
}

/** A canvas (canvases.create), its document as the Markdown last written. */
export interface FakeCanvas {
  id: string;
  title: string;
  markdown: string;
  /** The channel it is tabbed in, when created with `channel_id`. */
  channelId?: string;
  /** canvases.edit calls applied. */
  edits: number;
}

/** What a method handler returns: Slack's JSON body (`ok` included). */
export type SlackBody = { ok: boolean; error?: string } & Record<string, unknown>;
