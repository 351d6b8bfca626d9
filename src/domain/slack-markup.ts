/**
 * Text from Slack carries Slack's markup (`<@U123>`, `<#C1|name>`, `<https://…|label>`,
 * `&amp;`): timeline text captured from messages, and slash-command text (the manifest sets
 * `should_escape: true`, so a picked @person arrives as `<@U123|name>`). Where the text is read
 * as words (a review outside Slack, a title, a note), it gets the words a person saw instead;
 * renderers escape the result like any other text. Pure.
 */
import { isSlackUserId } from './slack-user.js';
import { decodeSlackEntities } from './text.js';

const SLACK_TOKEN = /<([^<>]*)>/g;
// `@<id>` or `@<id>|label`; the id must pass the one user-id rule (isSlackUserId).
const USER = /^@([^|]*)(?:\|(.*))?$/;

/** User ids mentioned in Slack-formatted `text`. */
export function mentionedUserIds(text: string): string[] {
  return [...text.matchAll(SLACK_TOKEN)].flatMap((m) => {
    const user = userToken(m[1] ?? '');
    return user ? [user.id] : [];
  });
}

/** `text` as a person reads it in Slack; mentions use `names`, else the label Slack sent, else the id. */
export function plainFromSlack(text: string, names: Readonly<Record<string, string>> = {}): string {
  return decodeSlackEntities(text.replace(SLACK_TOKEN, (_, inner: string) => readable(inner, names)));
}

function readable(inner: string, names: Readonly<Record<string, string>>): string {
  const user = userToken(inner);
  if (user) return `@${(Object.hasOwn(names, user.id) ? names[user.id] : undefined) ?? user.label ?? user.id}`;
  const [target = '', label] = splitLabel(inner);
  if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
  if (target.startsWith('!subteam^')) return label ?? '@group';
  if (target.startsWith('!date^')) return label ?? '';
  if (target.startsWith('!')) return `@${target.slice(1)}`;
  // A link: its label and where it goes, since the review is read where links may not work.
  return label && label !== target ? `${label} (${target})` : target;
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar < 0 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

/** `@U…` or `@U…|label` inside `<…>`, or null when the id is not a Slack user id. */
function userToken(inner: string): { id: string; label: string | undefined } | null {
  const match = USER.exec(inner);
  const id = match?.[1];
  return isSlackUserId(id) ? { id, label: match?.[2] } : null;
}
