/**
 * Redaction (issue 24): a permitted person replaces a timeline entry's text (a note, an update,
 * a captured message) with "[redacted by @x on <date>: reason]"; the original leaves the database,
 * except under a legal hold, where it goes to the held store for the hold's owners. Slack edits
 * of a captured message update Meridian's copy; a deletion redacts it. Audited without the text.
 */
import type { Database, Db } from '../../db/client.js';
import { findIncident, findIncidentByChannel } from '../../db/repos/incidents.js';
import { addAuditRecord } from '../../db/repos/record.js';
import {
  entriesOfMessage,
  findTimelineEntry,
  incidentText,
  postsOf,
  resolutionPosts,
  keepHeldText,
  replaceEntryText,
  replaceIncidentText,
  replaceReportBody,
  reportBody,
  scrubIncidentSummary,
  scrubSearchText,
} from '../../db/repos/redaction.js';
import { findIncidentReview, updateIncidentReview } from '../../db/repos/incident-reviews.js';
import { markdownBlock, markdownInline } from '../../domain/markdown-text.js';
import { redactedUpdateMessage, resolvedMessage } from '../../blocks/incident-changes.js';
import type { RenderedMessage } from '../../blocks/incident-messages.js';
import type { Incident } from '../../domain/incident.js';
import { type RedactTarget, redactedText, type RetentionConfig } from '../../domain/retention.js';
import { NotFound, UserError } from '../../errors.js';
import { canSeeIncident, NOT_AVAILABLE_TEXT } from '../incident-access.js';
import type { Clock } from '../types.js';
import { holdsOf } from './holds.js';
import { type GroupMembers, isPermitted, peopleOf } from './permitted.js';

export interface RedactDeps {
  db: Database;
  admins: readonly string[];
  retention: RetentionConfig | undefined;
  clock: Clock;
  refreshCard(incidentId: string): Promise<void>;
  /** Writes the redacted review kept in the record to its canvas in Slack (a no-op without one). */
  refreshReview?(incidentId: string): Promise<void>;
  /** Writes the redacted report to the messages Meridian posted of it (its triage post, its post in the incident channel). */
  refreshReportPosts?(reportId: string): Promise<void>;
  /** chat.update of a message Meridian posted (best effort: a failure is logged, the redaction stands). */
  rewritePost?(post: { channel: string; ts: string }, message: RenderedMessage): Promise<void>;
  /** The name Slack shows for a person (display name, else real name), for the placeholder. */
  nameOf?(userId: string): Promise<string | undefined>;
  /** Members of a Slack user group named in `may_redact` / `may_hold`. */
  groupMembers?: GroupMembers;
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

/** What a redaction takes out: where it is, what goes to the held store, and every form of it the review or search may quote. */
interface Original {
  /** Null: an intake report still in triage (or dismissed), linked to no incident. */
  readonly incidentId: string | null;
  readonly target: RedactTarget;
  /** The text as kept in the held store under a hold. */
  readonly held: string;
  /** The texts to take out of the review kept in the record and the search text. */
  readonly texts: readonly string[];
  /** Ids and kinds for the audit row (never the text). */
  readonly details: Record<string, unknown>;
}

const ALREADY_REDACTED = /^\[(redacted |removed under the retention policy)/;

/** The text a target holds now; undefined: no such thing; 'nothing': empty or redacted already. */
async function originalOf(db: Db, target: RedactTarget): Promise<Original | 'nothing' | undefined> {
  if (target.kind === 'entry') {
    const entry = await findTimelineEntry(db, target.id);
    if (!entry) return undefined;
    if (entry.data.redacted === true) return 'nothing';
    return {
      incidentId: entry.incidentId,
      target,
      held: entry.text,
      texts: [entry.text],
      details: { entryId: entry.id, kind: entry.kind },
    };
  }
  if (target.kind === 'report') {
    const report = await reportBody(db, target.id);
    if (!report) return undefined;
    if (ALREADY_REDACTED.test(report.summary) && !report.reporter && report.links.length === 0) return 'nothing';
    const texts = [report.summary, ...(report.reporter ? [report.reporter] : []), ...report.links];
    const held = JSON.stringify({ summary: report.summary, reporter: report.reporter, links: report.links });
    return { incidentId: report.incidentId, target, held, texts, details: { reportId: target.id } };
  }
  const incident = await findIncident(db, target.id);
  if (!incident) return undefined;
  const text = await incidentText(db, target.id, target.kind);
  if (text === null || ALREADY_REDACTED.test(text)) return 'nothing';
  return { incidentId: incident.id, target, held: text, texts: [text], details: { field: target.kind } };
}

/** Replaces the text in one transaction; under a hold, the original goes to the held store first. Whether it was held. */
async function redactInTransaction(deps: RedactDeps, original: Original, note: string, by: string | null, at: Date): Promise<boolean> {
  const { target, incidentId } = original;
  const holds = incidentId ? await holdsOf(deps.db, deps.retention?.holds ?? [], incidentId, at) : [];
  return deps.db.transaction(async (tx) => {
    if (incidentId && holds.length > 0) {
      // The owners as they are now: Legal's groups are read into people, so the held text keeps who may read it.
      const legal = await peopleOf(deps.retention?.mayHold ?? [], deps.groupMembers);
      const owners = [...new Set([...holds.flatMap((h) => (h.heldBy ? [h.heldBy] : [])), ...legal])];
      await keepHeldText(tx, {
        incidentId,
        target: target.kind,
        entryId: target.id,
        text: original.held,
        owners,
        redactedBy: by,
        redactedAt: at,
      });
    }
    if (target.kind === 'entry') await replaceEntryText(tx, target.id, note, true);
    else if (target.kind === 'report') await replaceReportBody(tx, target.id, note);
    else await replaceIncidentText(tx, target.id, target.kind, note);
    if (incidentId)
      for (const text of original.texts) {
        await scrubStoredReview(tx, incidentId, text, note, at);
        await scrubSearchText(tx, incidentId, text, note, at);
        // A summary prefilled from the report (its body, reporter and links) quotes it.
        if (target.kind === 'report') await scrubIncidentSummary(tx, incidentId, text, note);
      }
    await addAuditRecord(tx, {
      incidentId,
      at,
      actorId: by,
      action: 'retention.redact',
      details: { target: target.kind, ...original.details, held: holds.length > 0 },
    });
    return holds.length > 0;
  });
}

/** The Redact modal: one entry, incident text or report body, with a reason. */
export async function redactText(deps: RedactDeps, input: { userId: string; target: RedactTarget; reason: string }): Promise<string> {
  const original = await originalOf(deps.db, input.target);
  const incidentId = original === 'nothing' ? await incidentOfTarget(deps.db, input.target) : original?.incidentId;
  const incident = incidentId ? await findIncident(deps.db, incidentId) : undefined;
  // A report in triage (no incident) is the triage channel's: who may redact is decided below, like any target.
  const inTriage = input.target.kind === 'report' && incidentId === null;
  if (!original || (!inTriage && (!incident || !(await canSeeIncident(deps, incident, input.userId)))))
    throw new NotFound(NOT_AVAILABLE_TEXT);
  const now = deps.clock();
  const reason = input.reason.trim();
  const refuse = async (why: string, message: string): Promise<never> => {
    await addAuditRecord(deps.db, {
      incidentId: incident?.id ?? null,
      at: now,
      actorId: input.userId,
      action: 'retention.redact',
      outcome: 'refused',
      details: { target: input.target.kind, id: input.target.id, why },
    });
    throw new UserError(`redact_${why}`, message, 'reason');
  };
  if (!(await isPermitted(deps.admins, deps.retention?.mayRedact ?? [], deps.groupMembers, input.userId)))
    return refuse('not_permitted', 'Only Meridian admins and the people `retention.may_redact` names may redact.');
  if (reason === '') return refuse('no_reason', 'Say why it is redacted.');
  if ([...reason].length > REASON_MAX) return refuse('reason_too_long', `Keep the reason under ${REASON_MAX} characters.`);
  if (original === 'nothing')
    throw new UserError('redact_nothing', 'There is nothing left to redact there: it is empty or redacted already.', 'reason');
  const name = await deps.nameOf?.(input.userId).catch(() => undefined);
  const held = await redactInTransaction(deps, original, redactedText({ userId: input.userId, name }, now, reason), input.userId, now);
  if (incident) {
    await deps.refreshCard(incident.id);
    await deps.refreshReview?.(incident.id);
    await rewriteQuotingPosts(deps, incident, input.target);
  }
  if (input.target.kind === 'report') await deps.refreshReportPosts?.(input.target.id);
  return held
    ? 'Redacted. The incident is under a legal hold: the original is kept in the held store, readable only by the hold’s owners.'
    : 'Redacted. The original text is gone from Meridian.';
}

/**
 * Meridian's own Slack messages that quoted the redacted text, rewritten: a status update (channel
 * and feed) shows the placeholder; the resolution line is rendered again from the redacted
 * incident. Their ts are kept on the timeline entry they belong to (posts before that was kept are
 * not found). The card, review and report posts are refreshed by their own deps.
 */
async function rewriteQuotingPosts(deps: RedactDeps, incident: Incident, target: RedactTarget): Promise<void> {
  if (!deps.rewritePost) return;
  if (target.kind === 'entry') {
    const entry = await findTimelineEntry(deps.db, target.id);
    if (!entry) return;
    for (const post of postsOf(entry.data).filter((p) => p.shows === 'update'))
      await deps.rewritePost(post, redactedUpdateMessage(incident, entry.text));
    return;
  }
  if (target.kind !== 'resolution_summary' && target.kind !== 'mitigation') return;
  const fresh = (await findIncident(deps.db, incident.id)) ?? incident;
  for (const { actorId, posts } of await resolutionPosts(deps.db, incident.id))
    for (const post of posts) if (actorId) await deps.rewritePost(post, resolvedMessage(fresh, actorId));
}

/** The incident a target belongs to, whatever its text. */
async function incidentOfTarget(db: Db, target: RedactTarget): Promise<string | null | undefined> {
  if (target.kind === 'entry') return (await findTimelineEntry(db, target.id))?.incidentId;
  if (target.kind === 'report') {
    const report = await reportBody(db, target.id);
    return report ? report.incidentId : undefined;
  }
  return target.id;
}

/** The "Redact in Meridian" shortcut: the entry copied from the message, when the person may redact (else refused, audited). */
export async function entryOfMessage(deps: RedactDeps, input: { userId: string; channelId: string; ts: string }): Promise<string> {
  const incident = await findIncidentByChannel(deps.db, input.channelId);
  if (!incident || !(await canSeeIncident(deps, incident, input.userId)))
    throw new UserError('redact_not_incident', 'Meridian keeps no copy of this message: it is not in an incident channel.');
  if (!(await isPermitted(deps.admins, deps.retention?.mayRedact ?? [], deps.groupMembers, input.userId))) {
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
  for (const entry of entries) {
    const original = {
      incidentId: entry.incidentId,
      target: { kind: 'entry', id: entry.id } as const,
      held: entry.text,
      texts: [entry.text],
    };
    await redactInTransaction(
      deps,
      { ...original, details: { entryId: entry.id, kind: entry.kind } },
      redactedText('slack', now, 'message deleted in Slack'),
      null,
      now,
    );
  }
  if (entries.length > 0) await deps.refreshReview?.(incident.id);
  return entries.length;
}
