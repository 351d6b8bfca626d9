/** Follow-ups from Slack: the modal, `/incident follow-ups`, the Done button, App Home's list. */
import type { View } from '@slack/types';
import { followUpListMessage, followUpModal, type RenderedMessage } from '../../blocks/follow-ups.js';
import { findFollowUp, findFollowUpByNumber, followUpsVisibleTo, type StoredFollowUp } from '../../db/repos/follow-ups.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { dueAtOfDay, type FollowUpCloseCommand, followUpRef, parseFollowUpFilter, WONT_DO_REASON_MAX } from '../../domain/follow-ups.js';
import { canChangeIncident } from '../../domain/permissions.js';
import { NotFound, PermissionDenied, UserError } from '../../errors.js';
import { escapeMrkdwn } from '../../slack-api/mrkdwn.js';
import { incidentForUser, incidentOfChannelForUser } from '../incident-access.js';
import { closeFollowUpAs } from './close.js';
import { createFollowUp } from './create.js';
import { followUpsConfig, type FollowUpDeps } from './deps.js';
import { type FollowUpEdit, followUpEditForm, saveFollowUpEdit } from './edit.js';
import { trackerIssueChanged, type TrackerIssueChange, type TrackerIssueOutcome } from './tracker-webhook.js';

export { createFollowUp } from './create.js';
export type { FollowUpDeps } from './deps.js';

export interface FollowUpServices {
  /** The "Add follow-up" modal for the incident of a channel (the command, the shortcut) or of an id (the card's button). */
  form(input: { userId: string; where: { channelId: string } | { incidentId: string }; title?: string }): Promise<View>;
  /** The modal submitted: stored, or `InvalidInput` naming the fields (nothing stored). */
  submit(input: {
    userId: string;
    incidentId: string;
    title: string;
    ownerId: string | null;
    teamId: string | null;
    dueDay: string | null;
    submissionKey: string;
  }): Promise<void>;
  /** `/incident follow-ups [mine|team <t>|overdue]`: in an incident channel without words, that incident's. */
  list(input: { userId: string; channelId: string; args: string }): Promise<RenderedMessage>;
  /** "Mark done", by the owner or someone who may change the incident. */
  markDone(input: { userId: string; followUpId: string }): Promise<string>;
  /** `/incident follow-up done FU-n` or `wontdo FU-n <reason>`: the same rules as "Mark done"; won't do needs a reason. */
  close(input: { userId: string; command: FollowUpCloseCommand }): Promise<string>;
  /** The edit modal of an open follow-up (by id: a DM's Edit button; by number: `/incident follow-up edit FU-n`). */
  editForm(input: { userId: string; followUpId?: string; number?: number }): Promise<View>;
  /** The edit modal submitted: saved, or `InvalidInput` naming the fields (nothing changed). */
  saveEdit(input: FollowUpEdit): Promise<void>;
  /** Jira's webhook said an issue changed: its follow-up closed when it is done. */
  trackerChanged(change: TrackerIssueChange): Promise<TrackerIssueOutcome>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createFollowUpServices(deps: FollowUpDeps): FollowUpServices {
  const access = { db: deps.db, admins: deps.meridian.admins, clock: deps.clock };
  const isAdmin = (userId: string) => deps.meridian.admins.includes(userId);

  /** Closes it for `userId`: its owner, or someone who may change its incident (who must be able to see it). */
  async function closeAs(f: StoredFollowUp | undefined, userId: string, command: FollowUpCloseCommand): Promise<string> {
    if (!f) throw new NotFound('That follow-up does not exist.');
    const status = command.op;
    const incident = f.ownerId === userId ? undefined : await incidentForUser(access, f.incidentId, userId);
    if (incident && !canChangeIncident({ userId, incident, admins: deps.meridian.admins })) {
      await addAuditRecord(deps.db, {
        incidentId: f.incidentId,
        at: deps.clock(),
        actorId: userId,
        action: `follow_up.${status}`,
        outcome: 'refused',
        details: { followUpId: f.id },
      });
      throw new PermissionDenied(
        `Only its owner (<@${f.ownerId}>), the incident's commander or declarer, or an admin can close ${followUpRef(f)}.`,
      );
    }
    const reason = command.op === 'wont_do' ? command.reason : '';
    if (command.op === 'wont_do' && !reason)
      throw new UserError(
        'reason_required',
        `Say why ${followUpRef(f)} won't be done: \`/incident follow-up wontdo ${followUpRef(f)} <reason>\`.`,
      );
    if (reason.length > WONT_DO_REASON_MAX)
      throw new UserError('reason_too_long', `Keep the reason under ${WONT_DO_REASON_MAX} characters.`);
    if (f.status !== 'open') return `${followUpRef(f)} is already closed.`;
    const closed = await closeFollowUpAs(deps, { followUpId: f.id, status, reason: reason || null, actorId: userId }, (_key, message) =>
      deps.slack.postMessage(message),
    );
    if (!closed) return `${followUpRef(f)} is already closed.`;
    return status === 'done' ? `${followUpRef(f)} is done. Thank you.` : `${followUpRef(f)} is closed as won't do.`;
  }
  return {
    async form({ userId, where, title }) {
      const incident =
        'channelId' in where
          ? await incidentOfChannelForUser(access, where.channelId, userId)
          : await incidentForUser(access, where.incidentId, userId);
      const config = followUpsConfig(deps);
      const dueDay = new Date(deps.clock().getTime() + config.defaultDueDays * 86_400_000).toISOString().slice(0, 10);
      return followUpModal({ incidentId: incident.id, incident, title: title ?? '', teams: config.teams, defaultDueDay: dueDay });
    },
    async submit(input) {
      // Anyone who may see the incident may give it a follow-up; a private one's non-members get the neutral answer.
      const incident = await incidentForUser(access, input.incidentId, input.userId);
      await createFollowUp(deps, {
        incidentId: incident.id,
        title: input.title,
        ownerId: input.ownerId,
        teamId: input.teamId,
        dueAt: input.dueDay ? dueAtOfDay(input.dueDay) : null,
        createdBy: input.userId,
        submissionKey: input.submissionKey,
      });
    },
    async list({ userId, channelId, args }) {
      const filter = parseFollowUpFilter(args);
      const viewer = { userId, isAdmin: isAdmin(userId) };
      const teams = followUpsConfig(deps).teams;
      const now = deps.clock();
      switch (filter.kind) {
        case 'bad':
          throw new UserError(
            'bad_follow_ups_filter',
            'Try `/incident follow-ups`, `follow-ups mine`, `follow-ups team <team>` or `follow-ups overdue`.',
          );
        case 'incident': {
          const incident = await incidentOfChannelForUser(access, channelId, userId);
          const rows = await followUpsVisibleTo(deps.db, viewer, { incidentId: incident.id });
          return followUpListMessage(`Follow-ups of INC-${incident.number}`, rows, teams, now);
        }
        case 'mine':
          return followUpListMessage(
            'Your open follow-ups',
            await followUpsVisibleTo(deps.db, viewer, { ownerId: userId, openOnly: true }),
            teams,
            now,
          );
        case 'overdue':
          return followUpListMessage('Overdue follow-ups', await followUpsVisibleTo(deps.db, viewer, { openDueBy: now }), teams, now);
        case 'team': {
          const team = teams.find((t) => t.id === filter.teamId || t.name.toLowerCase() === filter.teamId);
          if (!team) {
            const known = teams.map((t) => `\`${t.id}\``).join(', ') || 'none configured';
            throw new UserError('unknown_team', `No team \`${escapeMrkdwn(filter.teamId.slice(0, 40))}\`. Teams: ${known}.`);
          }
          const rows = await followUpsVisibleTo(deps.db, viewer, { teamId: team.id, openOnly: true });
          return followUpListMessage(`Open follow-ups of ${team.name}`, rows, teams, now);
        }
      }
    },
    async markDone({ userId, followUpId }) {
      const f = UUID.test(followUpId) ? await findFollowUp(deps.db, followUpId) : undefined;
      return closeAs(f, userId, { op: 'done', number: f?.number ?? 0 });
    },
    async close({ userId, command }) {
      return closeAs(await findFollowUpByNumber(deps.db, command.number), userId, command);
    },
    trackerChanged: (change) => trackerIssueChanged(deps, change),
    async editForm({ userId, followUpId, number }) {
      const followUp =
        followUpId !== undefined
          ? UUID.test(followUpId)
            ? await findFollowUp(deps.db, followUpId)
            : undefined
          : await findFollowUpByNumber(deps.db, number ?? 0);
      return followUpEditForm(deps, { userId, followUp });
    },
    async saveEdit(input) {
      await saveFollowUpEdit(deps, input);
    },
  };
}
