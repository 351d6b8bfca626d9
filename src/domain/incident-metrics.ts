/**
 * Response times of one incident, measured from its declaration (written for people by
 * `formatDuration` in `duration.ts`).
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
