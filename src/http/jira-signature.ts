import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Jira Cloud signs an admin webhook in, when the webhook was saved with a secret. */
export const JIRA_SIGNATURE_HEADER = 'x-hub-signature';

/** `sha256=<hex of HMAC-SHA256(secret, raw body)>`: the WebSub form Jira Cloud sends. */
export function jiraSignature(secret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * Whether a Jira admin webhook's body was signed with our secret. Jira signs no timestamp, so
 * a replay is possible: what the route does with a delivery (close a follow-up that Jira says is
 * done) is harmless to repeat.
 */
export function verifyJiraSignature(input: { secret: string; signature: string; rawBody: Buffer | string }): boolean {
  const expected = Buffer.from(jiraSignature(input.secret, input.rawBody));
  const given = Buffer.from(input.signature.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
