import { isUserError } from '../errors.js';
import type { Logger } from '../log.js';

/** What a person sees when something broke on our side: calm, and honest that it is logged. */
export const GENERIC_FAILURE = ':warning: Something went wrong on our side and it has been logged. Please try again in a minute.';

/** The one place an error becomes words for a person: a UserError's message, else the generic line. */
export function errorText(err: unknown, logger: Logger, context: Record<string, unknown>): string {
  if (isUserError(err)) {
    logger.info({ ...context, code: err.code }, 'user error');
    return `:warning: ${err.message}`;
  }
  logger.error({ ...context, err }, 'request failed');
  return GENERIC_FAILURE;
}
