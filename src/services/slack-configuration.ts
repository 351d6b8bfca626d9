import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { MissingScope, type SlackConfigurationError } from '../slack-api/errors.js';
import type { SlackGateway } from '../slack-api/gateway.js';
import { scopesMeridianNeeds } from '../slack-api/method-scopes.js';
import { createScopeCheck, REINSTALL_HINT, type ScopeCheck } from '../slack-api/scope-check.js';

/** The admins' message: the refusal, its fix, and that nothing is lost meanwhile. */
export function refusalNotice(error: SlackConfigurationError): string {
  const needed = error.needed === undefined ? '' : ` (it needs \`${error.needed}\`)`;
  return [
    `:warning: Slack refused \`${error.method}\`: ${error.problem}${needed}.`,
    `*Fix:* ${error.fix}.`,
    'What could not be sent stays pending and goes out once this is fixed. This is said once per problem until Meridian restarts.',
  ].join('\n');
}

/**
 * Tells the admins in Slack, once per problem (code and scope or method) per process, that Slack
 * refused a call for a reason only they can fix. Where Slack refuses the notice too (a revoked
 * token), the log line the gateway wrote is all there is.
 */
function createRefusalReporter(deps: {
  slack: () => Pick<SlackGateway, 'postMessage'>;
  admins: readonly string[];
  /** Where to say it when the config file names no admins. */
  feedChannelId: string | undefined;
  logger: Logger;
}) {
  const told = new Set<string>();
  return (error: SlackConfigurationError): void => {
    const key = `${error.code}:${error.needed ?? error.method}`;
    if (told.has(key)) return;
    told.add(key);
    const targets = deps.admins.length > 0 ? deps.admins : deps.feedChannelId ? [deps.feedChannelId] : [];
    const text = refusalNotice(error);
    for (const channel of targets) {
      deps
        .slack()
        .postMessage({ channel, text })
        .catch((err: unknown) => deps.logger.warn({ err, code: error.code }, 'could not tell the admins about a Slack refusal'));
    }
  };
}

/** How often the token's scopes are looked at again when none is missing. */
const SCOPE_RECHECK_EVERY_MS = 5 * 60_000;

/**
 * Watches Slack's configuration: the start-up scope check (and its gauge) and every refusal for a
 * configuration reason (counted, admins told once). `onRefusal` goes into the gateways' retry
 * options; `slack` is read late because the gateways are built with it.
 */
export function createSlackConfigurationWatch(deps: {
  slack: () => Pick<SlackGateway, 'postMessage' | 'authTest'>;
  admins: readonly string[];
  feedChannelId: string | undefined;
  logger: Logger;
  metrics: Pick<Metrics, 'slackRefusals' | 'slackScopeMissing'>;
  clock: () => Date;
}): {
  onRefusal: (error: SlackConfigurationError) => void;
  scopes: ScopeCheck;
  /** Called every reconcile tick: checks again while a scope is missing (a reinstall then clears /healthz within a tick), else every 5 min. */
  tick: () => void;
  health: () => Record<string, unknown> | undefined;
} {
  const tellAdmins = createRefusalReporter(deps);
  const scopes = createScopeCheck({
    authTest: () => deps.slack().authTest(),
    logger: deps.logger,
    clock: deps.clock,
    onStatus: (status) => {
      const missing = new Set(status.missing.map((m) => m.scope));
      for (const scope of scopesMeridianNeeds()) deps.metrics.slackScopeMissing.set({ scope }, missing.has(scope) ? 1 : 0);
    },
  });
  return {
    onRefusal: (error) => {
      deps.metrics.slackRefusals.inc({ method: error.method, code: error.code });
      tellAdmins(error);
      // The token lost (or never had) a scope: say so on /healthz without waiting for the next check.
      if (error instanceof MissingScope) void scopes.run();
    },
    scopes,
    tick: () => {
      const { missing, checkedAt } = scopes.status();
      if (missing.length > 0 || checkedAt === undefined || deps.clock().getTime() - checkedAt.getTime() >= SCOPE_RECHECK_EVERY_MS) {
        void scopes.run();
      }
    },
    health: () => {
      const { missing } = scopes.status();
      if (missing.length === 0) return undefined;
      return { slack: { missingScopes: missing, fix: REINSTALL_HINT } };
    },
  };
}
