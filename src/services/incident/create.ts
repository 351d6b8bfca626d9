import type { View } from '@slack/types';
import { parseRoleAssignment } from '../../domain/roles.js';
import { InvalidInput, UserError } from '../../errors.js';
import { resolveModal, roleModal, severityModal, updateModal } from '../../blocks/incident-modals.js';
import { incidentStatusMessage } from '../../blocks/incident-status.js';
import { assignRole } from './assign-role.js';
import { changeSeverity } from './change-severity.js';
import { changeStatus } from './change-status.js';
import { locateIncident, requireChanger, type IncidentDeps } from './context.js';
import type { IncidentServices } from './index.js';
import { postUpdate } from './post-update.js';
import { rolesOfIncident } from '../../db/repos/roles.js';
import type { Incident } from '../../db/repos/incidents.js';
import { defaultFollowUpTeam, FOLLOW_UP_TITLE_MAX } from '../../domain/follow-ups.js';
import { createFollowUp } from '../follow-ups/index.js';
import { followUpsConfig } from '../follow-ups/deps.js';

/** Binds the incident use cases to their dependencies, for the Slack edge. */
export function createIncidentServices(deps: IncidentDeps): IncidentServices {
  return {
    async modal({ userId, modal, where }): Promise<View> {
      const incident = await locateIncident(deps, where, userId);
      await requireChanger(deps, incident, userId, `incident.${modal}.open`);
      switch (modal) {
        case 'severity':
          return severityModal(incident, deps.catalog);
        case 'update':
          return updateModal(incident);
        case 'role':
          return roleModal(incident);
        case 'resolve':
          return resolveModal(incident);
      }
    },

    async submitModal({ userId, incidentId, fields, submissionKey }) {
      const incident = await locateIncident(deps, { incidentId }, userId);
      switch (fields.modal) {
        case 'severity':
          return changeSeverity(deps, { userId, incident, submissionKey, severity: fields.severity, reason: fields.reason });
        case 'update':
          return postUpdate(deps, { userId, incident, submissionKey, ...fields });
        case 'role':
          await assignRole(deps, { userId, incident, role: fields.role, assignee: fields.userId, submissionKey });
          return;
        case 'resolve': {
          const summary = (fields.resolution ?? '').trim();
          if (summary.length < 3) throw new InvalidInput({ resolution: 'Say how it ended; the review starts from this.' });
          const followUps = (fields.followUps ?? '')
            .split('\n')
            .map((l) => l.replace(/^\s*[-*•]\s*/, '').trim())
            .filter(Boolean);
          const mitigation = fields.mitigation?.trim() || null;
          await changeStatus(deps, { userId, incident, target: 'resolved', submissionKey, resolution: { summary, mitigation, followUps } });
          await trackResolveFollowUps(deps, incident, userId, followUps, submissionKey);
          return;
        }
      }
    },

    async status({ userId, channelId, target, submissionKey }) {
      const incident = await locateIncident(deps, { channelId }, userId);
      if (target) {
        const text = await changeStatus(deps, { userId, incident, target, submissionKey });
        return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
      }
      return incidentStatusMessage(incident, await rolesOfIncident(deps.db, incident.id), deps.catalog);
    },

    async transition({ userId, channelId, target, reason, submissionKey }) {
      const incident = await locateIncident(deps, { channelId }, userId);
      return changeStatus(deps, { userId, incident, target, reason, submissionKey });
    },

    async assignRoleFromText({ userId, channelId, text, submissionKey }) {
      const incident = await locateIncident(deps, { channelId }, userId);
      const parsed = parseRoleAssignment(text);
      if (!parsed.ok) throw new UserError('bad_role_command', parsed.error);
      return assignRole(deps, { userId, incident, role: parsed.role, assignee: parsed.userId, submissionKey });
    },
  };
}

/**
 * The resolve modal's lines become tracked follow-ups, owned by the commander (else the
 * resolver), of the team of the incident's category (else the owner's team), and due
 * `follow_ups.default_due_days` later; the lines also stay in the resolution record
 * (`incidents.follow_ups`) as typed.
 */
async function trackResolveFollowUps(deps: IncidentDeps, incident: Incident, userId: string, lines: string[], submissionKey: string) {
  const config = followUpsConfig(deps);
  const dueAt = new Date(deps.clock().getTime() + config.defaultDueDays * 86_400_000);
  const ownerId = incident.commanderId ?? userId;
  const teamId = defaultFollowUpTeam(config.teams, incident.category, ownerId);
  for (const [i, line] of lines.entries()) {
    await createFollowUp(deps, {
      incidentId: incident.id,
      title: line.slice(0, FOLLOW_UP_TITLE_MAX),
      ownerId,
      teamId,
      dueAt,
      createdBy: userId,
      submissionKey: `${submissionKey}:follow-up:${i}`,
      // The modal is gone by now: a team without its Jira project keeps the line here, and the channel is told.
      whenProjectMissing: 'keep',
    }).catch((err: unknown) => deps.logger.warn({ err, incidentId: incident.id }, 'a resolve follow-up was not tracked'));
  }
}
