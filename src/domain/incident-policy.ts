import type { EscalationPolicyConfig, MeridianConfig, StakeholderTarget } from '../config-file/types.js';

/**
 * The escalation policy an incident runs: its category's own policy if it has one (a regulator
 * request pages urgently whatever its severity), else its severity's; null pages nobody.
 */
export function policyForIncident(
  config: Pick<MeridianConfig, 'categories' | 'severities' | 'escalationPolicies'>,
  incident: { severity: string; category: string },
): EscalationPolicyConfig | null {
  const category = config.categories.find((c) => c.id === incident.category);
  const severity = config.severities[incident.severity as keyof MeridianConfig['severities']];
  const policyId = category?.policyId ?? severity?.policyId ?? null;
  if (!policyId) return null;
  return config.escalationPolicies.find((p) => p.id === policyId) ?? null;
}

/** Who is invited to an incident's channel: its category's stakeholders and its severity's. */
export function stakeholdersFor(
  config: Pick<MeridianConfig, 'categories' | 'severities'>,
  incident: { severity: string; category: string },
): StakeholderTarget[] {
  const category = config.categories.find((c) => c.id === incident.category);
  const severity = config.severities[incident.severity as keyof MeridianConfig['severities']];
  return [...(category?.invite ?? []), ...(severity?.invite ?? [])];
}
