import { blockKitProblems } from '../block-kit-limits.js';
import { BOT_USER_ID, type FakeInstall, type FakeState } from '../state.js';
import type { FakeChannel, SlackBody } from '../types.js';

/** What a method handler gets. */
export interface MethodContext {
  state: FakeState;
  args: Record<string, unknown>;
  /** Base URL of the fake server, e.g. `http://127.0.0.1:1234/`. */
  baseUrl: string;
  /** Whether Slack's Block Kit size limits are enforced (see `block-kit-limits.ts`). */
  blockKitLimits?: boolean;
  /** The installation whose token made the call (none for oauth.v2.access). */
  install?: FakeInstall;
  /** The workspace the call acts in (see the server's `teamOfCall`). */
  teamId?: string;
}

/** A Web API method: returns Slack's body, or throws {@link SlackFail}. */
export type MethodHandler = (ctx: MethodContext) => SlackBody;

/** Thrown by handlers to answer `{ ok: false, error }`, the way Slack reports errors (HTTP 200). */
export class SlackFail extends Error {
  override readonly name = 'SlackFail';
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

/** A string argument, or `undefined` when absent or empty. */
export function optString(args: Record<string, unknown>, key: string): string | undefined {
  const value = args[key];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : String(value);
}

/** A required string argument; Slack answers `missingError` (often a specific code) when it is absent. */
export function needString(args: Record<string, unknown>, key: string, missingError = 'invalid_arguments'): string {
  const value = optString(args, key);
  if (value === undefined) throw new SlackFail(missingError);
  return value;
}

/** Form fields arrive as `"true"`/`"1"`; JSON bodies as booleans. */
export function optBool(args: Record<string, unknown>, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** A comma-joined list (`"U1,U2"`) or a JSON array. */
export function optList(args: Record<string, unknown>, key: string): string[] {
  const value = args[key];
  if (Array.isArray(value)) return value.map(String).filter((v) => v !== '');
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Blocks must be an array when present (Slack: `invalid_blocks`). */
export function optBlocks(args: Record<string, unknown>): unknown[] | undefined {
  const blocks = args['blocks'];
  if (blocks === undefined || blocks === null || blocks === '') return undefined;
  if (!Array.isArray(blocks)) throw new SlackFail('invalid_blocks');
  return blocks;
}

/**
 * With Block Kit limits on, refuses a message's blocks the way Slack does:
 * `invalid_blocks`, with the problems in `errors` and (prefixed `[ERROR] `) in `response_metadata`.
 */
export function checkMessageBlocks(ctx: MethodContext, blocks: unknown[] | undefined): void {
  if (ctx.blockKitLimits !== true || blocks === undefined) return;
  const errors = blockKitProblems(blocks);
  if (errors.length === 0) return;
  throw new SlackFail('invalid_blocks', { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
}

/** With Block Kit limits on, refuses a view the way Slack does: `invalid_arguments` with messages. */
export function checkView(ctx: MethodContext, view: Record<string, unknown>): void {
  if (ctx.blockKitLimits !== true) return;
  const errors = blockKitProblems(view);
  if (errors.length === 0) return;
  throw new SlackFail('invalid_arguments', { response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
}

/**
 * Finds a conversation the bot can address. Private conversations the bot is not in do not
 * exist as far as the bot can tell, which is why Slack answers `channel_not_found` for them.
 */
export function findConversation(state: FakeState, id: string): FakeChannel {
  const channel = state.channels.get(id);
  if (channel === undefined || !state.botCanSee(channel)) throw new SlackFail('channel_not_found');
  return channel;
}

/** Like {@link findConversation}, and the bot must be a member (`not_in_channel`) of a live channel. */
export function memberConversation(state: FakeState, id: string): FakeChannel {
  const channel = findConversation(state, id);
  if (!channel.members.has(BOT_USER_ID)) throw new SlackFail('not_in_channel');
  if (channel.archived) throw new SlackFail('is_archived');
  return channel;
}

/** Slack's `channel` object as conversations.* methods return it. */
export function channelJson(channel: FakeChannel): Record<string, unknown> {
  if (channel.isIm) {
    return { id: channel.id, is_im: true, user: channel.imUser, created: channel.created, is_open: true };
  }
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.isPrivate && !channel.isMpim,
    is_group: channel.isPrivate && !channel.isMpim,
    is_mpim: channel.isMpim,
    is_im: false,
    is_private: channel.isPrivate,
    is_archived: channel.archived,
    is_member: channel.members.has(BOT_USER_ID),
    created: channel.created,
    creator: channel.creator,
    num_members: channel.members.size,
    topic: { value: channel.topic, creator: channel.topic === '' ? '' : BOT_USER_ID, last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
  };
}
