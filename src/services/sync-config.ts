import type { MeridianConfig } from '../config-file/types.js';
import type { Database } from '../db/client.js';
import { replaceSchedulesFromFile, syncedConfigCounts } from '../db/repos/schedules.js';
import { emailsToResolve, resolveSchedule, type Schedule } from '../domain/schedule.js';
import type { Logger } from '../log.js';
import type { SlackGateway } from '../slack-api/gateway.js';
import type { Clock } from './types.js';

/** The config names people Slack does not know: nothing is synced. */
export class UnresolvedPeople extends Error {
  override readonly name = 'UnresolvedPeople';
  constructor(readonly emails: string[]) {
    super(`No Slack user has these e-mails (users.lookupByEmail): ${emails.join(', ')}`);
  }
}

/**
 * The config would remove every schedule or every escalation policy the database holds: nothing
 * is synced unless that is asked for (MERIDIAN_CONFIG_ALLOW_EMPTY=yes).
 */
export class ConfigWouldEmpty extends Error {
  override readonly name = 'ConfigWouldEmpty';
  constructor(readonly removes: { schedules: number; policies: number }) {
    const what = [
      removes.schedules > 0 ? `all ${removes.schedules} schedule(s)` : undefined,
      removes.policies > 0 ? `all ${removes.policies} escalation policy(ies)` : undefined,
    ].filter(Boolean);
    super(
      `This config would remove ${what.join(' and ')} from the database, and nobody would be paged by schedule. ` +
        'Nothing was changed. If that is what you want, start once with MERIDIAN_CONFIG_ALLOW_EMPTY=yes.',
    );
  }
}

/**
 * Writes the validated config file into Postgres in one transaction: schedules (e-mails resolved
 * to Slack user ids), the file's overrides, and a snapshot of the rest. Overrides made in Slack
 * are kept. Throws, changing nothing, when a person cannot be resolved, or when
 * the file would remove every schedule or every policy the database has and `allowEmpty` is not set.
 */
export async function syncConfigIntoDatabase(
  deps: { db: Database; slack: Pick<SlackGateway, 'lookupUserByEmail'>; logger: Logger; clock: Clock },
  config: MeridianConfig,
  opts: { allowEmpty?: boolean } = {},
): Promise<{ schedules: Schedule[] }> {
  const emails = [...new Set(config.schedules.flatMap(emailsToResolve))];
  const ids = new Map<string, string>();
  for (const email of emails) {
    const id = await deps.slack.lookupUserByEmail(email);
    if (id) ids.set(email, id);
  }
  const resolved: Schedule[] = [];
  const missing: string[] = [];
  for (const definition of config.schedules) {
    const result = resolveSchedule(definition, ids);
    if (result.ok) resolved.push(result.schedule);
    else missing.push(...result.unresolvedEmails);
  }
  if (missing.length > 0) throw new UnresolvedPeople([...new Set(missing)]);
  const body = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
  let removed = { schedules: 0, policies: 0 };
  await deps.db.transaction(async (tx) => {
    const held = await syncedConfigCounts(tx);
    removed = {
      schedules: resolved.length === 0 ? held.schedules : 0,
      policies: config.escalationPolicies.length === 0 ? held.policies : 0,
    };
    if ((removed.schedules > 0 || removed.policies > 0) && !opts.allowEmpty) throw new ConfigWouldEmpty(removed);
    await replaceSchedulesFromFile(tx, resolved, body, deps.clock());
  });
  if (removed.schedules > 0 || removed.policies > 0) {
    deps.logger.warn(
      { removedSchedules: removed.schedules, removedPolicies: removed.policies },
      'CONFIG SYNC REMOVED EVERY SCHEDULE OR POLICY (MERIDIAN_CONFIG_ALLOW_EMPTY)',
    );
  }
  deps.logger.info({ schedules: resolved.length, policies: config.escalationPolicies.length }, 'config synced into Postgres');
  return { schedules: resolved };
}

/** This process does not sync (a worker, or no config file): says so, and how many schedules the database keeps. */
export async function keepSyncedConfig(deps: { db: Database; logger: Logger }, reason: string): Promise<void> {
  const held = await syncedConfigCounts(deps.db);
  deps.logger.warn(
    { schedules: held.schedules, policies: held.policies, reason },
    'config NOT synced into Postgres: what it already holds is kept',
  );
}
