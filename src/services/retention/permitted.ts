/**
 * Who may hold or redact (issue 24): the admins, and the people `retention.may_hold` /
 * `may_redact` name, directly (`U…`) or through a Slack user group (`S…`, its members read with
 * usergroups.users.list when asked, so a change in Slack counts at once). A group Slack cannot
 * read counts as no one: a failure never grants.
 */
import { SLACK_USERGROUP_ID } from '../../domain/slack-user.js';

/** Members of a Slack user group (usergroups.users.list). */
export type GroupMembers = (groupId: string) => Promise<readonly string[]>;

/** The people `ids` name: users as they are, each group's members; groups that cannot be read add no one. */
export async function peopleOf(ids: readonly string[], groupMembers: GroupMembers | undefined): Promise<string[]> {
  const people = new Set(ids.filter((id) => !SLACK_USERGROUP_ID.test(id)));
  for (const group of ids.filter((id) => SLACK_USERGROUP_ID.test(id))) {
    const members = groupMembers ? await groupMembers(group).catch(() => [] as readonly string[]) : [];
    for (const m of members) people.add(m);
  }
  return [...people];
}

/** Whether `userId` is an admin or named in `ids` (directly or through a group). */
export async function isPermitted(
  admins: readonly string[],
  ids: readonly string[],
  groupMembers: GroupMembers | undefined,
  userId: string,
): Promise<boolean> {
  if (admins.includes(userId) || ids.includes(userId)) return true;
  return (await peopleOf(ids, groupMembers)).includes(userId);
}
