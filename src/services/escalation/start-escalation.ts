import type { MeridianConfig } from '../../config-file/types.js';
import { insertEscalation } from '../../db/repos/escalations.js';
import type { Incident } from '../../domain/incident.js';
import { policyForIncident } from '../../domain/incident-policy.js';
import type { Planning } from '../../jobs/plan.js';

export type PolicySource = Pick<MeridianConfig, 'categories' | 'severities' | 'escalationPolicies'>;

/**
 * Starts the incident's escalation policy inside the caller's transaction: the escalation row
 * (with the policy as it is now) and its first step, due at once, enqueued after commit. Nothing
 * when the severity and category page nobody.
 */
export async function startEscalation(
  { tx, plan }: Pick<Planning, 'tx' | 'plan'>,
  config: PolicySource,
  incident: Incident,
  now: Date,
): Promise<void> {
  const policy = policyForIncident(config, incident);
  if (!policy || policy.steps.length === 0) return;
  const escalation = await insertEscalation(tx, {
    incidentId: incident.id,
    policyId: policy.id,
    policy,
    startedAt: now,
  });
  await plan('escalation-step', { escalationId: escalation.id, stepNumber: 0 }, now, { incidentId: incident.id });
}
