/**
 * A slash command's `text` as Slack sends it to the app. Slack always entity-escapes `&`, `<`
 * and `>`; with the command's `should_escape: true` (manifests/slack-app.yaml) it also sends
 * each person, channel and user group the sender picked (or typed by its exact name) as a token:
 * `<@U123|maya>`, `<#C123|general>`, `@here` as `<!here>` (and a user group as
 * `<!subteam^S123|@leads>`; the fake keeps no group handles, so it never sends one). Without
 * it, they stay plain `@maya` / `#general` text and the app cannot tell who was meant.
 */
import type { FakeState } from './state.js';

/** `should_escape` of each command in manifests/slack-app.yaml (a test keeps the two in step). */
export const COMMAND_ESCAPING: Readonly<Record<string, boolean>> = { '/incident': true, '/oncall': true };

const SPECIAL = new Set(['here', 'channel', 'everyone']);

/**
 * `typed` (what the person typed, `@name` for a picked person) as the command's `text`. An
 * `@name` or `#name` that matches nobody stays text, as in Slack.
 */
export function slackCommandText(state: FakeState, command: string, typed: string): string {
  const escaped = typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (COMMAND_ESCAPING[command] !== true) return escaped;
  return withTokens(state, escaped);
}

/** A message as Slack stores what a person typed: entities escaped, picked people and channels as tokens. */
export function slackMessageText(state: FakeState, typed: string): string {
  return withTokens(state, typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

function withTokens(state: FakeState, escaped: string): string {
  return escaped.replace(/(^|[\s(])([@#])([\p{L}\p{N}._-]+)/gu, (whole, before: string, sigil: string, name: string) => {
    const token = sigil === '@' ? personToken(state, name) : channelToken(state, name);
    return token === undefined ? whole : `${before}${token}`;
  });
}

function personToken(state: FakeState, name: string): string | undefined {
  if (SPECIAL.has(name)) return `<!${name}>`;
  const user = [...state.users.values()].find((u) => u.name === name);
  return user === undefined ? undefined : `<@${user.id}|${user.name}>`;
}

function channelToken(state: FakeState, name: string): string | undefined {
  const channel = state.channelByName(name);
  return channel === undefined ? undefined : `<#${channel.id}|${channel.name}>`;
}
