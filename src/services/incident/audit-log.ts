import type { Db } from '../../db/client.js';
import { findAuditRecords, findIncidentIdByNumber } from '../../db/repos/audit.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { storedAuditNames } from '../../domain/audit-actions.js';
import { type AuditFilter, describeAuditFilter, parseAuditFilter } from '../../domain/audit-filter.js';
import { isSlackUserId } from '../../domain/slack-user.js';
import { escapeControlCharacters, userMention } from '../../slack-api/mrkdwn.js';
import type { Clock } from '../types.js';

const SHOWN = 50;

/** Action and outcome are Meridian's own identifiers; details (ids, numbers, names) go in a code span. */
const code = (t: string) => `\`${escapeControlCharacters(t).replaceAll('`', "'")}\``;

/** The filters other than the incident, as the reply's heading says them. */
function headingFilters(filter: AuditFilter): string {
  const { number: _number, ...rest } = describeAuditFilter(filter);
  const parts: string[] = [];
  if (rest.by !== undefined) parts.push(`by ${userMention(String(rest.by))}`);
  if (rest.action !== undefined) parts.push(`action ${code(String(rest.action))}`);
  if (rest.from !== undefined) parts.push(`from ${rest.from}`);
  if (rest.to !== undefined) parts.push(`to ${rest.to}`);
  return parts.join(', ');
}

/**
 * `/incident audit [INC-n] [by @x] [action <name>] [from YYYY-MM-DD] [to YYYY-MM-DD]`: the audit
 * records that match, newest first, for admins only. A bad filter is named and nothing else
 * happens; a refusal is polite and is itself audited; so is each look, with its filters.
 */
export async function incidentAuditLog(
  deps: { db: Db; admins: readonly string[]; clock: Clock },
  request: { userId: string; ref: string },
): Promise<{ text: string }> {
  const parsed = parseAuditFilter(request.ref);
  if (!parsed.ok) return { text: parsed.error };
  const { filter } = parsed;
  const number = filter.incidentNumber;
  const incidentId = number === undefined ? undefined : await findIncidentIdByNumber(deps.db, number);
  const details = describeAuditFilter(filter);
  const isAdmin = deps.admins.includes(request.userId);
  if (!isAdmin) {
    await addAuditRecord(deps.db, {
      incidentId: incidentId ?? null,
      at: deps.clock(),
      actorId: request.userId,
      action: 'audit_viewed',
      outcome: 'refused',
      details,
    });
    return { text: 'Sorry, the audit log is for Meridian admins only. An admin can look it up for you.' };
  }
  if (number !== undefined && !incidentId) return { text: `There is no INC-${number}.` };
  const { action, ...rest } = filter;
  const actions = action ? storedAuditNames(action) : undefined;
  const records = await findAuditRecords(deps.db, { ...rest, incidentId, actions }, SHOWN + 1);
  await addAuditRecord(deps.db, {
    incidentId: incidentId ?? null,
    at: deps.clock(),
    actorId: request.userId,
    action: 'audit_viewed',
    details,
  });
  const filters = headingFilters(filter);
  const heading = `*Audit log${number === undefined ? '' : ` of INC-${number}`}*${filters ? ` ${filters}` : ''}`;
  if (records.length === 0) {
    return { text: number !== undefined && !filters ? `INC-${number} has no audit records yet.` : `${heading}: no records match.` };
  }
  const lines = records.slice(0, SHOWN).map((r) => {
    // An actor that is not a Slack user id (an old row, another tool's) is shown as text, never a mention.
    const who = !r.actorId ? 'Meridian' : isSlackUserId(r.actorId) ? userMention(r.actorId) : code(String(r.actorId).slice(0, 64));
    // Across incidents, each row says which incident it is about.
    const where = number === undefined && r.incidentNumber !== null ? ` INC-${r.incidentNumber}` : '';
    const outcome = r.outcome === 'ok' ? '' : ` — *${r.outcome}*`;
    const detailText = Object.keys(r.details).length > 0 ? ` ${code(JSON.stringify(r.details).slice(0, 160))}` : '';
    return `• ${r.at.toISOString()}${where} ${who} ${code(r.action)}${outcome}${detailText}`;
  });
  const more = records.length > SHOWN ? `\n…and older records (showing the newest ${SHOWN}).` : '';
  return { text: `${heading}, newest first:\n${lines.join('\n')}${more}` };
}
