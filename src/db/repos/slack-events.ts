import type { Db } from '../client.js';
import { slackEvents } from '../schema/index.js';

/**
 * Claims a Slack delivery once: true the first time, false for every retry or replay. Keys: an
 * event id, `view:<view id>`, `cmd:<trigger id>`, `escalate:<escalation>:<step>`; claim in the
 * transaction of the change, so a failed change can be tried again. Bolt acks events before listeners run, so memory alone would not survive a restart.
 */
export async function claimSlackDelivery(db: Db, key: string): Promise<boolean> {
  const rows = await db.insert(slackEvents).values({ key }).onConflictDoNothing().returning({ key: slackEvents.key });
  return rows.length === 1;
}
