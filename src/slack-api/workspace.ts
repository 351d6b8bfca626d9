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
}
