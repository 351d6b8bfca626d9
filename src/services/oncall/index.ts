import type { OncallDeps, OncallServices } from './deps.js';
import { oncallCommand } from './commands.js';
import { notifyHandoff, planHandoffNotices } from './handoff-notices.js';
import { submitOverride } from './override.js';
import { undoOverride } from './override-undo.js';
import { planUserGroupSyncs } from './user-groups.js';

/** Binds the on-call use cases to their dependencies. */
export function createOncallServices(deps: OncallDeps): OncallServices {
  // The workspace id scopes which open incidents a handoff DM lists; asked once, on first need.
  let teamId: Promise<string> | undefined;
  const team = (): Promise<string> => {
    teamId ??= deps.slack.authTest().then(
      (identity) => identity.teamId,
      (err: unknown) => {
        teamId = undefined;
        throw err;
      },
    );
    return teamId;
  };
  // Never throws: it runs before the reconciler, which must run even when planning fails.
  const plan = async (): Promise<void> => {
    try {
      await planHandoffNotices(deps);
    } catch (err) {
      deps.logger.error({ err }, 'planning handoff notices failed; the next run will try again');
    }
    // Every handoff and override also moves the on-call user groups.
    try {
      await planUserGroupSyncs(deps);
    } catch (err) {
      deps.logger.error({ err }, 'planning on-call user group syncs failed; the next run will try again');
    }
  };
  return {
    command: (input) => oncallCommand(deps, input),
    submitOverride: (input) => submitOverride({ ...deps, replan: plan }, input),
    undoOverride: (input) => undoOverride({ ...deps, replan: plan }, input),
    planHandoffNotices: plan,
    notifyHandoff: (ctx) => notifyHandoff({ ...deps, teamId: team }, ctx),
  };
}
