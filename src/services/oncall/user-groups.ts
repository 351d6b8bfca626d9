/**
 * On-call Slack user groups: a `user-group-sync` action is planned at every change of a group's
 * on-call person (handoffs, overrides) and sets the group to who is on call when it runs. It
 * reads the group first and changes nothing when it already holds that person, so a retried or
 * repeated run is harmless. A group Slack will not update is said loudly: logged, counted and
 * the admins told (once per run), and the row stays pending until it can be done.
 */
import { onCallGroupRefusalText } from '../../blocks/on-call-group-notice.js';
import type { MeridianConfig } from '../../config-file/types.js';
import { loadSchedules } from '../../db/repos/schedules.js';
import { groupChangesBetween, groupMemberAt, type OnCallGroup } from '../../domain/on-call-groups.js';
import { withPlanning } from '../../jobs/plan.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import type { Metrics } from '../../metrics.js';
import { RateLimited, SlackApiError, SlackConfigurationError, SlackUnavailable } from '../../slack-api/errors.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { OncallDeps } from './deps.js';
import { PLAN_AHEAD_MS } from './handoff-notices.js';

/** How far back the change that put the current member in place is looked for (a weekly rotation, and a day). */
const LOOKBACK_MS = 8 * 24 * 3_600_000;

/** Every group the config keeps, by schedule. */
function configuredGroups(meridian: Pick<MeridianConfig, 'schedules'>): OnCallGroup[] {
  return meridian.schedules.flatMap((s) => s.userGroups ?? []);
}

function groupKey(group: OnCallGroup): string {
  return `${group.groupId}:${group.scheduleId}:${group.layerName ?? ''}`;
}

/**
 * Plans a sync for the shift in progress and for every change in the next hours, per group.
 * Planning again plans nothing new (dedupe keys). A shift that began before the lookback is keyed
 * by its member, so a group whose person has not changed in a week is synced once, not each run.
 */
export async function planUserGroupSyncs(deps: Pick<OncallDeps, 'db' | 'scheduler' | 'clock' | 'logger' | 'meridian'>): Promise<number> {
  const groups = configuredGroups(deps.meridian);
  if (groups.length === 0) return 0;
  const now = deps.clock();
  const lookback = new Date(now.getTime() - LOOKBACK_MS);
  const horizon = new Date(now.getTime() + PLAN_AHEAD_MS);
  const schedules = await loadSchedules(deps.db, { ids: [...new Set(groups.map((g) => g.scheduleId))], overridesEndingAfter: lookback });
  const created = await withPlanning(deps, async ({ plan }) => {
    let count = 0;
    for (const group of groups) {
      const schedule = schedules.find((s) => s.id === group.scheduleId);
      if (!schedule) continue;
      for (const change of groupChangesBetween(schedule, group.layerName, lookback, now, horizon)) {
        const dueAt = change.at.getTime() < now.getTime() ? now : change.at;
        const when = change.sinceBeforeLookback ? `held:${change.userId}` : String(change.at.getTime());
        const data = { scheduleId: group.scheduleId, layerName: group.layerName, groupId: group.groupId, at: change.at.toISOString() };
        if (await plan('user-group-sync', data, dueAt, { dedupeKey: `usergroup:${groupKey(group)}:${when}` })) count += 1;
      }
    }
    return count;
  });
  if (created > 0) deps.logger.info({ planned: created }, 'on-call user group syncs planned');
  return created;
}

export interface UserGroupSyncDeps extends Pick<OncallDeps, 'db' | 'meridian' | 'logger'> {
  slack: Pick<SlackGateway, 'usergroupMembers' | 'setUsergroupMembers'>;
  metrics: Pick<Metrics, 'userGroupSyncFailures'>;
  /** Where a refusal is said when the config names no admins. */
  feedChannelId: string | undefined;
}

/** The `user-group-sync` handler: sets the group to who is on call now, unless it already lists exactly them. */
export async function syncOnCallGroup(deps: UserGroupSyncDeps, ctx: ActionContext<'user-group-sync'>): Promise<ActionOutcome> {
  const { action, data, now } = ctx;
  const group: OnCallGroup = { scheduleId: data.scheduleId, layerName: data.layerName, groupId: data.groupId };
  if (!configuredGroups(deps.meridian).some((g) => groupKey(g) === groupKey(group))) {
    deps.logger.info({ actionId: action.id, groupId: group.groupId }, 'user group no longer in the config; sync skipped');
    return 'skipped';
  }
  const [schedule] = await loadSchedules(deps.db, { ids: [group.scheduleId], overridesEndingAfter: now });
  if (!schedule) return 'skipped';
  const userId = groupMemberAt(schedule, group.layerName, now);
  if (userId === null) {
    // Slack cannot empty a group; a gap is reported ahead of time by /oncall gaps.
    deps.logger.info({ actionId: action.id, groupId: group.groupId }, 'nobody on call now; user group left as it is');
    return 'skipped';
  }
  try {
    const members = await deps.slack.usergroupMembers(group.groupId);
    if (members.length === 1 && members[0] === userId) return 'skipped';
    await deps.slack.setUsergroupMembers(group.groupId, [userId]);
    deps.logger.info({ actionId: action.id, groupId: group.groupId, scheduleId: group.scheduleId }, 'on-call user group updated');
    return 'done';
  } catch (err) {
    if (err instanceof RateLimited || err instanceof SlackUnavailable || !(err instanceof SlackApiError)) throw err;
    deps.metrics.userGroupSyncFailures.inc({ code: err.code });
    deps.logger.error(
      { actionId: action.id, groupId: group.groupId, scheduleId: group.scheduleId, code: err.code },
      'Slack would not update an on-call user group; the admins are told and it is retried',
    );
    // A refusal of the token or its scopes is already said once by the gateway's refusal watch.
    if (!(err instanceof SlackConfigurationError))
      await tellAdmins(deps, ctx, { ...group, scheduleName: schedule.name, userId, code: err.code });
    throw err;
  }
}

async function tellAdmins(
  deps: UserGroupSyncDeps,
  ctx: ActionContext<'user-group-sync'>,
  refusal: OnCallGroup & { scheduleName: string; userId: string; code: string },
): Promise<void> {
  const targets = deps.meridian.admins.length > 0 ? deps.meridian.admins : deps.feedChannelId ? [deps.feedChannelId] : [];
  const text = onCallGroupRefusalText(refusal);
  for (const channel of targets) {
    // Once per row and admin: its retries say nothing more.
    await ctx.deliver(`user-group-sync:${ctx.action.id}:refused:${channel}`, { channel, text }).catch((err: unknown) => {
      deps.logger.warn({ err, actionId: ctx.action.id }, 'could not tell an admin about a user group Slack refused');
    });
  }
}
