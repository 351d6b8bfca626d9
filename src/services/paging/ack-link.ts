/** Email acknowledge links: `<notification id>.<expiry seconds>.<HMAC>`, checked without the database; single use is the row's. */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long an emailed link works. */
export const ACK_LINK_TTL_MS = 24 * 60 * 60 * 1000;

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export function signAckLink(secret: string, notificationId: string, expiresAt: Date): string {
  const payload = `${notificationId}.${Math.floor(expiresAt.getTime() / 1000)}`;
  return `${payload}.${mac(secret, payload)}`;
}

/** The notification a token names, or why it is refused. */
export function readAckLink(
  secret: string,
  token: string,
  now: Date,
): { ok: true; notificationId: string } | { ok: false; reason: 'invalid' | 'expired' } {
  const m = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  const [, id, expiry, signature] = m ?? [];
  if (!id || !expiry || !signature) return { ok: false, reason: 'invalid' };
  const expected = Buffer.from(mac(secret, `${id}.${expiry}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  if (Number(expiry) * 1000 < now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, notificationId: id };
}
