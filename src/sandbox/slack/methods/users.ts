import type { FakeState } from '../state.js';
import { type MethodHandler, needString, SlackFail } from './args.js';

/** Offset of `tz` from UTC at `at`, in seconds (what Slack puts in `tz_offset`). */
function tzOffsetSeconds(tz: string, at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (match === null) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
  return match[1] === '-' ? -seconds : seconds;
}

/** Slack's human label, e.g. `Irish Standard Time` or `Greenwich Mean Time`. */
function tzLabel(tz: string, at: Date): string {
  return (
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'long' }).formatToParts(at).find((p) => p.type === 'timeZoneName')
      ?.value ?? tz
  );
}

function userJson(state: FakeState, id: string): Record<string, unknown> {
  const user = state.users.get(id);
  if (user === undefined) throw new SlackFail('user_not_found');
  const now = new Date();
  return {
    id: user.id,
    team_id: user.teamId,
    ...(state.enterprise === undefined ? {} : { enterprise_user: { enterprise_id: state.enterprise.id, teams: [user.teamId] } }),
    name: user.name,
    real_name: user.realName,
    deleted: false,
    is_bot: user.isBot,
    tz: user.tz,
    tz_label: tzLabel(user.tz, now),
    tz_offset: tzOffsetSeconds(user.tz, now),
    profile: {
      real_name: user.realName,
      display_name: user.name,
      ...(user.email === undefined ? {} : { email: user.email }),
    },
  };
}

/** users.info */
export const usersInfo: MethodHandler = ({ state, args }) => ({
  ok: true,
  user: userJson(state, needString(args, 'user', 'user_not_found')),
});

/** users.lookupByEmail: note the plural error code, as in Slack. */
export const usersLookupByEmail: MethodHandler = ({ state, args }) => {
  const email = needString(args, 'email', 'invalid_arguments').toLowerCase();
  for (const user of state.users.values()) {
    if (user.email?.toLowerCase() === email) return { ok: true, user: userJson(state, user.id) };
  }
  throw new SlackFail('users_not_found');
};

/** usergroups.users.list */
export const usergroupsUsersList: MethodHandler = ({ state, args }) => {
  const users = state.usergroups.get(needString(args, 'usergroup', 'invalid_arguments'));
  if (users === undefined) throw new SlackFail('no_such_subteam');
  return { ok: true, users: [...users] };
};
