import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { scheduledActions } from '../schema/index.js';

/**
 * Records a running action's progress on its row (a digest's message ts, its chart's file id),
 * committed on its own, so a retry skips what Slack already has.
 */
export async function mergeActionData(db: Db, id: string, patch: Record<string, string>): Promise<void> {
  await db
    .update(scheduledActions)
    .set({ data: sql`${scheduledActions.data} || ${JSON.stringify(patch)}::jsonb` })
    .where(eq(scheduledActions.id, id));
}
