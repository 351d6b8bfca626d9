import { DEFAULT_REGULATORY } from './regulatory.js';
/** What Meridian assumes when the config file leaves something out, or is not given at all. */
import { DEFAULT_ACTION_LIMITS } from '../domain/action-limits.js';
import { DEFAULT_INTAKE } from '../domain/intake.js';
import { DEFAULT_NOTIFICATION_RULES } from '../domain/notification-rules.js';
import type { CategoryConfig, MeridianConfig, OncallConfig, PrivacyConfig, SeverityConfig, SeverityId } from './types.js';

/** Severity defaults: labels and status-update cadences (sev4 asks for no updates). */
export const DEFAULT_SEVERITIES: Readonly<Record<SeverityId, SeverityConfig>> = {
  sev1: { label: 'SEV1 Critical', policyId: null, updateEveryMinutes: 30, invite: [] },
  sev2: { label: 'SEV2 Major', policyId: null, updateEveryMinutes: 60, invite: [] },
  sev3: { label: 'SEV3 Minor', policyId: null, updateEveryMinutes: 240, invite: [] },
  sev4: { label: 'SEV4 Low', policyId: null, updateEveryMinutes: null, invite: [] },
};

/**
 * Checklists for the shipped categories whose first hour has steps nobody may skip. A category of
 * the config file with one of these ids and no `runbook:` key gets it too; `runbook: []` opts out.
 */
export const DEFAULT_RUNBOOKS: Readonly<Record<string, readonly string[]>> = {
  'child-safety': [
    'Preserve evidence: URLs, hashes, account ids (never download or forward the material)',
    'Report to the hotline (NCMEC CyberTipline or the national hotline) within its clock',
    'Restrict access to this channel to who must know',
  ],
  'regulator-request': [
    "Log receipt: who sent it, when, the order's reference",
    'Act on the content in every market the order names',
    'Confirm to the authority what was done and when',
  ],
  'self-harm': [
    'Check for imminent risk; if there is one, follow the emergency escalation (law enforcement referral)',
    'Preserve the content and the account ids',
    'Offer the support resources to the person, per policy',
  ],
};

function category(id: string, name: string, defaultSeverity: SeverityId, isPrivate = false, sensitive = false): CategoryConfig {
  const runbook = DEFAULT_RUNBOOKS[id];
  return { id, name, defaultSeverity, policyId: null, private: isPrivate, sensitive, invite: [], ...(runbook ? { runbook } : {}) };
}

/** The built-in Trust & Safety categories, used when the file lists none. */
export const DEFAULT_CATEGORIES: readonly CategoryConfig[] = [
  category('harmful-trend', 'Harmful trend or challenge', 'sev2'),
  category('regulator-request', 'Regulator or government request', 'sev2'),
  category('media-inquiry', 'Media inquiry', 'sev3'),
  category('partner-escalation', 'Partner escalation', 'sev3'),
  category('child-safety', 'Child safety', 'sev1', true, true),
  category('self-harm', 'Self-harm or suicide', 'sev1', true, true),
  category('account-search-safety', 'Account or search safety', 'sev3'),
  category('tooling-outage', 'Moderation tooling outage', 'sev2'),
  category('other', 'Other', 'sev3'),
];

/** Private incidents: channels named `inc-<n>`, the unacknowledged notice to the admins by DM. */
export const DEFAULT_PRIVACY: PrivacyConfig = { privateChannelSlug: false, privateEscalationNotice: 'admins' };

/** Overrides up to two weeks need no admin. */
export const DEFAULT_ONCALL: OncallConfig = { maxOverrideDays: 14 };

/** The config used when `MERIDIAN_CONFIG` is unset: no schedules, no policies, defaults. */
export function defaultMeridianConfig(): MeridianConfig {
  return {
    admins: [],
    limits: DEFAULT_ACTION_LIMITS,
    schedules: [],
    escalationPolicies: [],
    deadlines: [],
    severities: { ...DEFAULT_SEVERITIES },
    categories: [...DEFAULT_CATEGORIES],
    intake: DEFAULT_INTAKE,
    privacy: DEFAULT_PRIVACY,
    oncall: DEFAULT_ONCALL,
    wellbeing: { exposureMinutes: 120 },
    contacts: [],
    notificationRules: DEFAULT_NOTIFICATION_RULES,
    regulatory: DEFAULT_REGULATORY,
    crisisProtocols: [],
  };
}
