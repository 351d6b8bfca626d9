import { AUDIT_ACTIONS, type AuditAction, currentAuditAction } from './audit-actions.js';
import { utcDayStart } from './digest-period.js';
import { isSlackUserId } from './slack-user.js';

/**
 * What `/incident audit` may be asked for: an incident, a person, an action, a period (both days
 * included, UTC), in any combination and any order, e.g.
 * `/incident audit INC-12 by @dana action clock.extend from 2026-03-01 to 2026-03-31`.
 */
export interface AuditFilter {
  incidentNumber?: number;
  actorId?: string;
  /** The current name; a legacy name typed (`incident.status.resolved`) is read as its current one. */
  action?: AuditAction;
  /** Start of the `from` day (inclusive). */
  from?: Date;
  /** Start of the day after the `to` day (exclusive). */
  before?: Date;
}

const AUDIT_USAGE = 'Ask for `/incident audit [INC-<n>] [by @person] [action <name>] [from YYYY-MM-DD] [to YYYY-MM-DD]` (at least one).';

const DAY_MS = 86_400_000;
const INCIDENT = /^(?:INC-)?(\d{1,9})$/i;
/** `<@U123>` or `<@U123|name>` as Slack escapes a mention in a slash command, or a bare id. */
const MENTION = /^<@([^|>]+)(?:\|[^>]*)?>$/;

/** A word the user typed, echoed in a code span: no backtick to break out, no `<…>` Slack would turn into a mention. */
const shown = (text: string) => `\`${text.slice(0, 40).replaceAll('`', "'").replaceAll('<', '&lt;').replaceAll('>', '&gt;')}\``;

/** Reads the words after `/incident audit`: the filter, or one message naming the bad filter. */
export function parseAuditFilter(args: string): { ok: true; filter: AuditFilter } | { ok: false; error: string } {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { ok: false, error: AUDIT_USAGE };
  const filter: AuditFilter = {};
  const fail = (error: string) => ({ ok: false as const, error: `${error}\n${AUDIT_USAGE}` });
  let fromDay: Date | undefined;
  let toDay: Date | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const keyword = word.toLowerCase();
    if (keyword === 'by' || keyword === 'action' || keyword === 'from' || keyword === 'to') {
      const value = words[i + 1];
      i++;
      if (value === undefined) return fail(`The \`${keyword}\` filter needs a value.`);
      const seen =
        (keyword === 'by' && filter.actorId) ||
        (keyword === 'action' && filter.action) ||
        (keyword === 'from' && fromDay) ||
        (keyword === 'to' && toDay);
      if (seen) return fail(`The \`${keyword}\` filter is given twice.`);
      if (keyword === 'by') {
        const id = MENTION.exec(value)?.[1] ?? value;
        if (!isSlackUserId(id)) return fail(`\`by\`: ${shown(value)} is not a person; mention them, e.g. \`by @dana\`.`);
        filter.actorId = id;
      } else if (keyword === 'action') {
        const action = currentAuditAction(value);
        if (!action) return fail(`\`action\`: ${shown(value)} is not an audit action. Known actions: ${AUDIT_ACTIONS.join(', ')}.`);
        filter.action = action;
      } else {
        const day = utcDayStart(value);
        if (!day) return fail(`\`${keyword}\`: ${shown(value)} is not a date; write YYYY-MM-DD.`);
        if (keyword === 'from') fromDay = day;
        else toDay = day;
      }
      continue;
    }
    const incident = INCIDENT.exec(word);
    if (incident && filter.incidentNumber === undefined) {
      filter.incidentNumber = Number(incident[1]);
      continue;
    }
    return fail(`I don't know the filter ${shown(word)}.`);
  }
  if (fromDay && toDay && toDay < fromDay)
    return fail(`\`to\` (${toDay.toISOString().slice(0, 10)}) is before \`from\` (${fromDay.toISOString().slice(0, 10)}).`);
  if (fromDay) filter.from = fromDay;
  if (toDay) filter.before = new Date(toDay.getTime() + DAY_MS);
  return { ok: true, filter };
}

/** The filter as written back in replies and in the `audit_viewed` row's details. */
export function describeAuditFilter(filter: AuditFilter): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (filter.incidentNumber !== undefined) out.number = filter.incidentNumber;
  if (filter.actorId) out.by = filter.actorId;
  if (filter.action) out.action = filter.action;
  if (filter.from) out.from = filter.from.toISOString().slice(0, 10);
  if (filter.before) out.to = new Date(filter.before.getTime() - DAY_MS).toISOString().slice(0, 10);
  return out;
}
