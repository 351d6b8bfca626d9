/** Slack's replay rule, both ways. Pure: the caller passes the clock. */

/** How far a request's timestamp may be from our clock, either way (Slack's documented 5 minutes). */
export const MAX_REQUEST_SKEW_SECONDS = 5 * 60;

/**
 * True when `X-Slack-Request-Timestamp` names an instant more than 5 minutes after `nowMs`.
 * Bolt refuses only old timestamps; a future one would let a captured request be replayed
 * until that future passes. A missing or unreadable header is left to Bolt's own check.
 */
export function isFromTheFuture(header: string | string[] | undefined, nowMs: number): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d{1,12}$/.test(value)) return false;
  return Number(value) > Math.floor(nowMs / 1000) + MAX_REQUEST_SKEW_SECONDS;
}
