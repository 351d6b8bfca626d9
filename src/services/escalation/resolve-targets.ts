import type { Db } from '../../db/client.js';
import { loadSchedules } from '../../db/repos/schedules.js';
import { onCallAt } from '../../domain/rotation.js';
import type { PageReason } from '../../domain/paging.js';
import type { EscalationTarget } from '../../domain/response-policy.js';
import type { SlackGateway } from '../../slack-api/gateway.js';

export interface ResolvedTarget {
  userId: string;
  reason: PageReason;
}

export interface ResolveTargetsDeps {
  db: Db;
  slack: Pick<SlackGateway, 'usergroupMembers' | 'lookupUserByEmail'>;
}

/**
 * The people a step's targets name at `at`: a schedule's on-call person then (overrides
 * included), a user, a user group's members. Each person once, first reason wins.
 */
export async function resolveTargets(deps: ResolveTargetsDeps, targets: readonly EscalationTarget[], at: Date): Promise<ResolvedTarget[]> {
  const found = new Map<string, PageReason>();
  const scheduleIds = targets.flatMap((t) => (t.kind === 'schedule' ? [t.scheduleId] : []));
  const schedules = scheduleIds.length ? await loadSchedules(deps.db, { ids: scheduleIds, overridesEndingAfter: at }) : [];
  for (const target of targets) {
    switch (target.kind) {
      case 'schedule': {
        const schedule = schedules.find((s) => s.id === target.scheduleId);
        const onCall = schedule ? onCallAt(schedule, at) : null;
        if (!schedule || !onCall || found.has(onCall.userId)) break;
        const layer = onCall.reason.kind === 'layer' ? onCall.reason : null;
        found.set(onCall.userId, {
          kind: 'schedule',
          scheduleId: schedule.id,
          scheduleName: schedule.name,
          layerName: layer?.layerName ?? null,
          timeZone: layer?.timeZone ?? null,
          override: onCall.reason.kind === 'override',
        });
        break;
      }
      case 'user': {
        const userId = target.user.kind === 'user' ? target.user.userId : await deps.slack.lookupUserByEmail(target.user.email);
        if (userId && !found.has(userId)) found.set(userId, { kind: 'user' });
        break;
      }
      case 'usergroup': {
        for (const userId of await deps.slack.usergroupMembers(target.usergroupId)) {
          if (!found.has(userId)) {
            const named = target.name === undefined ? {} : { usergroupName: target.name };
            found.set(userId, { kind: 'usergroup', usergroupId: target.usergroupId, ...named });
          }
        }
        break;
      }
    }
  }
  return [...found].map(([userId, reason]) => ({ userId, reason }));
}
