/**
 * Errors a person caused and can fix. Their message is safe to show in Slack;
 * `field` points a modal's inline error at the right block. Services throw them; the Slack edge
 * turns them into words in one place (`errorReply` in `src/slack/reply.ts`).
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The caller may not do this to this incident. Audited by the service that throws it. */
export class PermissionDenied extends UserError {
  override readonly name = 'PermissionDenied' as 'UserError';
  constructor(message: string) {
    super('permission_denied', message);
  }
}

/** A thing the user named does not exist (or is not visible to them). */
export class NotFound extends UserError {
  override readonly name = 'NotFound' as 'UserError';
  constructor(message: string) {
    super('not_found', message);
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

/** Input that fails validation, with one message per field (modal block id). */
export class InvalidInput extends UserError {
  override readonly name = 'InvalidInput' as 'UserError';
  constructor(readonly fields: Readonly<Record<string, string>>) {
    super('invalid_input', Object.values(fields).join(' '));
  }
}
