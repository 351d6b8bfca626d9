/**
 * User groups (`@ts-oncall`): Slack's `usergroups.*` shapes and errors, as the docs give them
 * (docs.slack.dev/reference/methods/usergroups.users.update, usergroups.list). The fake keeps
 * only each group's members; its name and handle are derived from the id.
 */
import { TEAM_ID, type FakeState } from '../state.js';
import { type MethodHandler, needString, optBool, optList, SlackFail } from './args.js';

/** Slack's usergroup object; `users` only when asked for (update always includes it). */
function usergroupJson(id: string, members: readonly string[], withUsers: boolean): Record<string, unknown> {
  const handle = id.toLowerCase();
  return {
    id,
    team_id: TEAM_ID,
    is_usergroup: true,
    is_subteam: true,
    name: handle,
    description: '',
    handle,
    is_external: false,
    date_create: 0,
    date_update: Math.floor(Date.now() / 1000),
    date_delete: 0,
    auto_type: null,
    created_by: 'USLACKBOT',
    updated_by: 'USLACKBOT',
    deleted_by: null,
    prefs: { channels: [], groups: [] },
    user_count: members.length,
    ...(withUsers ? { users: [...members] } : {}),
  };
}

/**
 * usergroups.users.update: replaces the group's members. Slack refuses an empty list
 * (`no_users_provided`: a group cannot be emptied this way) and unknown or deactivated people,
 * bots included (`invalid_users`), changing nothing.
 */
export const usergroupsUsersUpdate: MethodHandler = ({ state, args }) => {
  const id = needString(args, 'usergroup', 'invalid_arguments');
  const members = state.usergroups.get(id);
  if (members === undefined) throw new SlackFail('no_such_subteam');
  const users = [...new Set(optList(args, 'users'))];
  if (users.length === 0) throw new SlackFail('no_users_provided');
  if (users.some((u) => !isPerson(state, u))) throw new SlackFail('invalid_users');
  state.usergroups.set(id, users);
  return { ok: true, usergroup: usergroupJson(id, users, true) };
};

/** usergroups.list: every group of the workspace; members only with `include_users`. */
export const usergroupsList: MethodHandler = ({ state, args }) => {
  const withUsers = optBool(args, 'include_users');
  return { ok: true, usergroups: [...state.usergroups].map(([id, members]) => usergroupJson(id, members, withUsers)) };
};

function isPerson(state: FakeState, userId: string): boolean {
  const user = state.users.get(userId);
  return user !== undefined && !user.isBot;
}
