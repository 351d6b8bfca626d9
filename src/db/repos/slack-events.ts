import type { Db } from '../client.js';
import { slackEvents } from '../schema/index.js';

/**
 * Claims a Slack delivery once: true the first time, false for every retry or replay. Keys: an
 * event id, `view:<view id>`, `cmd:<trigger id>`, `escalate:<escalation>:<step>`; claim in the
 * transaction of the change, so a failed change can be tried again. Bolt acks events before listeners run, so memory alone would not survive a restart.
 */
export async function claimSlackDelivery(db: Db, key: string): Promise<boolean> {
  const rows = await db.insert(slackEvents).values({ key }).onConflictDoNothing().returning({ key: slackEvents.key });
  if (rows.length === 1) return true;
  const kind = key.slice(0, Math.max(0, key.indexOf(':'))) || 'other';
  duplicates.set(kind, (duplicates.get(kind) ?? 0) + 1);
  return false;
}

/** Deliveries refused as repeats in this process, by key kind (`event`, `view`, `cmd`, `escalate`, ...). */
const duplicates = new Map<string, number>();

/** The repeats counted so far, for /metrics (`meridian_slack_deliveries_deduplicated_total`). */
export function duplicateDeliveries(): ReadonlyMap<string, number> {
  return duplicates;
}
