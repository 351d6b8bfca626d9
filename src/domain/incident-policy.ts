import type { NamedEscalationPolicy, ResponsePolicy, StakeholderTarget } from './response-policy.js';
import type { Severity } from './severity.js';

/**
 * The escalation policy an incident runs: its category's own policy if it has one (a regulator
 * request pages urgently whatever its severity), else its severity's; null pages nobody.
 */
export function policyForIncident(
  config: Pick<ResponsePolicy, 'categories' | 'severities' | 'escalationPolicies'>,
  incident: { severity: Severity; category: string },
): NamedEscalationPolicy | null {
  const category = config.categories.find((c) => c.id === incident.category);
  const severity = config.severities[incident.severity];
  const policyId = category?.policyId ?? severity?.policyId ?? null;
  if (!policyId) return null;
  return config.escalationPolicies.find((p) => p.id === policyId) ?? null;
}

/**
 * Who is invited to an incident's channel: its category's stakeholders and its severity's. A
 * category that restricts access (`private` or `sensitive`, as child safety) gets only the people
 * it names; a severity's wider list (the SEV1 leads group) is not invited to it.
 */
export function stakeholdersFor(
  config: Pick<ResponsePolicy, 'categories' | 'severities'>,
  incident: { severity: Severity; category: string },
): StakeholderTarget[] {
  const category = config.categories.find((c) => c.id === incident.category);
  const severity = config.severities[incident.severity];
  if (category?.private || category?.sensitive) return [...(category?.invite ?? [])];
  return [...(category?.invite ?? []), ...(severity?.invite ?? [])];
}
