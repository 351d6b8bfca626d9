import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Database } from '../db/client.js';
import type { InstallationCipher } from '../db/installation-cipher.js';
import {
  claimRevocationNotice,
  findInstallation,
  grantWorkspaces,
  installationsOfBotUsers,
  isWorkspaceRevoked,
  liveEnterpriseInstallation,
  revokeInstallations,
  revokeWorkspaces,
  saveInstallation,
} from '../db/repos/slack-installations.js';
import { addAuditRecord } from '../db/repos/record.js';
import { claimJoinNotice, findRoutedWorkspace, releaseJoinNotice, saveRoutedWorkspace } from '../db/repos/slack-routing.js';
import type { AuditAction } from '../domain/audit-actions.js';
import type { Logger } from '../log.js';
import { inWorkspace, type RoutingMemory, type Workspace, type WorkspaceRouting, WorkspaceUnavailable } from '../slack-api/index.js';
import type { SlackGateway } from '../slack-api/gateway.js';
import { SHARE_CHANNEL_SCOPE } from '../slack-api/org-token.js';
import type { Clock } from './types.js';

export interface InstallationDeps {
  db: Database;
  cipher: InstallationCipher;
  logger: Logger;
  clock: Clock;
  /** The workspace of work that names none (schedule-wide jobs): SLACK_HOME_TEAM_ID. */
  homeTeamId: string | undefined;
  /** How long a decrypted token is reused before the store is read again. */
  cacheMs?: number;
}

/** The key Slack recommends: the enterprise for an org-wide install, else the workspace. */
function installKeyOf(installation: Installation): string {
  const key = installation.isEnterpriseInstall === true ? installation.enterprise?.id : installation.team?.id;
  if (key === undefined) throw new Error('an installation without its team or enterprise id cannot be stored');
  return key;
}

const GONE_FIX =
  'An org admin can add Meridian back to the workspace (Org settings > Integrations > Installed apps > Meridian > Add to more workspaces).';

/**
 * Installations from Slack's OAuth flow, stored encrypted in Postgres: Bolt's installation store
 * (`/slack/install` and `/slack/oauth_redirect`), the token of each workspace for the gateway,
 * and the removal events (`app_uninstalled`, `tokens_revoked`, `team_access_revoked`) that
 * revoke what is stored.
 */
export function createInstallations(deps: InstallationDeps) {
  const { db, cipher, logger, clock } = deps;
  const cacheMs = deps.cacheMs ?? 30_000;
  const cache = new Map<string, { installation: Installation | undefined; until: number }>();
  const revokedTeams = new Map<string, { revoked: boolean; until: number }>();

  const readInstallation = async (installKey: string): Promise<Installation | undefined> => {
    const cached = cache.get(installKey);
    if (cached !== undefined && cached.until > Date.now()) return cached.installation;
    const row = await findInstallation(db, installKey);
    const installation = row === undefined ? undefined : (JSON.parse(cipher.open(row.installation, row.installKey)) as Installation);
    cache.set(installKey, { installation, until: Date.now() + cacheMs });
    return installation;
  };

  const teamRevoked = async (teamId: string): Promise<boolean> => {
    const cached = revokedTeams.get(teamId);
    if (cached !== undefined && cached.until > Date.now()) return cached.revoked;
    const revoked = await isWorkspaceRevoked(db, teamId);
    revokedTeams.set(teamId, { revoked, until: Date.now() + cacheMs });
    return revoked;
  };

  /** The installation that reaches a workspace: its own, or the org-wide one of its enterprise. */
  const installationFor = async (workspace: Workspace): Promise<Installation | undefined> => {
    const own = await readInstallation(workspace.teamId);
    if (own !== undefined) return own;
    if (workspace.enterpriseId !== undefined) return readInstallation(workspace.enterpriseId);
    // Work planned without its enterprise (the home workspace): the org's one org-wide install.
    const org = await liveEnterpriseInstallation(db);
    return org === undefined ? undefined : readInstallation(org);
  };

  const forget = () => {
    cache.clear();
    revokedTeams.clear();
  };

  /** Installs and removals are audited with the workspace and enterprise ids, never a token. */
  const audit = (action: AuditAction, actorId: string | null, details: Record<string, unknown>) =>
    addAuditRecord(db, { action, actorId, at: clock(), details });

  const store: InstallationStore = {
    async storeInstallation(installation) {
      const installKey = installKeyOf(installation);
      const isEnterpriseInstall = installation.isEnterpriseInstall === true;
      const { reinstall } = await saveInstallation(
        db,
        {
          installKey,
          enterpriseId: installation.enterprise?.id ?? null,
          teamId: installation.team?.id ?? null,
          isEnterpriseInstall,
          botUserId: installation.bot?.userId ?? null,
          botScopes: (installation.bot?.scopes ?? []).join(','),
          installation: cipher.seal(JSON.stringify(installation), installKey),
          installedBy: installation.user.id,
        },
        clock(),
      );
      // A workspace install brings the workspace back too.
      if (installation.team?.id !== undefined) await grantWorkspaces(db, [installation.team.id]);
      forget();
      await audit(reinstall ? 'slack.reinstall' : 'slack.install', installation.user.id, {
        installKey,
        enterpriseId: installation.enterprise?.id ?? null,
        teamId: installation.team?.id ?? null,
        isEnterpriseInstall,
        scopes: installation.bot?.scopes ?? [],
      });
      logger.info(
        { installKey, isEnterpriseInstall, reinstall, installedBy: installation.user.id, scopes: installation.bot?.scopes },
        isEnterpriseInstall
          ? 'Slack org-wide install stored; an org admin must now add the app to each workspace'
          : 'Slack workspace install stored',
      );
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const workspace = query.isEnterpriseInstall || query.teamId === undefined ? undefined : query.teamId;
      if (workspace !== undefined && (await teamRevoked(workspace))) throw new Error(`the app was removed from workspace ${workspace}`);
      const installation =
        query.isEnterpriseInstall && query.enterpriseId !== undefined
          ? await readInstallation(query.enterpriseId)
          : workspace === undefined
            ? undefined
            : await installationFor({ teamId: workspace, enterpriseId: query.enterpriseId });
      if (installation === undefined) throw new Error('no installation of the app covers this workspace');
      return installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      const key = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
      if (key !== undefined) await revokeInstallations(db, [key], clock());
      forget();
    },
  };

  /** Routing's memory in Postgres: shared by every instance, kept across restarts. */
  const memory: RoutingMemory = {
    userTeam: (userId) => findRoutedWorkspace(db, 'user', userId),
    rememberUserTeam: (userId, teamId) => saveRoutedWorkspace(db, 'user', userId, teamId, clock()),
    conversationTeam: (channelId) => findRoutedWorkspace(db, 'conversation', channelId),
    rememberConversationTeam: (channelId, teamId) => saveRoutedWorkspace(db, 'conversation', channelId, teamId, clock()),
    claimJoinNotice: (channelId, userId) => claimJoinNotice(db, channelId, userId, clock()),
    releaseJoinNotice: (channelId, userId) => releaseJoinNotice(db, channelId, userId),
  };

  const routing: WorkspaceRouting = {
    memory,
    async tokenFor(workspace) {
      const method = 'routing';
      if (await teamRevoked(workspace.teamId)) {
        throw new WorkspaceUnavailable({
          code: 'team_access_revoked',
          method,
          teamId: workspace.teamId,
          why: 'an org admin removed the app from it',
        });
      }
      const installation = await installationFor(workspace);
      const token = installation?.bot?.token;
      if (installation === undefined || token === undefined) {
        const why = 'no installation of the app covers it (never installed, uninstalled, or its tokens revoked)';
        throw new WorkspaceUnavailable({ code: 'not_installed', method, teamId: workspace.teamId, why });
      }
      const user = installation.user;
      const adminToken = user.token !== undefined && (user.scopes ?? []).includes(SHARE_CHANNEL_SCOPE) ? user.token : undefined;
      return { token, orgWide: installation.isEnterpriseInstall === true, adminToken };
    },
    home: () => (deps.homeTeamId === undefined ? undefined : { teamId: deps.homeTeamId }),
  };

  return {
    store,
    routing,
    /** team_access_revoked: an org admin removed the app from these workspaces. */
    async workspacesRevoked(teamIds: readonly string[], enterpriseId: string | undefined): Promise<void> {
      await revokeWorkspaces(db, teamIds, enterpriseId ?? null, clock());
      forget();
      await audit('slack.workspaces_removed', null, { teamIds, enterpriseId: enterpriseId ?? null });
      logger.warn({ teamIds, enterpriseId }, 'Slack: the app was removed from workspaces; work planned there fails closed');
    },
    /** team_access_granted: the org admin added the app to these workspaces. */
    async workspacesGranted(teamIds: readonly string[], enterpriseId: string | undefined): Promise<void> {
      await grantWorkspaces(db, teamIds);
      forget();
      await audit('slack.workspaces_added', null, { teamIds, enterpriseId: enterpriseId ?? null });
      logger.info({ teamIds, enterpriseId }, 'Slack: the app was added to workspaces');
    },
    /** app_uninstalled: the whole install is gone (org-wide: every workspace of the org). */
    async uninstalled(workspace: {
      teamId?: string | undefined;
      enterpriseId?: string | undefined;
      isEnterpriseInstall: boolean;
    }): Promise<void> {
      const key = workspace.isEnterpriseInstall ? workspace.enterpriseId : workspace.teamId;
      const revoked = key === undefined ? [] : await revokeInstallations(db, [key], clock());
      forget();
      await audit('slack.uninstall', null, {
        teamId: workspace.teamId ?? null,
        enterpriseId: workspace.enterpriseId ?? null,
        isEnterpriseInstall: workspace.isEnterpriseInstall,
        installKeys: revoked,
      });
      logger.warn({ installKeys: revoked }, 'Slack: the app was uninstalled; its stored tokens are revoked');
    },
    /** tokens_revoked: the bot users whose tokens Slack revoked (an uninstall or a token reset). */
    async tokensRevoked(
      botUserIds: readonly string[],
      workspace: { teamId?: string | undefined; enterpriseId?: string | undefined },
    ): Promise<void> {
      const keys = [workspace.enterpriseId, workspace.teamId].filter((k): k is string => k !== undefined);
      const revoked = await revokeInstallations(db, await installationsOfBotUsers(db, botUserIds, keys), clock());
      forget();
      await audit('slack.tokens_revoked', null, {
        botUserIds,
        teamId: workspace.teamId ?? null,
        enterpriseId: workspace.enterpriseId ?? null,
        installKeys: revoked,
      });
      logger.warn({ installKeys: revoked }, 'Slack: bot tokens were revoked; the stored installation is revoked');
    },
    /**
     * A scheduled action found its workspace gone: tell the admins once per removal (by DM, in
     * their own workspace), and log every such action.
     */
    async actionFailedClosed(
      slack: Pick<SlackGateway, 'openDm' | 'postMessage'>,
      admins: readonly string[],
      action: { id: string; kind: string; teamId: string | null },
    ): Promise<void> {
      logger.error(
        { actionId: action.id, kind: action.kind, teamId: action.teamId },
        'scheduled action failed closed: its Slack workspace is gone',
      );
      if (action.teamId === null || !(await claimRevocationNotice(db, action.teamId, clock()))) return;
      const text = `:warning: Meridian can no longer reach Slack workspace ${action.teamId}: a ${action.kind} planned there was stopped, and so will be everything else planned there. ${GONE_FIX}`;
      for (const admin of admins) {
        await inWorkspace(routing.home(), async () => {
          const channel = await slack.openDm(admin);
          await slack.postMessage({ channel, text });
        }).catch((err: unknown) => logger.warn({ err, admin }, 'could not tell an admin that a workspace is gone'));
      }
    },
  };
}

export type Installations = ReturnType<typeof createInstallations>;
