import { DrizzleQueryError } from 'drizzle-orm';

/**
 * Codes of a failure to reach Postgres at all (as opposed to a query it refused): the socket's
 * own (refused, reset, unreachable), postgres.js's for a connection that closed, ended or timed
 * out, and the server's when it is shutting down, starting up or cut the session (57P0x).
 */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01',
  '57P02',
  '57P03',
]);

/**
 * Whether `err` means the database cannot be reached right now (down, restarting, the network),
 * so the same request will likely work in a moment. Drizzle wraps a failed query; its cause is
 * the driver's error. Other causes are not followed: a Slack or Redis failure wrapping a socket
 * error of its own is not the database's.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const driverError = err instanceof DrizzleQueryError ? err.cause : err;
  if (typeof driverError !== 'object' || driverError === null) return false;
  const code = (driverError as { code?: unknown }).code;
  // Class 08 is SQLSTATE's "connection exception".
  return typeof code === 'string' && (UNREACHABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code));
}
