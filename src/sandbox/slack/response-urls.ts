/**
 * Slack's `response_url`s: each slash command and message interaction carries one, and the app
 * may POST to it up to 5 times within 30 minutes to answer the person who acted. Unlike
 * `chat.postEphemeral`, it reaches that person whether or not they are in the channel (or the
 * bot is). The fake mints them under its own base URL and serves them.
 */
import { randomBytes } from 'node:crypto';
import type { FakeState } from './state.js';
import type { SlackBody } from './types.js';

/** Where the fake serves response URLs. */
export const RESPONSE_PATH = '/response/';

const MAX_USES = 5;
const LIFETIME_MS = 30 * 60_000;

interface Minted {
  user: string;
  channel: string;
  uses: number;
  expiresAt: number;
}

/** The response URLs the fake has handed out, and how often each was used. */
export class ResponseUrls {
  private readonly minted = new Map<string, Minted>();

  /** A fresh URL that answers `user` in `channel`. */
  mint(baseUrl: string, user: string, channel: string): string {
    const id = randomBytes(12).toString('hex');
    this.minted.set(id, { user, channel, uses: 0, expiresAt: Date.now() + LIFETIME_MS });
    if (this.minted.size > 5_000) this.minted.delete(this.minted.keys().next().value ?? '');
    return `${baseUrl}${RESPONSE_PATH}${id}`;
  }

  /**
   * Carries out a POST to the URL with id `id`: an ephemeral message to its person (the
   * default), or with `response_type: in_channel` a message in the channel. Returns the HTTP
   * status and body Slack would answer, and who it was for (for the call log).
   */
  answer(state: FakeState, id: string, body: Record<string, unknown>): { status: number; body: SlackBody; for?: Minted } {
    const minted = this.minted.get(id);
    if (minted === undefined || minted.expiresAt < Date.now()) return { status: 404, body: { ok: false, error: 'expired_url' } };
    if (minted.uses >= MAX_USES) return { status: 404, body: { ok: false, error: 'used_url' } };
    const text = typeof body['text'] === 'string' ? body['text'] : '';
    const blocks = Array.isArray(body['blocks']) ? (body['blocks'] as unknown[]) : undefined;
    if (text === '' && (blocks === undefined || blocks.length === 0)) return { status: 400, body: { ok: false, error: 'no_text' } };
    const channel = state.channels.get(minted.channel);
    const inChannel = body['response_type'] === 'in_channel';
    // Slack knows every channel a command comes from; tests may name one the fake never seeded.
    if (inChannel && channel === undefined) return { status: 404, body: { ok: false, error: 'channel_not_found' } };
    minted.uses += 1;
    if (inChannel && channel) state.postMessage(channel, { text, blocks });
    else state.ephemerals.push({ messageTs: state.nextTs(), channel: minted.channel, user: minted.user, text, blocks });
    return { status: 200, body: { ok: true }, for: minted };
  }
}
