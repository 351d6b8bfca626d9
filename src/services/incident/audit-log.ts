import type { Db } from '../../db/client.js';
import { findIncidentIdByNumber, listAuditRecords } from '../../db/repos/audit.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { isSlackUserId } from '../../domain/slack-user.js';
import { escapeControlCharacters, userMention } from '../../slack-api/mrkdwn.js';
import type { Clock } from '../types.js';

const SHOWN = 50;

/**
 * `/incident audit INC-n`: every change and refused attempt on the incident, newest first, for
 * admins only. A refusal is polite and is itself audited; so is each look.
 */
export async function incidentAuditLog(
  deps: { db: Db; admins: readonly string[]; clock: Clock },
  request: { userId: string; ref: string },
): Promise<{ text: string }> {
  const match = /^(?:INC-)?(\d{1,9})$/i.exec(request.ref.trim());
  if (!match) return { text: 'Ask for `/incident audit INC-<number>`.' };
  const number = Number(match[1]);
  const incidentId = await findIncidentIdByNumber(deps.db, number);
  const isAdmin = deps.admins.includes(request.userId);
  if (!isAdmin) {
    await addAuditRecord(deps.db, {
      incidentId: incidentId ?? null,
      at: deps.clock(),
      actorId: request.userId,
      action: 'audit_viewed',
      outcome: 'refused',
      details: { number },
    });
    return { text: 'Sorry, the audit log is for Meridian admins only. An admin can look it up for you.' };
  }
  if (!incidentId) return { text: `There is no INC-${number}.` };
  const records = await listAuditRecords(deps.db, incidentId, SHOWN + 1);
  await addAuditRecord(deps.db, { incidentId, at: deps.clock(), actorId: request.userId, action: 'audit_viewed', details: { number } });
  if (records.length === 0) return { text: `INC-${number} has no audit records yet.` };
  const lines = records.slice(0, SHOWN).map((r) => {
    // Action and outcome are Meridian's own identifiers; details (ids, numbers, names) go in a code span.
    const code = (t: string) => `\`${escapeControlCharacters(t).replaceAll('`', "'")}\``;
    // An actor that is not a Slack user id (an old row, another tool's) is shown as text, never a mention.
    const who = !r.actorId ? 'Meridian' : isSlackUserId(r.actorId) ? userMention(r.actorId) : code(String(r.actorId).slice(0, 64));
    const outcome = r.outcome === 'ok' ? '' : ` — *${r.outcome}*`;
    const details = Object.keys(r.details).length > 0 ? ` ${code(JSON.stringify(r.details).slice(0, 160))}` : '';
    return `• ${r.at.toISOString()} ${who} ${code(r.action)}${outcome}${details}`;
  });
  const more = records.length > SHOWN ? `\n…and older records (showing the newest ${SHOWN}).` : '';
  return { text: `*Audit log of INC-${number}*, newest first:\n${lines.join('\n')}${more}` };
}
