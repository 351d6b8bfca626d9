/**
 * Timeline entries that name people: the stored text says "Legal liaison: U0LEGAL001" or
 * "paged 2", which means nothing to a reader; the entry's data holds who. Renderers show the
 * prefix as text and each person their own way (a Slack mention, a name in the review).
 */
import { isIncidentRole, ROLE_LABEL } from './roles.js';
import { isSlackUserId } from './slack-user.js';

export interface EntryPeople {
  /** The words before the people, e.g. "Escalation step 2: paged ". */
  readonly prefix: string;
  readonly userIds: readonly string[];
}

interface EntryLike {
  readonly kind: string;
  readonly data?: Readonly<Record<string, unknown>> | null;
}

function ids(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && isSlackUserId(v)) : [];
}

/** The people an entry names, or null when it names none this way (its text is shown as it is). */
export function entryPeople(entry: EntryLike): EntryPeople | null {
  const data = entry.data ?? {};
  switch (entry.kind) {
    case 'role_assigned': {
      const { role, userId } = data;
      if (!isIncidentRole(role) || typeof userId !== 'string' || !isSlackUserId(userId)) return null;
      return { prefix: `${ROLE_LABEL[role]}: `, userIds: [userId] };
    }
    case 'paged': {
      const userIds = ids(data.userIds);
      if (userIds.length === 0 || typeof data.stepNumber !== 'number') return null;
      // A repeat round says which, and why it came: nobody acknowledged the rounds before.
      const { round, rounds, stepIndex } = data;
      if (typeof round === 'number' && typeof rounds === 'number' && typeof stepIndex === 'number' && round > 0) {
        return {
          prefix: `Escalation round ${round + 1} of ${rounds} (nobody acknowledged round ${round}), step ${stepIndex + 1}: paged `,
          userIds,
        };
      }
      return { prefix: `Escalation step ${data.stepNumber + 1}: paged `, userIds };
    }
    case 'stakeholders_invited': {
      const userIds = ids(data.userIds);
      return userIds.length ? { prefix: 'Stakeholders invited: ', userIds } : null;
    }
    default:
      return null;
  }
}

/** True for a `severity_changed` entry that lowered the severity (`sev1` to `sev2`). */
export function loweredSeverity(entry: EntryLike): boolean {
  if (entry.kind !== 'severity_changed') return false;
  const { from, to } = entry.data ?? {};
  return typeof from === 'string' && typeof to === 'string' && /^sev\d$/.test(from) && /^sev\d$/.test(to) && to > from;
}
