/**
 * Enterprise Grid: what changes when a call is made with an org-wide token (one token for every
 * workspace the org admin added the app to). Pure data, read by the gateway (which adds
 * `team_id`) and the fake Slack (which refuses the call without it), like METHOD_SCOPES.
 *
 * Sources: docs.slack.dev/reference/methods/conversations.create ("required if org token is
 * used"), users.list ("If using an org token, team_id is required"), api.slack.com/enterprise/
 * apps/changes-apis (the full list; see ../shared/research/enterprise-grid.md). conversations.open
 * is here because a DM with an org token must say which workspace it lives in (unverified in
 * Slack's text; passing `team_id` where it is optional is harmless: "always pass team_id").
 */
export const ORG_TOKEN_NEEDS_TEAM_ID: ReadonlySet<string> = new Set([
  'conversations.create',
  'conversations.list',
  'conversations.open',
  'users.list',
  'usergroups.list',
  'usergroups.create',
  'team.info',
]);

/** Methods only an org-wide token may call (Slack answers `not_allowed_token_type` to a workspace token). */
export function needsOrgToken(method: string): boolean {
  return method.startsWith('admin.');
}

/** The admin scope that lets an org-wide install share a channel with other workspaces of the org. */
export const SHARE_CHANNEL_SCOPE = 'admin.conversations:write';
