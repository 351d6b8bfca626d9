/**
 * Incident roles, and reading them as people type them: `/incident role @maya comms` or
 * `/incident role legal <@U123|maya>`.
 */
import { isSlackUserId, mentionOf } from './slack-user.js';

/** Every role, in the order they are listed to people. */
export const INCIDENT_ROLES = [
  'commander',
  'comms_lead',
  'scribe',
  'liaison_legal',
  'liaison_policy',
  'liaison_comms',
  'liaison_engineering',
] as const;
export type IncidentRole = (typeof INCIDENT_ROLES)[number];

/** How a role is written for people. */
export const ROLE_LABEL: Readonly<Record<IncidentRole, string>> = {
  commander: 'Commander',
  comms_lead: 'Communications lead',
  scribe: 'Scribe',
  liaison_legal: 'Legal liaison',
  liaison_policy: 'Public policy liaison',
  liaison_comms: 'Communications liaison',
  liaison_engineering: 'Engineering liaison',
};

/**
 * What people may type for each role, after {@link normalizeRoleText}. The first is the one we
 * suggest. `comms` alone is the comms lead (who writes the status updates); the liaison to the
 * Communications team must be asked for as `comms liaison`.
 */
const ROLE_NAMES: Readonly<Record<IncidentRole, readonly string[]>> = {
  commander: ['commander', 'incident commander', 'ic'],
  comms_lead: ['comms lead', 'comms', 'communications lead', 'communications'],
  scribe: ['scribe', 'note taker', 'notetaker', 'notes'],
  liaison_legal: ['legal', 'legal liaison', 'liaison legal'],
  liaison_policy: ['policy', 'policy liaison', 'public policy', 'public policy liaison', 'liaison policy'],
  liaison_comms: ['comms liaison', 'communications liaison', 'liaison comms', 'liaison communications'],
  liaison_engineering: ['engineering', 'eng', 'engineering liaison', 'eng liaison', 'liaison engineering', 'liaison eng'],
};

const ROLE_BY_NAME: ReadonlyMap<string, IncidentRole> = new Map(
  INCIDENT_ROLES.flatMap((role) => ROLE_NAMES[role].map((name) => [name, role] as const)),
);

/** The names we suggest, as a Slack-ready list: `` `commander`, `comms lead`, ... ``. */
export const ROLE_CHOICES: string = INCIDENT_ROLES.map((role) => `\`${ROLE_NAMES[role][0]}\``).join(', ');

const USAGE = '`/incident role @person <role>`';

export function isIncidentRole(value: unknown): value is IncidentRole {
  return typeof value === 'string' && (INCIDENT_ROLES as readonly string[]).includes(value);
}

/** Lower case, `_` and `-` read as spaces, runs of space collapsed. */
function normalizeRoleText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();
}

/** The role a person means by `text` (`Legal`, `comms lead`, `liaison_legal`, ...), or null. */
export function parseRoleName(text: string): IncidentRole | null {
  return ROLE_BY_NAME.get(normalizeRoleText(text)) ?? null;
}

export type RoleAssignmentResult =
  | { readonly ok: true; readonly userId: string; readonly role: IncidentRole }
  | { readonly ok: false; readonly error: string };

/** A user mention as Slack escapes it in command text: `<@U123>` or `<@U123|name>`. */
const MENTION = /<@([^|>]*)(?:\|[^>]*)?>/g;

/**
 * Reads the text after `/incident role`: one mention and one role name, in either order, with
 * an optional "as" (`@maya as scribe`). Errors are sentences for the person who typed it; they
 * quote the typed role only when it holds nothing but letters, digits and spaces.
 */
export function parseRoleAssignment(text: string): RoleAssignmentResult {
  const trimmed = text.trim();
  if (!trimmed) return fail(`Say who gets which role: ${USAGE}. Roles: ${ROLE_CHOICES}.`);

  const mentions = [...trimmed.matchAll(MENTION)];
  if (mentions.length === 0) return fail(noMentionError(trimmed));
  if (mentions.length > 1) return fail(`Give a role to one person at a time: ${USAGE}.`);

  const userId = mentions[0]?.[1] ?? '';
  if (!isSlackUserId(userId)) return fail(`Mention a person with @: ${USAGE}.`);
  const who = mentionOf(userId) as string;

  const roleText = normalizeRoleText(trimmed.replace(MENTION, ' ')).replace(/^as /, '');
  if (!roleText) return fail(`Say which role to give ${who}. Roles: ${ROLE_CHOICES}.`);
  const role = parseRoleName(roleText);
  if (!role) {
    const quoted = /^[\p{L}\p{N} ]{1,40}$/u.test(roleText) ? `“${roleText}” is not a role` : 'That is not a role';
    return fail(`${quoted}. Roles: ${ROLE_CHOICES}.`);
  }
  return { ok: true, userId, role };
}

function noMentionError(text: string): string {
  if (text.includes('<!subteam^')) return `Give a role to one person, not a user group: ${USAGE}.`;
  if (/(^|\s)@\S/.test(text)) {
    return `I could not tell who that @ is. Pick the person from the list Slack shows as you type @, then the role: ${USAGE}.`;
  }
  return `Mention the person who gets the role: ${USAGE}.`;
}

function fail(error: string): RoleAssignmentResult {
  return { ok: false, error };
}
