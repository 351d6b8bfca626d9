/**
 * The `follow-up-export` action creates the follow-up's issue in its team's Jira project, once:
 * each issue carries the label `meridian-fu-<id>`, and a retry (or a late run) searches for it
 * before creating, so an answer lost after Jira acted never makes a second issue. Jira down:
 * thrown, and the action is retried; the follow-up stays in Meridian meanwhile. Jira refusing
 * (a project that does not exist, bad credentials): said in the channel once, not retried.
 * The `follow-up-sync` action reads the issue's status back while the follow-up is open.
 */
import { findFollowUp, setFollowUpExport, type StoredFollowUp } from '../../db/repos/follow-ups.js';
import { findIncident, type Incident } from '../../db/repos/incidents.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { followUpRef, trackerSaysDone, type FollowUpsConfig } from '../../domain/follow-ups.js';
import { JiraRefused, type AdfDocument, type JiraIssueRef } from '../../jira-api/gateway.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import { closeFollowUpAs } from './close.js';
import { followUpsConfig, jiraProjectOf, type FollowUpDeps } from './deps.js';

export const trackerLabel = (followUpId: string): string => `meridian-fu-${followUpId}`;

export async function runFollowUpExport(deps: FollowUpDeps, ctx: ActionContext<'follow-up-export'>): Promise<ActionOutcome> {
  const f = await findFollowUp(ctx.tx, ctx.data.followUpId);
  if (f?.exportState !== 'pending' || !deps.jira) return 'skipped';
  const project = jiraProjectOf(deps, f.teamId);
  const incident = await findIncident(ctx.tx, f.incidentId);
  if (!project || !incident) return 'skipped';
  const label = trackerLabel(f.id);
  let issue: JiraIssueRef;
  try {
    // Always searched first: the first run may itself be a redelivery after a create Jira did but never answered.
    issue =
      (await deps.jira.findByLabel(label)) ??
      (await deps.jira.createIssue({
        project,
        summary: trackerSummary(f, incident, followUpsConfig(deps)),
        description: issueDescription(f, incident),
        labels: ['meridian', label],
        dueDate: f.dueAt.toISOString().slice(0, 10),
      }));
  } catch (err) {
    if (!(err instanceof JiraRefused)) throw err;
    await setFollowUpExport(ctx.tx, f.id, { exportState: 'failed' });
    await addAuditRecord(ctx.tx, {
      incidentId: f.incidentId,
      at: ctx.now,
      actorId: null,
      action: 'follow_up.export',
      outcome: 'refused',
      details: { followUpId: f.id, project, status: err.status, fields: Object.keys(err.fields) },
    });
    if (incident.channelId)
      await ctx.deliver(`follow-up-export-refused:${f.id}`, {
        channel: incident.channelId,
        text: `:warning: Follow-up *${followUpRef(f)}* was not exported to Jira project ${project}: ${err.message}. It stays tracked here; fix the team's \`jira_project\` or the Jira credentials.`,
      });
    return 'done';
  }
  await setFollowUpExport(ctx.tx, f.id, { exportState: 'created', trackerKey: issue.key, trackerUrl: issue.url });
  await addAuditRecord(ctx.tx, {
    incidentId: f.incidentId,
    at: ctx.now,
    actorId: null,
    action: 'follow_up.export',
    details: { followUpId: f.id, project, key: issue.key },
  });
  const every = followUpsConfig(deps).trackerPollMinutes * 60_000;
  await ctx.plan('follow-up-sync', { followUpId: f.id }, new Date(ctx.now.getTime() + every), {
    incidentId: null,
    dedupeKey: `follow-up:${f.id}:sync:${ctx.now.getTime()}`,
  });
  return 'done';
}

export async function runFollowUpSync(deps: FollowUpDeps, ctx: ActionContext<'follow-up-sync'>): Promise<ActionOutcome> {
  const f = await findFollowUp(ctx.tx, ctx.data.followUpId);
  if (f?.status !== 'open' || !f.trackerKey || !deps.jira) return 'skipped';
  const status = await deps.jira.issueStatus(f.trackerKey);
  if (status && trackerSaysDone(status.categoryKey)) {
    await closeFollowUpAs(
      deps,
      { followUpId: f.id, status: 'done', reason: null, actorId: null, via: `done in Jira ${f.trackerKey}` },
      ctx.deliver,
    );
    return 'done';
  }
  // Deleted in Jira (404): nothing more to read; the follow-up stays open here.
  if (!status) return 'done';
  const every = followUpsConfig(deps).trackerPollMinutes * 60_000;
  await ctx.plan('follow-up-sync', { followUpId: f.id }, new Date(ctx.now.getTime() + every), {
    incidentId: null,
    dedupeKey: `follow-up:${f.id}:sync:${ctx.now.getTime()}`,
  });
  return 'done';
}

/**
 * The issue's summary. A private incident's follow-up title can name what the incident is about
 * (a victim, a report): it stays in Slack unless `follow_ups.export_private_titles` says otherwise.
 */
function trackerSummary(f: StoredFollowUp, incident: Incident, config: FollowUpsConfig): string {
  if (incident.isPrivate && !config.exportPrivateTitles)
    return `${followUpRef(f)}: follow-up of private incident INC-${incident.number} (title kept in Slack)`;
  return `${followUpRef(f)}: ${f.title}`.slice(0, 254);
}

/** The issue's description in Atlassian Document Format: the incident, the owner, a link back to the channel. */
function issueDescription(f: StoredFollowUp, incident: Incident): AdfDocument {
  const text = (t: string) => ({ type: 'text', text: t });
  const link = (t: string, href: string) => ({ type: 'text', text: t, marks: [{ type: 'link', attrs: { href } }] });
  // Slack's redirect opens the channel in the right workspace without knowing its URL.
  const where = incident.channelId
    ? link('the incident channel in Slack', `https://slack.com/app_redirect?team=${incident.teamId}&channel=${incident.channelId}`)
    : text('Slack');
  // A private incident's title stays in Slack: the issue names only its number.
  const title = incident.isPrivate ? `INC-${incident.number} (private)` : `INC-${incident.number}: ${incident.title}`;
  return {
    type: 'doc',
    version: 1,
    content: [
      { type: 'paragraph', content: [text(`Follow-up ${followUpRef(f)} of ${title}, tracked in Meridian. See `), where, text('.')] },
      {
        type: 'paragraph',
        content: [text(`Due ${f.dueAt.toISOString().slice(0, 10)}. Marking this issue done marks the follow-up done.`)],
      },
    ],
  };
}
