/**
 * Creating a follow-up: checked (an owner, a due date ahead, a known team), stored, audited and
 * on the timeline, with its owner's notice, reminders and tracker export planned in the same
 * transaction. `createFollowUp` is the one entry point: the modal, the resolve modal and other
 * features (a crisis protocol's debrief) all call it.
 */
import { followUpChannelLine } from '../../blocks/follow-ups.js';
import { findFollowUpBySubmission, insertFollowUp, type StoredFollowUp } from '../../db/repos/follow-ups.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { findIncident } from '../../db/repos/incidents.js';
import { followUpDraftProblems, followUpRef, planFollowUpReminders } from '../../domain/follow-ups.js';
import { InvalidInput, NotFound } from '../../errors.js';
import { withPlanning, type Plan } from '../../jobs/plan.js';
import { followUpsConfig, jiraProjectOf, showFollowUpChange, type FollowUpDeps } from './deps.js';

export interface NewFollowUpInput {
  incidentId: string;
  title: string;
  ownerId: string | null;
  teamId?: string | null;
  dueAt: Date | null;
  /** Who asked for it (a Slack user id, or a feature's name such as `crisis-protocol`). */
  createdBy: string;
  /** One follow-up per submission, whatever Slack retries; a second call with the key returns the first's row. */
  submissionKey?: string;
  /**
   * When its team's Jira project does not exist: `refuse` (a form: the team field says so, nothing
   * stored) or `keep` (lines nobody can correct now, the resolve modal's: kept here, not exported,
   * and the channel told). Default `refuse`.
   */
  whenProjectMissing?: 'refuse' | 'keep';
}

/**
 * Creates a follow-up. Throws `InvalidInput` naming the fields (title, owner, team, due) when the
 * draft is refused: nothing is stored, nothing planned, nothing sent. The caller checks who may.
 */
export async function createFollowUp(deps: FollowUpDeps, input: NewFollowUpInput): Promise<StoredFollowUp> {
  const now = deps.clock();
  const config = followUpsConfig(deps);
  const draft = { title: input.title, ownerId: input.ownerId, teamId: input.teamId ?? null, dueAt: input.dueAt };
  const problems = followUpDraftProblems(draft, config.teams, now);
  if (Object.keys(problems).length) throw new InvalidInput(problems);
  const incident = await findIncident(deps.db, input.incidentId);
  if (!incident) throw new NotFound('That incident no longer exists.');
  const project = jiraProjectOf(deps, draft.teamId);
  const missing = project ? await jiraProjectMissing(deps, project) : false;
  if (missing && input.whenProjectMissing !== 'keep')
    throw new InvalidInput({
      team: `Jira has no project ${project} (or Meridian's Jira account cannot see it): pick another team, or ask an admin to fix this team's jira_project.`,
    });
  const created = await withPlanning(deps, async ({ tx, plan }) => {
    const row = await insertFollowUp(tx, {
      incidentId: incident.id,
      title: draft.title.trim(),
      ownerId: draft.ownerId as string,
      teamId: draft.teamId,
      dueAt: draft.dueAt as Date,
      createdBy: input.createdBy,
      exportState: missing ? 'failed' : project ? 'pending' : 'none',
      submissionKey: input.submissionKey ?? null,
      // The injected clock, like done_at: time to done is measured on one clock.
      createdAt: now,
    });
    if (!row) return undefined;
    await planFollowUpActions(plan, row, config.remindBeforeDays, now, {
      notify: row.ownerId !== input.createdBy,
      export: Boolean(project) && !missing,
    });
    if (deps.webhook)
      await plan('follow-up-webhook', { followUpId: row.id, event: 'created' }, now, {
        incidentId: null,
        dedupeKey: `follow-up:${row.id}:webhook:created`,
      });
    const text = `Follow-up ${followUpRef(row)} added: ${row.title} (owner <@${row.ownerId}>, due ${row.dueAt.toISOString().slice(0, 10)})`;
    await addTimelineEntry(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'follow_up_added',
      actorId: input.createdBy,
      text,
      data: { followUpId: row.id },
    });
    await addAuditRecord(tx, {
      incidentId: incident.id,
      at: now,
      actorId: input.createdBy,
      action: 'follow_up.create',
      details: { followUpId: row.id, ownerId: row.ownerId, teamId: row.teamId, dueAt: row.dueAt.toISOString() },
    });
    if (missing)
      await addAuditRecord(tx, {
        incidentId: incident.id,
        at: now,
        actorId: null,
        action: 'follow_up.export',
        outcome: 'refused',
        details: { followUpId: row.id, project, reason: 'project_not_found' },
      });
    return row;
  });
  if (!created) {
    // The same submission again: the row the first one stored.
    const first = await findFollowUpBySubmission(deps.db, input.submissionKey ?? '');
    if (!first) throw new NotFound('That follow-up could not be stored.');
    return first;
  }
  if (incident.channelId) {
    const added = followUpChannelLine(created, config.teams, 'added', /^U[A-Z0-9]+$/.test(input.createdBy) ? input.createdBy : null);
    const line = missing
      ? `${added} :warning: Not sent to Jira: it has no project ${project}; an admin should fix the team's \`jira_project\`.`
      : added;
    await deps.slack
      .postMessage({ channel: incident.channelId, text: line })
      .catch((err: unknown) => deps.logger.warn({ err, followUpId: created.id }, 'follow-up not announced in the channel'));
  }
  await showFollowUpChange(deps, incident.id);
  return created;
}

/**
 * Whether Jira says the project does not exist. Jira down or slow (a modal must be answered within
 * three seconds) is not "missing": the follow-up is stored and its export retried.
 */
export async function jiraProjectMissing(deps: FollowUpDeps, project: string): Promise<boolean> {
  if (!deps.jira) return false;
  try {
    return !(await deps.jira.projectExists(project, { timeoutMs: PROJECT_CHECK_MS }));
  } catch (err) {
    deps.logger.warn({ err, project }, 'follow-up: the Jira project could not be checked; the export will tell');
    return false;
  }
}

const PROJECT_CHECK_MS = 1500;

/**
 * The owner's notice, the reminders still ahead, and the export when its team has a Jira project.
 * Planned with no incident: a follow-up outlives its incident, so resolving or closing it (which
 * cancels the incident's pending actions) leaves them be; closing the follow-up cancels them.
 */
export async function planFollowUpActions(
  plan: Plan,
  f: StoredFollowUp,
  remindBeforeDays: number,
  now: Date,
  what: { notify: boolean; export: boolean },
): Promise<void> {
  const data = { followUpId: f.id };
  const opts = (suffix: string) => ({ incidentId: null, dedupeKey: `follow-up:${f.id}:${f.version}:${suffix}` });
  if (what.notify) await plan('follow-up-notice', data, now, opts('notice'));
  const reminders = planFollowUpReminders(f.dueAt, remindBeforeDays, now);
  if (reminders.before)
    await plan('follow-up-reminder', { ...data, version: f.version, stage: 'before' }, reminders.before, opts('before'));
  await plan('follow-up-reminder', { ...data, version: f.version, stage: 'overdue' }, reminders.overdue, opts('overdue'));
  if (what.export) await plan('follow-up-export', data, now, opts('export'));
}
