/** The forms `/oncall at <when>` accepts, for help and error messages. */
export const WHEN_FORMS =
  '`2026-03-29T01:30Z`, `2026-03-29T01:30:00+01:00` (an ISO instant) or `2026-03-29 01:30 Europe/Dublin` (a local time in an IANA zone; without a zone, your Slack time zone)';
