import { ErrorCode } from '@slack/web-api';
import {
  RateLimited,
  type SlackApiError,
  SlackConfigurationError,
  slackErrorFromCode,
  SlackUnavailable,
  TRANSIENT_SLACK_ERRORS,
  WorkspaceUnavailable,
} from './errors.js';
import { PacingTimeout } from './pacer.js';

/**
 * What to do about one failed attempt: give up with `error`, or try again. `retryAfterMs` is
 * Slack's own wait (from a 429); without it the caller backs off exponentially. `error` is what
 * to throw if no attempt is left.
 */
export type FailureOutcome = { kind: 'fail'; error: SlackApiError } | { kind: 'retry'; error: SlackApiError; retryAfterMs?: number };

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function platformOutcome(method: string, err: unknown, data: Record<string, unknown>): FailureOutcome {
  const code = typeof data['error'] === 'string' ? data['error'] : 'unknown_error';
  const retryAfterSec = asRecord(data['response_metadata'])['retryAfter'];
  const retryAfterMs = typeof retryAfterSec === 'number' ? retryAfterSec * 1000 : undefined;
  // missing_scope says which scope the call needed (`needed`); the token's own (`provided`) are not repeated.
  const needed = typeof data['needed'] === 'string' ? data['needed'] : undefined;
  const error = slackErrorFromCode(code, {
    method,
    cause: err,
    retryAfterMs: retryAfterMs ?? 0,
    ...(needed === undefined ? {} : { needed }),
  });
  if (!TRANSIENT_SLACK_ERRORS.has(code)) return { kind: 'fail', error };
  return retryAfterMs === undefined ? { kind: 'retry', error } : { kind: 'retry', error, retryAfterMs };
}

function httpOutcome(method: string, err: unknown, status: number, body: unknown): FailureOutcome {
  if (status >= 500 || status === 408) {
    return { kind: 'retry', error: new SlackUnavailable({ code: `http_${status}`, method, cause: err }) };
  }
  // Slack answers some errors with a 4xx and a JSON body, e.g. 404 `unknown_method`.
  const code = asRecord(body)['error'];
  return { kind: 'fail', error: slackErrorFromCode(typeof code === 'string' ? code : `http_${status}`, { method, cause: err }) };
}

function requestOutcome(method: string, err: unknown, original: unknown): FailureOutcome {
  const name = asRecord(original)['name'];
  const code = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network_error';
  return { kind: 'retry', error: new SlackUnavailable({ code, method, cause: err }) };
}

/**
 * Classifies an error thrown by WebClient (with its retries off). Dispatches on WebClient's
 * `code` strings rather than `instanceof`, which would break if two copies of the package
 * were ever installed.
 */
export function classifyFailure(method: string, err: unknown): FailureOutcome {
  // Already classified by a step of a compound call (postOnce's history read), under its own method.
  if (err instanceof SlackConfigurationError) return { kind: 'fail', error: err };
  // Our own pacer would have waited longer than this caller may: nothing reached Slack, give up now.
  // The pacer runs inside WebClient's transport, which wraps what it throws as a request error.
  const paced = err instanceof PacingTimeout ? err : asRecord(err)['original'];
  if (paced instanceof PacingTimeout) {
    return { kind: 'fail', error: new RateLimited({ code: 'paced_out', method, cause: paced, retryAfterMs: paced.waitMs }) };
  }
  // The workspace is gone (routing refused before anything was sent): never retried.
  const gone = err instanceof WorkspaceUnavailable ? err : asRecord(err)['original'];
  if (gone instanceof WorkspaceUnavailable) return { kind: 'fail', error: gone };
  const e = asRecord(err);
  // An org-wide token the org admin removed from the workspace: the same as gone.
  if (e['code'] === ErrorCode.PlatformError && asRecord(e['data'])['error'] === 'team_access_not_granted') {
    const why = 'the org admin removed the app from this workspace (team_access_not_granted)';
    return {
      kind: 'fail',
      error: new WorkspaceUnavailable({ code: 'team_access_not_granted', method, cause: err, teamId: undefined, why }),
    };
  }
  switch (e['code']) {
    case ErrorCode.RateLimitedError: {
      const retryAfterMs = Number(e['retryAfter']) * 1000;
      return { kind: 'retry', error: slackErrorFromCode('ratelimited', { method, cause: err, retryAfterMs }), retryAfterMs };
    }
    case ErrorCode.PlatformError:
      return platformOutcome(method, err, asRecord(e['data']));
    case ErrorCode.HTTPError:
      return httpOutcome(method, err, Number(e['statusCode']), e['body']);
    case ErrorCode.RequestError:
      return requestOutcome(method, err, e['original']);
    default:
      // Programming errors and WebClient's argument checks (e.g. uploadV2 without content).
      return { kind: 'fail', error: slackErrorFromCode('unexpected_error', { method, cause: err }) };
  }
}
