/**
 * Every action Meridian writes to the audit log: the one vocabulary, so `addAuditRecord` accepts
 * nothing else and `/incident audit action <name>` can check a name. Stored names are kept as they
 * were first written (the log is append-only), so three styles live side by side:
 * `area.verb` (most: `incident.declare`), three-part
 * `area.noun.verb` (`oncall.override.undo`, and the refused attempts `incident.status.<status>`
 * and `incident.<form>.open`), and `snake_case` without an area (`audit_viewed`). New actions should be `area.verb`. Documented in docs/retention.md.
 */
export const AUDIT_ACTIONS = [
  // Audit log and retention (issue 24)
  'audit_viewed',
  'audit.export',
  'retention.hold',
  'retention.release_hold',
  'retention.holds_viewed',
  'retention.purge',
  'retention.redact',
  // Incidents
  'incident.declare',
  'incident.access',
  'incident.link',
  'incident.role',
  'incident.severity',
  'incident.update',
  'incident.mitigate',
  'incident.resolve',
  'incident.close',
  'incident.cancel',
  'incident.reopen',
  // Refused attempts to change an incident: the status asked for, or the form asked for.
  'incident.status.investigating',
  'incident.status.mitigated',
  'incident.status.resolved',
  'incident.status.closed',
  'incident.status.cancelled',
  'incident.severity.open',
  'incident.update.open',
  'incident.role.open',
  'incident.resolve.open',
  'timeline.message_edited',
  // Clocks
  'clock.set',
  'clock.moved',
  'clock.pause',
  'clock.resume',
  'clock.clear',
  'clock.extend',
  'clock.miss_acknowledge',
  'clock.missed',
  'clock.respond',
  'clock.respond_undo',
  // Paging, escalation, on-call
  'escalation.acknowledge',
  'escalation.escalate',
  'escalation.exhausted',
  'oncall.override',
  'oncall.override.undo',
  'paging.preferences',
  // Follow-ups
  'follow_up.create',
  'follow_up.edit',
  'follow_up.done',
  'follow_up.wont_do',
  'follow_up.export',
  'follow_up.webhook',
  // Intake
  'intake.declare',
  'intake.merge',
  'intake.dismiss',
  // Regulatory record, crisis protocols and reports
  'art18.notify',
  'crisis.activate',
  'crisis.conclude',
  'crisis.hashes',
  'crisis.told',
  'crisis.change',
  'ncmec.packet',
  'ncmec.report',
  'order.record',
  'record.export',
  'record.transparency',
  // Reviews
  'review.canvas',
  'review.post',
  'review.status',
  // Wellbeing
  'wellbeing.hand_over',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const KNOWN: ReadonlySet<string> = new Set(AUDIT_ACTIONS);

/** Whether `name` is one of Meridian's audit actions. */
export function isAuditAction(name: string): name is AuditAction {
  return KNOWN.has(name);
}
