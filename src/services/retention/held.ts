/**
 * `/incident held INC-<n>` (issue 24): what a legal hold preserves of texts redacted while it was
 * in force, for the people the law lets read it: Meridian admins, Legal (`retention.may_hold`, as
 * configured now) and each text's owners (those who set the holds then in force, and Legal then). Shown only to the asker (an ephemeral reply); each look,
 * and each refusal, is audited without the text.
 */
import type { Db } from '../../db/client.js';
import { findIncidentIdByNumber } from '../../db/repos/audit.js';
import { findIncident } from '../../db/repos/incidents.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { heldTextsOf } from '../../db/repos/redaction.js';
import { truncate } from '../../domain/text.js';
import { escapeMrkdwn, userMention } from '../../slack-api/mrkdwn.js';
import { canSeeIncident, NOT_AVAILABLE_TEXT } from '../incident-access.js';
import type { Clock } from '../types.js';
import type { RetentionConfig } from '../../domain/retention.js';
import { type GroupMembers, isPermitted } from './permitted.js';

const SHOWN = 20;
const TEXT_MAX = 1200;
const USAGE = 'Ask for `/incident held INC-<n>`: what a legal hold keeps of texts redacted in that incident.';

const LABELS: Record<string, string> = {
  entry: 'Timeline entry',
  summary: 'Summary',
  resolution_summary: 'Resolution summary',
  mitigation: 'Mitigation',
  report: 'Intake report body',
};

/** The held texts of INC-n the asker may read, or why not. */
export async function readHeldTexts(
  deps: { db: Db; admins: readonly string[]; clock: Clock; retention?: RetentionConfig | undefined; groupMembers?: GroupMembers },
  input: { userId: string; ref: string },
): Promise<{ text: string }> {
  const number = /^(?:INC-)?(\d{1,9})$/i.exec(input.ref.trim())?.[1];
  if (!number) return { text: USAGE };
  const incidentId = await findIncidentIdByNumber(deps.db, Number(number));
  const incident = incidentId ? await findIncident(deps.db, incidentId) : undefined;
  if (!incident) return { text: NOT_AVAILABLE_TEXT };
  // Admins and Legal as configured now (`may_hold`, groups read from Slack) read every held text; others the ones they own.
  const isAdmin = await isPermitted(deps.admins, deps.retention?.mayHold ?? [], deps.groupMembers, input.userId);
  const rows = await heldTextsOf(deps.db, incident.id);
  const readable = rows.filter((r) => isAdmin || r.owners.includes(input.userId));
  const audit = (outcome: 'ok' | 'refused', details: Record<string, unknown>) =>
    addAuditRecord(deps.db, {
      incidentId: incident.id,
      at: deps.clock(),
      actorId: input.userId,
      action: 'retention.held_viewed',
      outcome,
      details,
    });
  if (readable.length === 0 && (rows.length > 0 || !isAdmin)) {
    await audit('refused', { why: rows.length > 0 ? 'not_owner' : 'nothing_held' });
    // Whether a private incident exists, or holds anything, is not for someone who may not see it.
    if (!(await canSeeIncident(deps, incident, input.userId))) return { text: NOT_AVAILABLE_TEXT };
    return {
      text: `You are not among the owners of what INC-${incident.number}'s legal holds keep, or nothing of it is held for you. Meridian admins and the hold's owners may read it.`,
    };
  }
  await audit('ok', { shown: Math.min(readable.length, SHOWN) });
  if (readable.length === 0) return { text: `INC-${incident.number}: no redacted text is held.` };
  const lines = readable.slice(0, SHOWN).map((r) => {
    const who = r.redactedBy ? `by ${userMention(r.redactedBy)}` : 'deleted in Slack';
    return `• *${LABELS[r.target] ?? r.target}*, redacted ${who} on ${r.redactedAt.toISOString().slice(0, 10)}:\n\`\`\`${escapeMrkdwn(truncate(r.text, TEXT_MAX)).replaceAll('```', "'''")}\`\`\``;
  });
  const more = readable.length > SHOWN ? `\n…and ${readable.length - SHOWN} more; ask an operator for the rest.` : '';
  return {
    text: `:lock: *Held under legal hold, INC-${incident.number}* (only you see this; the look is audited). Do not copy it into channels.\n${lines.join('\n')}${more}`,
  };
}
