/** What the wellbeing use cases share. */
import type { Catalog } from '../../blocks/catalog.js';
import type { TakeOverHub } from '../../blocks/wellbeing.js';
import type { MeridianConfig } from '../../config-file/types.js';
import type { Incident } from '../../db/repos/incidents.js';
import { timelineEntriesOfKind } from '../../db/repos/timeline.js';
import { NO_HAND_BACK_MS, recentFormerCommanders, type AwakeHub } from '../../domain/exposure.js';
import type { IncidentDeps } from '../incident/context.js';

/** The incident use cases' dependencies: a hand-over is a role change like `/incident role`. */
export type WellbeingDeps = IncidentDeps;

const DEFAULT_EXPOSURE_MINUTES = 120;

export function exposureThresholdMinutes(meridian: Pick<MeridianConfig, 'wellbeing'>): number {
  return meridian.wellbeing?.exposureMinutes ?? DEFAULT_EXPOSURE_MINUTES;
}

export function sensitiveCategoryIds(catalog: Pick<Catalog, 'categories'>): string[] {
  return catalog.categories.filter((c) => c.sensitive).map((c) => c.id);
}

/**
 * The zone of a person's "today": their Slack profile's, else their hub's, else UTC. Slack is
 * asked because people travel and hubs are not homes; the hub is the fallback when Slack fails.
 */
export async function zoneOfPerson(deps: Pick<WellbeingDeps, 'slack' | 'logger'>, userId: string, hubZone: string | null): Promise<string> {
  try {
    return (await deps.slack.userInfo(userId)).tz;
  } catch (err) {
    deps.logger.warn({ err, userId }, 'users.info failed; counting the day in the hub zone');
    return hubZone ?? 'UTC';
  }
}

/** The awake hub as a DM names it, with the handle a button shows (`@maya`). */
export async function takeOverHub(deps: Pick<WellbeingDeps, 'slack' | 'logger'>, hub: AwakeHub): Promise<TakeOverHub> {
  let handle = 'the on-call';
  try {
    const user = await deps.slack.userInfo(hub.userId);
    if (user.name) handle = `@${user.name}`;
  } catch (err) {
    deps.logger.warn({ err, userId: hub.userId }, 'users.info failed; the button names no one');
  }
  return { userId: hub.userId, handle, layerName: hub.layerName, timeZone: hub.timeZone };
}

/** Who handed `incident` over lately: an offer never hands it back to them (no ping-pong between two people). */
export async function noHandBackTo(
  deps: Pick<WellbeingDeps, 'db'>,
  incident: Pick<Incident, 'id' | 'declaredBy'>,
  now: Date,
): Promise<string[]> {
  const changes = await timelineEntriesOfKind(deps.db, incident.id, 'role_assigned');
  return recentFormerCommanders(incident.declaredBy, changes, new Date(now.getTime() - NO_HAND_BACK_MS));
}
