/**
 * Every action Meridian writes to the audit log: the one vocabulary, so `addAuditRecord` accepts
 * nothing else and `/incident audit action <name>` can check a name. Stored names are kept as they
 * were first written (the log is append-only), so three styles live side by side:
 * `area.verb` (most: `incident.declare`), three-part
 * `area.noun.verb` (`oncall.override.undo`, and the refused attempts `incident.<form>.open`), and
 * `snake_case` without an area (`audit_viewed`). New actions should be `area.verb`. Documented in
 * docs/retention.md.
 */
export const AUDIT_ACTIONS = [
  // Audit log and retention (issue 24)
  'audit_viewed',
  'audit.export',
  'retention.hold',
  'retention.release_hold',
  'retention.holds_viewed',
  'retention.held_viewed',
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
  // Refused attempts to open a form that changes an incident.
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
  'notice.basis',
  'order.record',
  'order.edit',
  'record.export',
  'record.transparency',
  // Reviews
  'review.canvas',
  'review.post',
  'review.status',
  // Wellbeing
  'wellbeing.hand_over',
  // Slack installs (OAuth, Enterprise Grid): ids only, never a token
  'slack.install',
  'slack.reinstall',
  'slack.workspaces_added',
  'slack.workspaces_removed',
  'slack.tokens_revoked',
  'slack.uninstall',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Names older rows carry and the code no longer writes, with the name written now for the same
 * thing: until December 2026 a refused status change was `incident.status.<status>` while the
 * change itself was `incident.<verb>`; both are now `incident.<verb>` (outcome `refused` or `ok`).
 */
export const LEGACY_AUDIT_ACTIONS: Readonly<Record<string, AuditAction>> = {
  'incident.status.investigating': 'incident.reopen',
  'incident.status.mitigated': 'incident.mitigate',
  'incident.status.resolved': 'incident.resolve',
  'incident.status.closed': 'incident.close',
  'incident.status.cancelled': 'incident.cancel',
};

/** A name a reader may ask for (current or legacy), as the current name. */
export function currentAuditAction(name: string): AuditAction | undefined {
  return isAuditAction(name) ? name : LEGACY_AUDIT_ACTIONS[name];
}

/** Every stored name that means `action`: itself and its legacy names, for readers filtering the log. */
export function storedAuditNames(action: AuditAction): string[] {
  return [action, ...Object.keys(LEGACY_AUDIT_ACTIONS).filter((old) => LEGACY_AUDIT_ACTIONS[old] === action)];
}

const KNOWN: ReadonlySet<string> = new Set(AUDIT_ACTIONS);

/** Whether `name` is one of Meridian's audit actions. */
export function isAuditAction(name: string): name is AuditAction {
  return KNOWN.has(name);
}
