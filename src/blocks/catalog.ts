import type { DeadlineKind } from '../domain/clocks.js';
import type { IncidentCategory, SeverityPolicy } from '../domain/response-policy.js';
import { isSeverity, SEVERITIES, SEVERITY_MEANING, type Severity } from '../domain/severity.js';
import { STATUS_LABEL as LIFECYCLE_LABELS } from '../domain/lifecycle.js';
import type { HoldDuty } from '../domain/retention.js';
import { plainText } from './kit.js';
import { SLACK_LIMITS } from './slack-limits.js';

/** Status labels by any status string (unknown ones pass through). */
export const STATUS_LABEL: Readonly<Record<string, string>> = LIFECYCLE_LABELS;

/** What renderers need to name severities and categories the way the config file does. */
export interface Catalog {
  severities: Readonly<Record<Severity, Pick<SeverityPolicy, 'label'>>>;
  categories: readonly Pick<IncidentCategory, 'id' | 'name' | 'defaultSeverity' | 'private' | 'runbook' | 'sensitive'>[];
  /** The deadline kinds, to tell a statutory clock from the organisation's own target (absent: none is statutory). */
  deadlines?: readonly Pick<DeadlineKind, 'id' | 'effectiveFrom' | 'internalTarget'>[];
  /** Preservation duties (`retention.holds`): the card shows the holds they put on an incident. */
  holdDuties?: readonly HoldDuty[];
  /**
   * Which incidents are authorities' orders (`regulatory:`): the card offers "Record order" on
   * them, and the clock kinds whose answers are an order's receipt and effect times. Absent: none.
   */
  regulatory?: {
    readonly orderCategories: readonly string[];
    readonly receiptConfirmedBy: readonly string[];
    readonly effectGivenBy: readonly string[];
  };
}

export function severityLabel(catalog: Catalog, severity: string): string {
  return (isSeverity(severity) ? catalog.severities[severity]?.label : undefined) ?? severity.toUpperCase();
}

/** The category's runbook steps; none for an unknown category or one without a runbook. */
export function categoryRunbook(catalog: Catalog, id: string): readonly string[] {
  return catalog.categories.find((c) => c.id === id)?.runbook ?? [];
}

/** Whether the category is marked `sensitive: true` (unknown categories are not). */
export function isSensitiveCategory(catalog: Pick<Catalog, 'categories'>, id: string): boolean {
  return catalog.categories.find((c) => c.id === id)?.sensitive === true;
}

export function categoryName(catalog: Catalog, id: string): string {
  return catalog.categories.find((c) => c.id === id)?.name ?? id;
}

/** Red for the worst, so the card reads at a glance. */
export function severityEmoji(severity: string): string {
  return (
    { sev1: ':red_circle:', sev2: ':large_orange_circle:', sev3: ':large_yellow_circle:', sev4: ':white_circle:' }[severity] ??
    ':white_circle:'
  );
}

export function severityOptions(catalog: Catalog) {
  return SEVERITIES.map((s) => ({
    text: plainText(severityLabel(catalog, s), SLACK_LIMITS.optionText),
    description: plainText(SEVERITY_MEANING[s], SLACK_LIMITS.optionText),
    value: s,
  }));
}
