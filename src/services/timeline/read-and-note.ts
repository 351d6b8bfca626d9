/** `/incident timeline` and `/incident note`: both only in an incident channel; a private one, to a non-member, is the neutral not-available answer. */
import { incidentRef, type RenderedMessage } from '../../blocks/incident-messages.js';
import { type RedactableText, timelineMessage } from '../../blocks/timeline-message.js';
import { reportsOfIncident } from '../../db/repos/redaction.js';
import type { Database } from '../../db/client.js';
import type { Incident } from '../../db/repos/incidents.js';
import { addTimelineEntry } from '../../db/repos/record.js';
import { claimSlackDelivery } from '../../db/repos/slack-events.js';
import { latestTimelineEntries } from '../../db/repos/timeline.js';
import { UserError } from '../../errors.js';
import { incidentOfChannelForUser } from '../incident-access.js';
import type { Clock } from '../types.js';
import { redactTargetValue, type RetentionConfig } from '../../domain/retention.js';
import { type GroupMembers, isPermitted } from '../retention/permitted.js';

type ReadDeps = {
  db: Database;
  clock: Clock;
  admins: readonly string[];
  retention?: RetentionConfig | undefined;
  groupMembers?: GroupMembers;
};

/** The most entries read for one reply; the renderer shows what fits of them. */
const ENTRIES_READ = 60;
/** A note is a line or a paragraph, not a document. */
export const NOTE_MAX = 2000;

async function incidentHere(deps: ReadDeps, input: { userId: string; channelId: string }, command: string): Promise<Incident> {
  // The channel is private already; membership is checked anyway so that nothing leaks if Slack and we disagree.
  return incidentOfChannelForUser(
    deps,
    input.channelId,
    input.userId,
    `\`/incident ${command}\` works in an incident channel. Type it in the channel of the incident you mean.`,
  );
}

/** The timeline, latest entries last; older ones beyond Slack's limits are counted, not shown. */
export async function showTimeline(deps: ReadDeps, input: { userId: string; channelId: string }): Promise<RenderedMessage> {
  const incident = await incidentHere(deps, input, 'timeline');
  const { entries, total } = await latestTimelineEntries(deps.db, incident.id, ENTRIES_READ);
  const redactable = await isPermitted(deps.admins, deps.retention?.mayRedact ?? [], deps.groupMembers, input.userId);
  return timelineMessage(incident, entries, total, { redactable, texts: redactable ? await redactableTexts(deps.db, incident) : [] });
}

const NOT_YET_REDACTED = (text: string | null): text is string => !!text && !/^\[(redacted |removed under the retention policy)/.test(text);

/** The incident's own texts and its intake reports' bodies, not redacted yet: what gets a Redact button besides entries. */
async function redactableTexts(db: Database, incident: Incident): Promise<RedactableText[]> {
  const texts: RedactableText[] = [];
  const own: Array<[string, string | null, 'summary' | 'resolution_summary' | 'mitigation']> = [
    ['Summary', incident.summary, 'summary'],
    ['Resolution summary', incident.resolutionSummary, 'resolution_summary'],
    ['Mitigation', incident.mitigation, 'mitigation'],
  ];
  for (const [label, text, kind] of own)
    if (NOT_YET_REDACTED(text)) texts.push({ label, text, value: redactTargetValue({ kind, id: incident.id }) });
  for (const report of await reportsOfIncident(db, incident.id))
    if (NOT_YET_REDACTED(report.summary))
      texts.push({
        label: `Intake report: ${report.title}`,
        text: report.summary,
        value: redactTargetValue({ kind: 'report', id: report.id }),
      });
  return texts;
}

/** Adds a note by `userId`, once per `submissionKey` (claimed with the entry); returns the words for the caller. */
export async function addNote(
  deps: ReadDeps,
  input: { userId: string; channelId: string; text: string; submissionKey: string },
): Promise<string> {
  const text = input.text.trim();
  if (text === '') throw new UserError('note_empty', 'Write the note after the command: `/incident note <what happened>`.');
  if ([...text].length > NOTE_MAX)
    throw new UserError('note_too_long', `A note can be at most ${NOTE_MAX} characters; this one has ${[...text].length}.`);
  const incident = await incidentHere(deps, input, 'note');
  const at = deps.clock();
  await deps.db.transaction(async (tx) => {
    if (!(await claimSlackDelivery(tx, input.submissionKey))) return;
    await addTimelineEntry(tx, { incidentId: incident.id, at, kind: 'note', actorId: input.userId, text, data: {} });
  });
  return `:memo: Added to the timeline of ${incidentRef(incident)}. \`/incident timeline\` shows it.`;
}
