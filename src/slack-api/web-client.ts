import { LogLevel, type Logger as WebClientLogger, WebClient } from '@slack/web-api';

/** The logger the gateway needs: pino's object-first shape (a pino Logger fits). */
export interface GatewayLogger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

/**
 * WebClient's own logger, kept quiet: its info line on every 429 and its "http request failed"
 * warnings duplicate what the gateway logs with context, and its debug lines dump request
 * bodies (user text). Its warnings and errors go to our debug level, stringified, so nothing
 * is lost when debugging and nothing noisy reaches production logs.
 */
function quietLogger(logger: GatewayLogger): WebClientLogger {
  let level = LogLevel.WARN;
  const forward =
    (severity: string) =>
    (...msg: unknown[]): void =>
      logger.debug({ webClient: severity, detail: msg.map(String).join(' ').slice(0, 500) }, 'WebClient log');
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: forward('warn'),
    error: forward('error'),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * A WebClient that makes exactly one attempt per call: the gateway owns retries, so the
 * client's 30-minute default retry policy and its queue-pausing 429 handling are switched off.
 */
export function createWebClient(opts: { token: string; apiUrl: string | undefined; timeoutMs: number; logger: GatewayLogger }): WebClient {
  return new WebClient(opts.token, {
    ...(opts.apiUrl === undefined ? {} : { slackApiUrl: opts.apiUrl }),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs,
    logger: quietLogger(opts.logger),
  });
}
