import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a request's timestamp may be from our clock, either way (Slack's rule). */
export const INTAKE_MAX_SKEW_SECONDS = 5 * 60;

export const INTAKE_TIMESTAMP_HEADER = 'x-meridian-request-timestamp';
export const INTAKE_SIGNATURE_HEADER = 'x-meridian-signature';

/** `v0=<hex of HMAC-SHA256(secret, "v0:" + timestamp + ":" + raw body)>` */
export function intakeSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

/**
 * Whether a request was signed with the intake secret within five minutes of `now`. Pure: the
 * clock is an argument, so the five-minute rule is tested without the real one.
 */
export function verifyIntakeSignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer | string;
  now: Date;
}): boolean {
  const { timestamp, signature } = input;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(input.now.getTime() / 1000 - Number(timestamp)) > INTAKE_MAX_SKEW_SECONDS) return false;
  const expected = Buffer.from(intakeSignature(input.secret, timestamp, input.rawBody));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
