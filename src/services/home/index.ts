import type { Database } from '../../db/client.js';
import type { MeridianConfig } from '../../config-file/types.js';
import { appHomeView, HOME_MAX_INCIDENTS, type HomePage } from '../../blocks/app-home.js';
import { nextDeadlinesOf } from '../list-incidents.js';
import type { Catalog } from '../../blocks/catalog.js';
import { openPagesOfUser } from '../../db/repos/escalations.js';
import { followUpsVisibleTo } from '../../db/repos/follow-ups.js';
import { findIncident, listOpenIncidentsVisibleTo } from '../../db/repos/incidents.js';
import { canSeeIncident, viewerOf } from '../incident-access.js';
import { loadSchedules } from '../../db/repos/schedules.js';
import { contactsOf, ownRules } from '../../db/repos/contacts.js';
import { DEFAULT_NOTIFICATION_RULES } from '../../domain/notification-rules.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import { scheduleStatus } from '../../domain/schedule-status.js';
import type { Clock } from '../types.js';

export interface HomeDeps {
  db: Database;
  slack: SlackGateway;
  catalog: Catalog;
  meridian: MeridianConfig;
  logger: Logger;
  clock: Clock;
}

export interface HomeServices {
  /** Renders and publishes the App Home of `userId` (on app_home_opened). */
  publish(input: { userId: string; teamId: string }): Promise<void>;
}

/** Enough to count honestly how many open incidents the Home leaves out. */
const HOME_INCIDENTS_READ = 200;

export function createHomeServices(deps: HomeDeps): HomeServices {
  return { publish: (input) => publishHome(deps, input) };
}

/**
 * Publishes the viewer's Home: every open incident they may see (private ones only to their
 * members and admins, as incident-access.ts says), who is on call now in each hub, and their own pages still waiting for an answer.
 */
async function publishHome(deps: HomeDeps, input: { userId: string; teamId: string }): Promise<void> {
  const now = deps.clock();
  const [incidents, schedules, pages, contacts, own] = await Promise.all([
    listOpenIncidentsVisibleTo(deps.db, input.teamId, viewerOf(deps.meridian, input.userId), HOME_INCIDENTS_READ),
    loadSchedules(deps.db, { overridesEndingAfter: now }),
    homePages(deps, input.userId),
    contactsOf(deps.db, input.userId),
    ownRules(deps.db, input.userId),
  ]);
  // Those the viewer owns are theirs to see, whatever incident they belong to.
  const owned = await followUpsVisibleTo(deps.db, { userId: input.userId, isAdmin: false }, { ownerId: input.userId, openOnly: true }, 10);
  const nextDeadlines = await nextDeadlinesOf(
    deps.db,
    incidents.slice(0, HOME_MAX_INCIDENTS).map((i) => i.id),
  );
  const view = appHomeView({
    incidents,
    schedules: schedules.map((s) => scheduleStatus(s, now)),
    pages,
    now,
    catalog: deps.catalog,
    nextDeadlines,
    followUps: { rows: owned, teams: deps.meridian.followUps?.teams ?? [] },
    paging: {
      contacts,
      rules: own.length ? own : (deps.meridian.notificationRules ?? DEFAULT_NOTIFICATION_RULES),
      own: own.length > 0,
    },
  });
  await deps.slack.publishHome(input.userId, view);
  deps.logger.debug({ userId: input.userId, incidents: incidents.length, pages: pages.length }, 'App Home published');
}

/** The viewer's open pages with their incidents; a private incident they are no longer in is not named. */
async function homePages(deps: Pick<HomeDeps, 'db' | 'meridian'>, userId: string): Promise<HomePage[]> {
  const { db } = deps;
  const pages = await openPagesOfUser(db, userId);
  const result: HomePage[] = [];
  for (const page of pages) {
    const incident = await findIncident(db, page.incidentId);
    if (!incident) continue;
    const visible = await canSeeIncident({ db, admins: deps.meridian.admins }, incident, userId);
    result.push({ pageId: page.id, pagedAt: page.pagedAt, incidentNumber: incident.number, incident: visible ? incident : null });
  }
  return result;
}
