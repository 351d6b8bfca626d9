/** SEV1 is the worst. The order of this list is the order of urgency. */
export const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One line each, shown under the option in the declare modal so nobody has to guess. */
export const SEVERITY_MEANING: Readonly<Record<Severity, string>> = {
  // Each fits Slack's 75 characters of an option description, so the modals show it whole.
  sev1: 'Critical: severe harm now or soon (life or child safety, a deadline today)',
  sev2: 'Major: spreading harm or a regulator, media or partner clock is running',
  sev3: 'Minor: contained or limited harm; needs work this shift',
  sev4: 'Low: no active harm; track and follow up',
};

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** Negative when `a` is more severe than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}
