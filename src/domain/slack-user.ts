/**
 * Slack user ids and mentions, for domain text that names people. The one id rule: the Slack
 * edge's `userMention` (src/slack-api/mrkdwn.ts) checks with `isSlackUserId` too.
 */

const USER_ID = /^[UW][A-Z0-9]+$/;

/** Whether `value` looks like a Slack user id (`U…`, or `W…` on Enterprise Grid). */
export function isSlackUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID.test(value);
}

/** `<@U…>`, or null when `id` is not a Slack user id (text never becomes a mention). */
export function mentionOf(id: string | null | undefined): string | null {
  return isSlackUserId(id) ? `<@${id}>` : null;
}
