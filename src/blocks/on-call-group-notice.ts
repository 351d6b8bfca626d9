/** What the admins are told when Slack will not set an on-call user group. */
import { escapeInCode, escapeMrkdwn, userMention } from '../slack-api/mrkdwn.js';

/** What fixes each refusal, by Slack's error code. */
const FIXES: Readonly<Record<string, string>> = {
  no_such_subteam: 'Slack has no such user group (or it was disabled): check `user_group:` in the config file',
  invalid_users: 'Slack will not put that person in a user group (deactivated, a guest, or a bot?): fix the rotation or set an override',
  no_users_provided: 'a user group cannot be emptied: nobody was given',
  permission_denied: "the workspace lets only some people change user groups: allow the app in the workspace's user group settings",
  no_permission: "the workspace lets only some people change user groups: allow the app in the workspace's user group settings",
  plan_upgrade_required: "user groups need a paid Slack plan: remove `user_group:` from the config file, or upgrade the workspace's plan",
  missing_scope: 'the app was installed without `usergroups:write`: reinstall it from manifests/slack-app.yaml',
};

export interface GroupRefusal {
  groupId: string;
  scheduleName: string;
  layerName: string | null;
  userId: string;
  code: string;
}

/**
 * The admins' DM. The group is named by its id in code, never mentioned: a mention would notify
 * everyone in it.
 */
export function onCallGroupRefusalText(refusal: GroupRefusal): string {
  const hub = refusal.layerName ? ` (${escapeMrkdwn(refusal.layerName)})` : '';
  const fix = FIXES[refusal.code] ?? 'check the app and the user group in Slack';
  return [
    `:warning: Meridian could not set the on-call user group \`${escapeInCode(refusal.groupId)}\` of *${escapeMrkdwn(refusal.scheduleName)}*${hub} to ${userMention(refusal.userId)}: Slack said \`${escapeInCode(refusal.code)}\`.`,
    `*Fix:* ${fix}.`,
    'Until then the group still lists whoever it listed before. Meridian keeps trying and sets it once this is fixed.',
  ].join('\n');
}
