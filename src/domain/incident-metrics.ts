/**
 * Response times of one incident, measured from its declaration, and how we write durations
 * for people.
 */

/** The timestamps of an incident that response times are measured from. */
export interface IncidentMilestones {
  readonly declaredAt: Date;
  readonly acknowledgedAt: Date | null;
  readonly mitigatedAt: Date | null;
  readonly resolvedAt: Date | null;
}

/** Milliseconds from declaration to each milestone; null when it has not happened. */
export interface ResponseTimes {
  readonly timeToAcknowledgeMs: number | null;
  readonly timeToMitigateMs: number | null;
  readonly timeToResolveMs: number | null;
}

/**
 * Time to acknowledge, mitigate and resolve. An incident resolved without a mitigation phase
 * was mitigated when it was resolved: the harm stopped then. A milestone stamped before the
 * declaration (a clock step between machines) counts as immediate, never as negative.
 */
export function responseTimes(incident: IncidentMilestones): ResponseTimes {
  const since = (at: Date | null): number | null => (at === null ? null : Math.max(0, at.getTime() - incident.declaredAt.getTime()));
  return {
    timeToAcknowledgeMs: since(incident.acknowledgedAt),
    timeToMitigateMs: since(incident.mitigatedAt ?? incident.resolvedAt),
    timeToResolveMs: since(incident.resolvedAt),
  };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration in its two largest units: "45 s", "3 min 12 s", "1 h 04 min", "2 d 3 h". The
 * smaller unit is dropped when zero ("2 h"), and minutes and seconds after a larger unit have
 * two digits, like a clock. Truncated, never rounded up: 59 min 59.9 s is "59 min 59 s".
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`formatDuration: expected a duration in ms, got ${ms}`);
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  const seconds = Math.floor((ms % MINUTE) / SECOND);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${twoDigits(minutes)} min` : `${hours} h`;
  if (minutes > 0) return seconds > 0 ? `${minutes} min ${twoDigits(seconds)} s` : `${minutes} min`;
  return `${seconds} s`;
}

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}
