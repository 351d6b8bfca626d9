import type { MeridianConfig } from '../../config-file/types.js';
import type { Transaction } from '../../db/client.js';
import { insertEscalation } from '../../db/repos/escalations.js';
import type { Incident } from '../../domain/incident.js';
import { insertScheduledActions, type ScheduledAction } from '../../db/repos/scheduled-actions.js';
import { policyForIncident } from '../../domain/incident-policy.js';

export type PolicySource = Pick<MeridianConfig, 'categories' | 'severities' | 'escalationPolicies'>;

/**
 * Starts the incident's escalation policy inside the caller's transaction: the escalation row
 * (with the policy as it is now) and its first step, due at once. Returns the action to enqueue
 * after commit; none when the severity and category page nobody.
 */
export async function startEscalation(tx: Transaction, config: PolicySource, incident: Incident, now: Date): Promise<ScheduledAction[]> {
  const policy = policyForIncident(config, incident);
  if (!policy || policy.steps.length === 0) return [];
  const escalation = await insertEscalation(tx, {
    incidentId: incident.id,
    policyId: policy.id,
    policy,
    startedAt: now,
  });
  return insertScheduledActions(tx, [
    { incidentId: incident.id, kind: 'escalation-step', dueAt: now, data: { escalationId: escalation.id, stepNumber: 0 }, dedupeKey: null },
  ]);
}
