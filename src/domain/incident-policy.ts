import type { EscalationPolicyConfig, MeridianConfig } from '../config-file/types.js';

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
