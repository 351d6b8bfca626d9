import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { slackInstallations, slackRevokedWorkspaces } from '../schema/index.js';

export type StoredInstallation = typeof slackInstallations.$inferSelect;
export type NewInstallation = Omit<typeof slackInstallations.$inferInsert, 'createdAt' | 'updatedAt' | 'revokedAt'>;

/**
 * Stores an installation; a reinstall replaces it (and lifts an earlier revocation). Answers
 * whether a row was already stored under the key (a reinstall).
 */
export async function saveInstallation(db: Db, row: NewInstallation, at: Date): Promise<{ reinstall: boolean }> {
  const [saved] = await db
    .insert(slackInstallations)
    .values({ ...row, createdAt: at, updatedAt: at })
    .onConflictDoUpdate({ target: slackInstallations.installKey, set: { ...row, updatedAt: at, revokedAt: null } })
    // xmax is 0 on a freshly inserted row, the updating transaction's id on a conflict's update.
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  return { reinstall: saved?.inserted !== true };
}

/** The live installation stored under this key (enterprise id or team id). */
export async function findInstallation(db: Db, installKey: string): Promise<StoredInstallation | undefined> {
  const [row] = await db
    .select()
    .from(slackInstallations)
    .where(and(eq(slackInstallations.installKey, installKey), isNull(slackInstallations.revokedAt)));
  return row;
}

/** Marks installations revoked (their tokens are gone); returns the keys that were live. */
export async function revokeInstallations(db: Db, installKeys: readonly string[], at: Date): Promise<string[]> {
  if (installKeys.length === 0) return [];
  const rows = await db
    .update(slackInstallations)
    .set({ revokedAt: at, updatedAt: at })
    .where(and(inArray(slackInstallations.installKey, [...installKeys]), isNull(slackInstallations.revokedAt)))
    .returning({ key: slackInstallations.installKey });
  return rows.map((r) => r.key);
}

/** Live installations that hold one of these bot user ids' tokens (tokens_revoked names bot users). */
export async function installationsOfBotUsers(db: Db, botUserIds: readonly string[], keys: readonly string[]): Promise<string[]> {
  if (botUserIds.length === 0 || keys.length === 0) return [];
  const rows = await db
    .select({ key: slackInstallations.installKey })
    .from(slackInstallations)
    .where(
      and(
        inArray(slackInstallations.botUserId, [...botUserIds]),
        inArray(slackInstallations.installKey, [...keys]),
        isNull(slackInstallations.revokedAt),
      ),
    );
  return rows.map((r) => r.key);
}

/** An org admin removed the app from these workspaces. */
export async function revokeWorkspaces(db: Db, teamIds: readonly string[], enterpriseId: string | null, at: Date): Promise<void> {
  if (teamIds.length === 0) return;
  await db
    .insert(slackRevokedWorkspaces)
    .values(teamIds.map((teamId) => ({ teamId, enterpriseId, revokedAt: at })))
    .onConflictDoUpdate({ target: slackRevokedWorkspaces.teamId, set: { revokedAt: at, notifiedAt: null } });
}

/** An org admin added the app (back) to these workspaces. */
export async function grantWorkspaces(db: Db, teamIds: readonly string[]): Promise<void> {
  if (teamIds.length === 0) return;
  await db.delete(slackRevokedWorkspaces).where(inArray(slackRevokedWorkspaces.teamId, [...teamIds]));
}

export async function isWorkspaceRevoked(db: Db, teamId: string): Promise<boolean> {
  const [row] = await db
    .select({ teamId: slackRevokedWorkspaces.teamId })
    .from(slackRevokedWorkspaces)
    .where(eq(slackRevokedWorkspaces.teamId, teamId));
  return row !== undefined;
}

/** Claims the one notice of a workspace's removal: true for the first caller only. */
export async function claimRevocationNotice(db: Db, teamId: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(slackRevokedWorkspaces)
    .set({ notifiedAt: at })
    .where(and(eq(slackRevokedWorkspaces.teamId, teamId), isNull(slackRevokedWorkspaces.notifiedAt)))
    .returning({ teamId: slackRevokedWorkspaces.teamId });
  return rows.length > 0;
}

/** The key of a live org-wide install, if there is one (an org has one). */
export async function liveEnterpriseInstallation(db: Db): Promise<string | undefined> {
  const [row] = await db
    .select({ key: slackInstallations.installKey })
    .from(slackInstallations)
    .where(and(eq(slackInstallations.isEnterpriseInstall, true), isNull(slackInstallations.revokedAt)))
    .limit(1);
  return row?.key;
}
