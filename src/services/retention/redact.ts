/**
 * Redaction (issue 24): a permitted person replaces a timeline entry's text (a note, an update,
 * a captured message) with "[redacted by @x on <date>: reason]"; the original leaves the database,
 * except under a legal hold, where it goes to the held store for the hold's owners. Slack edits
 * of a captured message update Meridian's copy; a deletion redacts it. Audited without the text.
 */
import type { Database, Db } from '../../db/client.js';
import { findIncident, findIncidentByChannel } from '../../db/repos/incidents.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { entriesOfMessage, findTimelineEntry, keepHeldText, replaceEntryText } from '../../db/repos/redaction.js';
import { findIncidentReview, updateIncidentReview } from '../../db/repos/incident-reviews.js';
import { markdownBlock, markdownInline } from '../../domain/markdown-text.js';
import type { TimelineEntry } from '../../domain/incident.js';
import { mayRedact, redactedText, type RetentionConfig } from '../../domain/retention.js';
import { NotFound, UserError } from '../../errors.js';
import { canSeeIncident, NOT_AVAILABLE_TEXT } from '../incident-access.js';
import type { Clock } from '../types.js';
import { holdsOf } from './holds.js';

export interface RedactDeps {
  db: Database;
  admins: readonly string[];
  retention: RetentionConfig | undefined;
  clock: Clock;
  refreshCard(incidentId: string): Promise<void>;
}

const REASON_MAX = 300;

/**
 * The review Markdown kept in the record (and written to the canvas) may quote the entry: each way
 * the review writes text (as typed, inline, as a block) is replaced by the redaction note.
 */
async function scrubStoredReview(tx: Db, incidentId: string, original: string, note: string, at: Date): Promise<void> {
  const review = await findIncidentReview(tx, incidentId);
  if (!review || original.trim() === '') return;
  let markdown = review.markdown;
  for (const form of new Set([original, markdownInline(original), markdownBlock(original)]))
    if (form !== '') markdown = markdown.split(form).join(markdownInline(note));
  if (markdown !== review.markdown) await updateIncidentReview(tx, incidentId, { markdown, updatedAt: at });
}

/** Replaces the entry's text in `tx`; under a hold, the original goes to the held store first. */
async function redactInTransaction(deps: RedactDeps, entry: TimelineEntry, text: string, by: string | null, at: Date): Promise<boolean> {
  const holds = await holdsOf(deps.db, deps.retention?.holds ?? [], entry.incidentId, at);
  return deps.db.transaction(async (tx) => {
    if (holds.length > 0) {
      const owners = [...new Set([...holds.flatMap((h) => (h.heldBy ? [h.heldBy] : [])), ...(deps.retention?.mayHold ?? [])])];
      await keepHeldText(tx, { incidentId: entry.incidentId, entryId: entry.id, text: entry.text, owners, redactedBy: by, redactedAt: at });
    }
    await replaceEntryText(tx, entry.id, text, true);
    await scrubStoredReview(tx, entry.incidentId, entry.text, text, at);
    await addAuditRecord(tx, {
      incidentId: entry.incidentId,
      at,
      actorId: by,
      action: 'retention.redact',
      details: { entryId: entry.id, kind: entry.kind, held: holds.length > 0 },
    });
    return holds.length > 0;
  });
}

/** The Redact button's modal: one entry, with a reason. */
export async function redactEntry(deps: RedactDeps, input: { userId: string; entryId: string; reason: string }): Promise<string> {
  const entry = await findTimelineEntry(deps.db, input.entryId);
  const incident = entry && (await findIncident(deps.db, entry.incidentId));
  if (!entry || !incident || !(await canSeeIncident(deps, incident, input.userId))) throw new NotFound(NOT_AVAILABLE_TEXT);
  const now = deps.clock();
  const reason = input.reason.trim();
  const refuse = async (why: string, message: string): Promise<never> => {
    await addAuditRecord(deps.db, {
      incidentId: incident.id,
      at: now,
      actorId: input.userId,
      action: 'retention.redact',
      outcome: 'refused',
      details: { entryId: entry.id, why },
    });
    throw new UserError(`redact_${why}`, message, 'reason');
  };
  if (!mayRedact(deps.retention, deps.admins, input.userId))
    return refuse('not_permitted', 'Only Meridian admins and the people `retention.may_redact` names may redact.');
  if (reason === '') return refuse('no_reason', 'Say why it is redacted.');
  if ([...reason].length > REASON_MAX) return refuse('reason_too_long', `Keep the reason under ${REASON_MAX} characters.`);
  const held = await redactInTransaction(deps, entry, redactedText({ userId: input.userId }, now, reason), input.userId, now);
  await deps.refreshCard(incident.id);
  return held
    ? 'Redacted. The incident is under a legal hold: the original is kept in the held store, readable only by the hold’s owners.'
    : 'Redacted. The original text is gone from Meridian.';
}

/** The "Redact in Meridian" shortcut: the entry copied from the message, when the person may redact (else refused, audited). */
export async function entryOfMessage(deps: RedactDeps, input: { userId: string; channelId: string; ts: string }): Promise<string> {
  const incident = await findIncidentByChannel(deps.db, input.channelId);
  if (!incident || !(await canSeeIncident(deps, incident, input.userId)))
    throw new UserError('redact_not_incident', 'Meridian keeps no copy of this message: it is not in an incident channel.');
  if (!mayRedact(deps.retention, deps.admins, input.userId)) {
    await addAuditRecord(deps.db, {
      incidentId: incident.id,
      at: deps.clock(),
      actorId: input.userId,
      action: 'retention.redact',
      outcome: 'refused',
      details: { why: 'not_permitted' },
    });
    throw new UserError('redact_not_permitted', 'Only Meridian admins and the people `retention.may_redact` names may redact.');
  }
  const [entry] = (await entriesOfMessage(deps.db, incident.id, input.ts)).filter((e) => e.data.redacted !== true);
  if (!entry)
    throw new UserError(
      'redact_no_copy',
      'This message is not on the timeline (pin it or mark it with :pushpin: first), or is redacted already.',
    );
  return entry.id;
}

/** `message_changed` of a captured message: the copy follows the edit (a redacted copy stays redacted). */
export async function followMessageEdit(deps: RedactDeps, input: { channelId: string; ts: string; text: string }): Promise<number> {
  const incident = await findIncidentByChannel(deps.db, input.channelId);
  if (!incident) return 0;
  const entries = (await entriesOfMessage(deps.db, incident.id, input.ts)).filter((e) => e.data.redacted !== true);
  for (const entry of entries) await replaceEntryText(deps.db, entry.id, input.text, false);
  if (entries.length)
    await addAuditRecord(deps.db, {
      incidentId: incident.id,
      at: deps.clock(),
      actorId: null,
      action: 'timeline.message_edited',
      details: { entries: entries.length },
    });
  return entries.length;
}

/** `message_deleted` of a captured message: the copy is redacted. */
export async function followMessageDeletion(deps: RedactDeps, input: { channelId: string; ts: string }): Promise<number> {
  const incident = await findIncidentByChannel(deps.db, input.channelId);
  if (!incident) return 0;
  const now = deps.clock();
  const entries = (await entriesOfMessage(deps.db, incident.id, input.ts)).filter((e) => e.data.redacted !== true);
  for (const entry of entries) await redactInTransaction(deps, entry, redactedText('slack', now, 'message deleted in Slack'), null, now);
  return entries.length;
}
