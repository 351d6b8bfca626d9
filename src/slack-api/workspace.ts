import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The Slack workspace a piece of work belongs to (Enterprise Grid: one org, several
 * workspaces). The edge sets it for each request (from Slack's `team_id` / `enterprise_id`), the
 * worker for each scheduled action (from its row), and every gateway call made inside reads it:
 * which token to use, which `team_id` to send, which rate-limit buckets to count against. The
 * single-token mode never sets one and behaves as before.
 */
export interface Workspace {
  teamId: string;
  enterpriseId?: string | undefined;
}

const current = new AsyncLocalStorage<Workspace>();

/** Runs `work` with every Slack call inside it made in `workspace` (none: unchanged). */
export function inWorkspace<T>(workspace: Workspace | undefined, work: () => T): T {
  return workspace === undefined ? work() : current.run(workspace, work);
}

/** The workspace of the request or job being handled, if any. */
export function currentWorkspace(): Workspace | undefined {
  return current.getStore();
}

/** A token and what it covers, for one call. */
export interface WorkspaceToken {
  token: string;
  /** An org-wide (Enterprise Grid) token: calls that must name a workspace get `team_id`. */
  orgWide: boolean;
  /** The installing org admin's user token with `admin.conversations:write`: shares channels across workspaces. */
  adminToken?: string | undefined;
}

/**
 * How the gateway finds the token of a workspace (the installation store). Throws
 * WorkspaceUnavailable (errors.ts) when the app no longer reaches it.
 */
export interface WorkspaceRouting {
  tokenFor(workspace: Workspace): Promise<WorkspaceToken>;
  /** The workspace of work that names none (schedule-wide jobs, the start-up checks). */
  home(): Workspace | undefined;
  /** Where people and conversations are, and who was told how to join; unset: this process's memory only. */
  memory?: RoutingMemory;
}

/**
 * What Enterprise Grid routing learns and must not forget across a restart or between instances:
 * the workspace of each person and of each conversation the bot created or opened, and which
 * people were told how to join a channel of another workspace (told once, by whichever instance
 * claims it first). Kept in Postgres by the installation store; {@link memoryRoutingMemory}
 * keeps it in this process only.
 */
export interface RoutingMemory {
  userTeam(userId: string): Promise<string | undefined>;
  rememberUserTeam(userId: string, teamId: string): Promise<void>;
  conversationTeam(channelId: string): Promise<string | undefined>;
  rememberConversationTeam(channelId: string, teamId: string): Promise<void>;
  /** True for the first caller only (any process): that caller sends the how-to-join DM. */
  claimJoinNotice(channelId: string, userId: string): Promise<boolean>;
  /** The DM could not be sent: a later invitation may try again. */
  releaseJoinNotice(channelId: string, userId: string): Promise<void>;
}

/** A {@link RoutingMemory} of this process only (no database: a restart forgets it). */
export function memoryRoutingMemory(): RoutingMemory {
  const users = new Map<string, string>();
  const conversations = new Map<string, string>();
  const told = new Set<string>();
  return {
    userTeam: async (userId) => users.get(userId),
    rememberUserTeam: async (userId, teamId) => void users.set(userId, teamId),
    conversationTeam: async (channelId) => conversations.get(channelId),
    rememberConversationTeam: async (channelId, teamId) => void conversations.set(channelId, teamId),
    async claimJoinNotice(channelId, userId) {
      const key = `${channelId}:${userId}`;
      if (told.has(key)) return false;
      told.add(key);
      return true;
    },
    releaseJoinNotice: async (channelId, userId) => void told.delete(`${channelId}:${userId}`),
  };
}
