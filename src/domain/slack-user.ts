/**
 * Slack ids (users, channels, user groups) and user mentions, for domain text that names people.
 * The one definition of each id rule: the mention builders in src/slack-api/mrkdwn.ts, the zod
 * schemas at the edges and in the config, and the renderers all check with these.
 */

/** A Slack user id: `U…`, or `W…` on Enterprise Grid. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;
/** A channel a bot can post in and people join: public `C…`, or older private `G…`; never a DM. */
export const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]+$/;
/** Any conversation: a channel (`C…`, `G…`) or a direct message (`D…`). */
export const SLACK_CONVERSATION_ID = /^[CGD][A-Z0-9]+$/;
/** A user group (`S…`), mentioned as `<!subteam^S…>`. */
export const SLACK_USERGROUP_ID = /^S[A-Z0-9]+$/;
/** A user group's handle as Slack allows it (`tns-leads`), written without the @. */
export const USERGROUP_HANDLE = /^[a-z0-9][a-z0-9._-]{0,79}$/;

/** Whether `value` looks like a Slack user id (`U…`, or `W…` on Enterprise Grid). */
export function isSlackUserId(value: unknown): value is string {
  return typeof value === 'string' && SLACK_USER_ID.test(value);
}

/** Whether `value` looks like a Slack conversation id: a channel (`C…`, `G…`) or a DM (`D…`). */
export function isSlackConversationId(value: unknown): value is string {
  return typeof value === 'string' && SLACK_CONVERSATION_ID.test(value);
}

/** Whether `value` looks like a Slack user group id (`S…`). */
export function isSlackUsergroupId(value: unknown): value is string {
  return typeof value === 'string' && SLACK_USERGROUP_ID.test(value);
}

/** `<@U…>`, or null when `id` is not a Slack user id (text never becomes a mention). */
export function mentionOf(id: string | null | undefined): string | null {
  return isSlackUserId(id) ? `<@${id}>` : null;
}
