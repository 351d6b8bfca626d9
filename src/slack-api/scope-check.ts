import type { AuthIdentity } from './gateway-users.js';
import { missingScopes, scopesMeridianNeeds } from './method-scopes.js';
import type { GatewayLogger } from './web-client.js';

/** What the last check found. `granted` is undefined until a check has read the token's scopes. */
export interface ScopeStatus {
  granted: string[] | undefined;
  missing: Array<{ scope: string; breaks: string }>;
  checkedAt: Date | undefined;
}

export const REINSTALL_HINT = 'reinstall the app from manifests/slack-app.yaml';

/** The one sentence said when the token lacks scopes: which, what breaks without them, and the fix. */
export function missingScopesSentence(missing: ScopeStatus['missing']): string {
  const list = missing.map((m) => `${m.scope} (${m.breaks})`).join('; ');
  const count = missing.length === 1 ? 'a scope' : `${missing.length} scopes`;
  return `The Slack token lacks ${count} this version of Meridian needs: ${list}. Those fail until you ${REINSTALL_HINT}; everything else runs.`;
}

/**
 * The start-up self-check: auth.test answers with the token's scopes (`x-oauth-scopes`); compare
 * them with what this version needs. A missing scope stops nothing: it is said once in the log
 * (again only when the set changes), and `status()` feeds /healthz and the metrics gauge.
 */
export function createScopeCheck(deps: {
  authTest: () => Promise<AuthIdentity>;
  logger: GatewayLogger;
  /** Told of each check's result (the runtime sets the gauge). */
  onStatus?: (status: ScopeStatus) => void;
  clock?: () => Date;
}) {
  let status: ScopeStatus = { granted: undefined, missing: [], checkedAt: undefined };
  let running: Promise<ScopeStatus> | undefined;

  const check = async (): Promise<ScopeStatus> => {
    const identity = await deps.authTest();
    if (identity.scopes === undefined) {
      deps.logger.warn({}, 'Slack did not say which scopes the token has (no x-oauth-scopes header): the scope check was skipped');
      return status;
    }
    const before = status.missing.map((m) => m.scope).join(',');
    const next: ScopeStatus = {
      granted: identity.scopes,
      missing: missingScopes(identity.scopes),
      checkedAt: (deps.clock ?? (() => new Date()))(),
    };
    const after = next.missing.map((m) => m.scope).join(',');
    if (next.missing.length > 0 && (after !== before || status.checkedAt === undefined)) {
      deps.logger.error({ missingScopes: next.missing.map((m) => m.scope) }, missingScopesSentence(next.missing));
    } else if (next.missing.length === 0 && (before !== '' || status.checkedAt === undefined)) {
      deps.logger.info({ scopes: scopesMeridianNeeds().length }, 'The Slack token has every scope this version of Meridian needs');
    }
    status = next;
    deps.onStatus?.(status);
    return status;
  };

  return {
    /** Checks now (a check already running is shared). A failed auth.test is logged, and the last status kept. */
    run(): Promise<ScopeStatus> {
      running ??= check()
        .catch((err: unknown) => {
          deps.logger.warn({ err }, 'the Slack scope check could not run (auth.test failed)');
          return status;
        })
        .finally(() => {
          running = undefined;
        });
      return running;
    },
    status: (): ScopeStatus => status,
  };
}

export type ScopeCheck = ReturnType<typeof createScopeCheck>;
