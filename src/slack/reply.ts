import type { AckFn, ViewResponseAction } from '@slack/bolt';
import { isDatabaseUnavailable } from '../db/availability.js';
import { InvalidInput, isUserError } from '../errors.js';
import type { Logger } from '../log.js';

/** What a person sees when something broke on our side: calm, and honest that it is logged. */
export const GENERIC_FAILURE = ':warning: Something went wrong on our side and it has been logged. Please try again in a minute.';

/** Shown while Postgres is down or restarting: nothing was done, and the same request will work once it is back. */
export const DATABASE_UNAVAILABLE = ":warning: Meridian can't reach its database right now; try again in a moment.";

/** Shown on a modal whose state is not in the shape Slack sends: nothing the person typed is wrong. */
export const INCOMPLETE_FORM = 'This form arrived incomplete. Please close it and try again.';

/** What a person is shown for an error, in each of the forms the edge answers in. */
export interface ErrorReply {
  /** For an ephemeral reply, a DM or a command's answer. */
  readonly text: string;
  /** For a modal, by block id: an InvalidInput's fields, or the one field a UserError names; null when it names none. */
  readonly fields: Readonly<Record<string, string>> | null;
  /** For a modal, on a block of the listener's choosing when `fields` is null. */
  readonly inline: string;
}

/**
 * The one place an error becomes words for a person, and is logged: a UserError (InvalidInput
 * included) shows its own message and is logged as the caller's; anything else is a fault,
 * logged with its context, and the person gets the calm generic line.
 */
export function errorReply(err: unknown, logger: Logger, context: Record<string, unknown>): ErrorReply {
  if (isDatabaseUnavailable(err)) {
    logger.warn({ ...context, err }, 'request failed: the database is unreachable');
    return { text: DATABASE_UNAVAILABLE, fields: null, inline: DATABASE_UNAVAILABLE };
  }
  if (!isUserError(err)) {
    logger.error({ ...context, err }, 'request failed');
    return { text: GENERIC_FAILURE, fields: null, inline: GENERIC_FAILURE };
  }
  const fields = err instanceof InvalidInput ? { ...err.fields } : err.field ? { [err.field]: err.message } : null;
  logger.info({ ...context, code: err.code, ...(fields ? { fields: Object.keys(fields) } : {}) }, 'user error');
  return { text: `:warning: ${err.message}`, fields, inline: err.message };
}

/** {@link errorReply} for a command, an action or a DM: the words only. */
export function errorText(err: unknown, logger: Logger, context: Record<string, unknown>): string {
  return errorReply(err, logger, context).text;
}

/**
 * The `response_url` of an interaction payload (message buttons, shortcuts), if it has one: the
 * way to answer the person who clicked even in a channel they are not in.
 */
export function responseUrlOf(body: unknown): string | undefined {
  const url = typeof body === 'object' && body !== null ? (body as { response_url?: unknown }).response_url : undefined;
  return typeof url === 'string' && url !== '' ? url : undefined;
}

/** Bolt's `ack` in a view listener (view_submission or view_closed). */
type ViewAck = AckFn<ViewResponseAction> | AckFn<void>;

/**
 * Answers a view submission that failed with {@link errorReply}: the modal stays open and shows
 * the error inline, on the fields it names, else on `fallbackBlock` (the form's first block).
 * Slack shows these errors as plain text, so `plainText` turns mentions into names first.
 */
export async function answerViewSubmission(
  ack: ViewAck,
  err: unknown,
  where: { logger: Logger; context: Record<string, unknown>; fallbackBlock: string; plainText: (text: string) => Promise<string> },
): Promise<void> {
  const reply = errorReply(err, where.logger, where.context);
  const errors = reply.fields ? { ...reply.fields } : { [where.fallbackBlock]: reply.inline };
  const plain = await Promise.all(Object.entries(errors).map(async ([block, text]) => [block, await where.plainText(text)] as const));
  await ack({ response_action: 'errors', errors: Object.fromEntries(plain) });
}

/**
 * A view submission answered as soon as its work is stored, before the slow part (Slack posts,
 * uploads): Slack closes a modal whose answer takes over 3 s with an error. `answer` acknowledges
 * once; after it, an error can no longer show in the modal, so {@link failAfterAnswer} tells the
 * person in a DM instead.
 */
export function answerOnce(ack: ViewAck): { answer: () => Promise<void>; readonly answered: boolean } {
  let answered = false;
  return {
    answer: async () => {
      if (answered) return;
      answered = true;
      await ack();
    },
    get answered() {
      return answered;
    },
  };
}

/** An error after the modal was answered: logged, and the person told in a DM (best effort). */
export async function failAfterAnswer(
  err: unknown,
  where: { logger: Logger; context: Record<string, unknown>; tellUser: (text: string) => Promise<void> },
): Promise<void> {
  const reply = errorReply(err, where.logger, where.context);
  await where.tellUser(reply.text).catch((e: unknown) => where.logger.warn({ err: e }, 'could not tell of a failure'));
}
