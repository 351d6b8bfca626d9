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
 * private incident or a sensitive category (child safety: "restrict access") gets only the
 * people its category names; a severity's wider list (the SEV1 leads group) is not invited.
 */
export function stakeholdersFor(
  config: Pick<ResponsePolicy, 'categories' | 'severities'>,
  incident: { severity: Severity; category: string; isPrivate?: boolean },
): StakeholderTarget[] {
  const category = config.categories.find((c) => c.id === incident.category);
  const severity = config.severities[incident.severity];
  if (incident.isPrivate || category?.sensitive) return [...(category?.invite ?? [])];
  return [...(category?.invite ?? []), ...(severity?.invite ?? [])];
}
