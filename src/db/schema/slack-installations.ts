import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.js';

/**
 * Installations of the app through Slack's OAuth flow (Bolt's installer): one row per
 * workspace install, or one per org-wide install on Enterprise Grid (one token for every
 * workspace the org admin adds the app to). Keyed as Slack recommends: the enterprise id for an
 * org-wide install, else the workspace (team) id. Tokens are stored only encrypted
 * (AES-256-GCM under INSTALLATION_ENCRYPTION_KEY): `installation` is Bolt's whole Installation
 * object, sealed.
 */
export const slackInstallations = pgTable(
  'slack_installations',
  {
    /** `E…` for an org-wide install, `T…` for a workspace install. */
    installKey: text('install_key').primaryKey(),
    enterpriseId: text('enterprise_id'),
    teamId: text('team_id'),
    isEnterpriseInstall: boolean('is_enterprise_install').notNull(),
    botUserId: text('bot_user_id'),
    /** Comma-separated bot scopes, as granted (no secret). */
    botScopes: text('bot_scopes').notNull().default(''),
    /** Bolt's Installation as JSON, sealed: `v1.<iv>.<tag>.<ciphertext>` in base64url. */
    installation: text('installation').notNull(),
    installedBy: text('installed_by'),
    ...createdAt,
    updatedAt: instant('updated_at').notNull().defaultNow(),
    /** Set by app_uninstalled / tokens_revoked: the tokens are gone, nothing runs for it. */
    revokedAt: instant('revoked_at'),
  },
  (t) => [index('slack_installations_team_idx').on(t.teamId).where(sql`${t.revokedAt} is null`)],
);

/**
 * Workspaces an org-wide install no longer reaches (`team_access_revoked`): jobs planned there
 * fail closed. `team_access_granted` (the org admin adding the app back) removes the row.
 */
export const slackRevokedWorkspaces = pgTable('slack_revoked_workspaces', {
  teamId: text('team_id').primaryKey(),
  enterpriseId: text('enterprise_id'),
  revokedAt: instant('revoked_at').notNull(),
  /** When the admins were told: once per revocation. */
  notifiedAt: instant('notified_at'),
});

/**
 * What Enterprise Grid routing learned (slack-api/web-client.ts): the workspace of a person
 * (`user`, from users.info) or of a conversation the bot created or opened (`conversation`).
 * Kept so a restart or another instance neither asks Slack again nor paces a call in the wrong
 * workspace.
 */
export const slackRoutingWorkspaces = pgTable(
  'slack_routing_workspaces',
  {
    /** `user` or `conversation`. */
    kind: text('kind').notNull(),
    /** A Slack user id (`U…`/`W…`) or conversation id (`C…`/`G…`/`D…`). */
    slackId: text('slack_id').notNull(),
    teamId: text('team_id').notNull(),
    learnedAt: instant('learned_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.slackId] })],
);

/**
 * People of another workspace told by DM how to join an incident channel they could not be
 * shared into (no admin scope): one row each, claimed before the DM, so no restart or second
 * instance tells them twice.
 */
export const slackJoinNotices = pgTable(
  'slack_join_notices',
  {
    channelId: text('channel_id').notNull(),
    userId: text('user_id').notNull(),
    toldAt: instant('told_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.userId] })],
);
