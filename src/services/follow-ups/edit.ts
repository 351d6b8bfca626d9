/**
 * Editing an open follow-up: its title, owner, team or due date, by its owner or someone who may
 * change its incident. The reminders are planned again for the new due date (the old ones are
 * stale by version and cancelled), a new owner is told, a team with a Jira project gets the
 * export it did not have, and the channel and the card show the change.
 */
import type { View } from '@slack/types';
import { followUpEditedLine, followUpModal } from '../../blocks/follow-ups.js';
import { cancelFollowUpActions, editFollowUp, findFollowUp, type StoredFollowUp } from '../../db/repos/follow-ups.js';
import { findIncident, type Incident } from '../../db/repos/incidents.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { dueAtOfDay, followUpChanges, followUpDraftProblems, followUpRef } from '../../domain/follow-ups.js';
import { canChangeIncident } from '../../domain/permissions.js';
import { InvalidInput, NotFound, PermissionDenied, UserError } from '../../errors.js';
import { withPlanning } from '../../jobs/plan.js';
import { incidentForUser } from '../incident-access.js';
import { jiraProjectMissing, planFollowUpActions } from './create.js';
import { followUpsConfig, jiraProjectOf, showFollowUpChange, type FollowUpDeps } from './deps.js';

export interface FollowUpEdit {
  userId: string;
  followUpId: string;
  title: string;
  ownerId: string | null;
  teamId: string | null;
  dueDay: string | null;
}

/** The follow-up and its incident, when `userId` may edit it: its owner, or someone who may change the incident (and can see it). */
async function editable(
  deps: FollowUpDeps,
  f: StoredFollowUp | undefined,
  userId: string,
): Promise<{ f: StoredFollowUp; incident: Incident }> {
  if (!f) throw new NotFound('That follow-up does not exist.');
  const access = { db: deps.db, admins: deps.meridian.admins, clock: deps.clock };
  const incident = f.ownerId === userId ? await findIncident(deps.db, f.incidentId) : await incidentForUser(access, f.incidentId, userId);
  if (!incident) throw new NotFound('That incident no longer exists.');
  if (f.ownerId !== userId && !canChangeIncident({ userId, incident, admins: deps.meridian.admins })) {
    await addAuditRecord(deps.db, {
      incidentId: f.incidentId,
      at: deps.clock(),
      actorId: userId,
      action: 'follow_up.edit',
      outcome: 'refused',
      details: { followUpId: f.id },
    });
    throw new PermissionDenied(
      `Only its owner (<@${f.ownerId}>), the incident's commander or declarer, or an admin can change ${followUpRef(f)}.`,
    );
  }
  if (f.status !== 'open') throw new UserError('follow_up_closed', `${followUpRef(f)} is closed: there is nothing left to change.`);
  return { f, incident };
}

/** The edit modal, filled with the follow-up as it is. */
export async function followUpEditForm(deps: FollowUpDeps, input: { userId: string; followUp: StoredFollowUp | undefined }): Promise<View> {
  const { f, incident } = await editable(deps, input.followUp, input.userId);
  return followUpModal({
    incidentId: incident.id,
    incident,
    title: f.title,
    teams: followUpsConfig(deps).teams,
    defaultDueDay: f.dueAt.toISOString().slice(0, 10),
    ownerId: f.ownerId,
    teamId: f.teamId,
    edit: { followUpId: f.id, ref: followUpRef(f) },
  });
}

/** Saves an edit: `InvalidInput` naming the fields (nothing changed), or the follow-up as it now is. */
export async function saveFollowUpEdit(deps: FollowUpDeps, input: FollowUpEdit): Promise<StoredFollowUp> {
  const { f, incident } = await editable(deps, await findFollowUp(deps.db, input.followUpId), input.userId);
  const now = deps.clock();
  const config = followUpsConfig(deps);
  const draft = { title: input.title, ownerId: input.ownerId, teamId: input.teamId, dueAt: input.dueDay ? dueAtOfDay(input.dueDay) : null };
  const problems = followUpDraftProblems(draft, config.teams, now);
  if (Object.keys(problems).length) throw new InvalidInput(problems);
  const next = { title: draft.title.trim(), ownerId: draft.ownerId as string, teamId: draft.teamId, dueAt: draft.dueAt as Date };
  const changed = followUpChanges(f, next);
  if (changed.length === 0) return f;
  // A team with a Jira project the follow-up is not in yet: exported now, when the project exists.
  const project = changed.includes('team') && f.exportState !== 'created' ? jiraProjectOf(deps, next.teamId) : undefined;
  if (project && (await jiraProjectMissing(deps, project)))
    throw new InvalidInput({
      team: `Jira has no project ${project} (or Meridian's Jira account cannot see it): pick another team, or ask an admin to fix this team's jira_project.`,
    });
  const saved = await withPlanning(deps, async ({ tx, plan, dropJobs }) => {
    const row = await editFollowUp(tx, f.id, { ...next, ...(project ? { exportState: 'pending' as const } : {}) });
    if (!row) return undefined;
    // The notice and reminders of the old version: cancelled (they would skip as stale anyway).
    dropJobs(await cancelFollowUpActions(tx, row.id, now, ['follow-up-notice', 'follow-up-reminder']));
    await planFollowUpActions(plan, row, config.remindBeforeDays, now, {
      notify: changed.includes('owner') && row.ownerId !== input.userId,
      export: Boolean(project),
    });
    await addTimelineEntry(tx, {
      incidentId: row.incidentId,
      at: now,
      kind: 'follow_up_edited',
      actorId: input.userId,
      text: `Follow-up ${followUpRef(row)} changed (${changed.join(', ')}): ${row.title}`,
      data: { followUpId: row.id, changed },
    });
    await addAuditRecord(tx, {
      incidentId: row.incidentId,
      at: now,
      actorId: input.userId,
      action: 'follow_up.edit',
      details: {
        followUpId: row.id,
        changed,
        ...(changed.includes('owner') ? { from: { ownerId: f.ownerId }, to: { ownerId: row.ownerId } } : {}),
        ...(changed.includes('due') ? { dueAt: row.dueAt.toISOString() } : {}),
        ...(changed.includes('team') ? { teamId: row.teamId } : {}),
      },
    });
    return row;
  });
  if (!saved) throw new UserError('follow_up_closed', `${followUpRef(f)} was closed meanwhile: nothing was changed.`);
  if (incident.channelId)
    await deps.slack
      .postMessage({ channel: incident.channelId, text: followUpEditedLine(f, saved, changed, config.teams, input.userId) })
      .catch((err: unknown) => deps.logger.warn({ err, followUpId: saved.id }, 'follow-up edit not announced'));
  await showFollowUpChange(deps, incident.id);
  return saved;
}
