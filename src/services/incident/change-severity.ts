import { findIncident, updateIncident, type Incident } from '../../db/repos/incidents.js';
import { latestEscalation } from '../../db/repos/escalations.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { claimSlackDelivery } from '../../db/repos/slack-events.js';
import { isOpen } from '../../domain/lifecycle.js';
import { policyForIncident } from '../../domain/incident-policy.js';
import { compareSeverity, isSeverity } from '../../domain/severity.js';
import { replanOnSeverityChange } from '../../domain/update-cadence.js';
import { InvalidInput } from '../../errors.js';
import { feedChange, severityChangedLine } from '../../blocks/incident-changes.js';
import { startEscalation } from '../escalation/start-escalation.js';
import type { IncidentDeps } from './context.js';
import { requireChanger } from './context.js';
import { withPlanning } from '../../jobs/plan.js';
import { publishChange, replanReminder, stopPaging } from './effects.js';
import { inviteStakeholders } from './invite-stakeholders.js';

/**
 * Changes the severity, with a reason, and re-evaluates what it demands: a different escalation
 * policy restarts paging under the new policy (unless someone has acknowledged already), and the
 * update cadence is re-planned from the last update. Announced in the channel and, for public
 * incidents, the feed. The submission is claimed in the same transaction: the same view submitted
 * again changes and announces nothing.
 */
export async function changeSeverity(
  deps: IncidentDeps,
  input: { userId: string; incident: Incident; submissionKey: string; severity?: string; reason?: string },
): Promise<void> {
  const { incident, userId } = input;
  await requireChanger(deps, incident, userId, 'incident.severity');
  const errors: Record<string, string> = {};
  const to = isSeverity(input.severity) ? input.severity : null;
  if (!to) errors.severity = 'Choose a severity.';
  else if (to === incident.severity) errors.severity = 'That is the severity already.';
  const reason = (input.reason ?? '').trim();
  if (reason.length < 3) errors.reason = 'Say why the severity changes; it goes in the record.';
  if (Object.keys(errors).length || !to) throw new InvalidInput(errors);
  if (!isOpen(incident.status)) throw new InvalidInput({ severity: 'This incident is no longer open.' });
  const from = incident.severity;
  const now = deps.clock();

  const outcome = await withPlanning(deps, async (planning) => {
    const { tx } = planning;
    if (!(await claimSlackDelivery(tx, input.submissionKey))) return null;
    // The peak only ever rises; the declared severity never changes (what reports count by).
    const peakSeverity = compareSeverity(to, incident.peakSeverity) < 0 ? to : incident.peakSeverity;
    const updated = await updateIncident(tx, incident.id, { severity: to, peakSeverity });
    await addTimelineEntry(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'severity_changed',
      actorId: userId,
      text: `Severity ${from} -> ${to}: ${reason}`,
      data: { from, to },
    });
    await addAuditRecord(tx, {
      incidentId: incident.id,
      at: now,
      actorId: userId,
      action: 'incident.severity',
      details: { from, to, reason },
    });
    // Paging: a different policy replaces a running escalation; a newly urgent incident nobody took starts one.
    const current = await latestEscalation(tx, incident.id);
    const policy = policyForIncident(deps.meridian, updated);
    let settled: Awaited<ReturnType<typeof stopPaging>> = [];
    const policyChanged = (policy?.id ?? null) !== (current?.policyId ?? null);
    if (policyChanged && current?.status === 'active') {
      settled = await stopPaging(planning, incident.id, now);
      await startEscalation(planning, deps.meridian, updated, now);
    } else if (policyChanged && !current && compareSeverity(to, from) < 0) {
      await startEscalation(planning, deps.meridian, updated, now);
    }
    const plan = replanOnSeverityChange({
      from,
      to,
      lastUpdateAt: incident.lastUpdateAt ?? incident.declaredAt,
      now,
      severities: deps.meridian.severities,
    });
    if (plan.changed) await replanReminder(planning, incident, plan.dueAt, now);
    return { settled };
  });
  if (!outcome) return;

  const fresh = (await findIncident(deps.db, incident.id)) ?? incident;
  if (compareSeverity(to, from) < 0) {
    await inviteStakeholders(deps, fresh).catch((err: unknown) =>
      deps.logger.warn({ err, incidentId: incident.id }, 'stakeholders not invited'),
    );
  }
  await publishChange(deps, incident.id, {
    channelText: severityChangedLine(fresh, from, userId, reason, deps.catalog),
    feed: feedChange(fresh, compareSeverity(to, from) < 0 ? 'severity raised' : 'severity lowered', deps.catalog),
    settledPages: outcome.settled,
  });
}
