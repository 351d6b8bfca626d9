import type { MeridianConfig } from '../config-file/types.js';
import type { Database } from '../db/client.js';
import { replaceSchedulesFromFile } from '../db/repos/schedules.js';
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
 * Writes the validated config file into Postgres in one transaction: schedules (e-mails resolved
 * to Slack user ids), the file's overrides, and a snapshot of the rest. Overrides made in Slack
 * are kept. Throws, changing nothing, when a person cannot be resolved.
 */
export async function syncConfigIntoDatabase(
  deps: { db: Database; slack: Pick<SlackGateway, 'lookupUserByEmail'>; logger: Logger; clock: Clock },
  config: MeridianConfig,
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
  await deps.db.transaction((tx) => replaceSchedulesFromFile(tx, resolved, body, deps.clock()));
  deps.logger.info({ schedules: resolved.length, policies: config.escalationPolicies.length }, 'config synced into Postgres');
  return { schedules: resolved };
}
