import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { slackJoinNotices, slackRoutingWorkspaces } from '../schema/index.js';

/** What Enterprise Grid routing remembers the workspace of: a person, or a conversation. */
export type RoutedKind = 'user' | 'conversation';

/** The workspace routing learned for this person or conversation, if any. */
export async function findRoutedWorkspace(db: Db, kind: RoutedKind, slackId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ teamId: slackRoutingWorkspaces.teamId })
    .from(slackRoutingWorkspaces)
    .where(and(eq(slackRoutingWorkspaces.kind, kind), eq(slackRoutingWorkspaces.slackId, slackId)));
  return row?.teamId;
}

/** Records (or corrects) where a person or conversation is. */
export async function saveRoutedWorkspace(db: Db, kind: RoutedKind, slackId: string, teamId: string, at: Date): Promise<void> {
  await db
    .insert(slackRoutingWorkspaces)
    .values({ kind, slackId, teamId, learnedAt: at })
    .onConflictDoUpdate({ target: [slackRoutingWorkspaces.kind, slackRoutingWorkspaces.slackId], set: { teamId, learnedAt: at } });
}

/** Claims the one how-to-join DM of this person for this channel: true for the first caller only. */
export async function claimJoinNotice(db: Db, channelId: string, userId: string, at: Date): Promise<boolean> {
  const rows = await db
    .insert(slackJoinNotices)
    .values({ channelId, userId, toldAt: at })
    .onConflictDoNothing()
    .returning({ userId: slackJoinNotices.userId });
  return rows.length > 0;
}

/** Gives a claim back: the DM was not sent. */
export async function releaseJoinNotice(db: Db, channelId: string, userId: string): Promise<void> {
  await db.delete(slackJoinNotices).where(and(eq(slackJoinNotices.channelId, channelId), eq(slackJoinNotices.userId, userId)));
}
