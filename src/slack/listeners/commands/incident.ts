import type { App, SlashCommand } from '@slack/bolt';
import { declareModal } from '../../../blocks/declare-modal.js';
import { incidentHelpMessage, incidentListMessage } from '../../../blocks/incident-list.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { parseIncidentCommand, type ParsedIncidentCommand } from '../../inputs/incident-command.js';
import { commandText } from '../../inputs/user-text.js';
import { errorText } from '../../reply.js';
import { parseFollowUpClose, parseFollowUpEdit } from '../../../domain/follow-ups.js';

type Ack = (response?: { response_type: 'ephemeral'; text: string; blocks?: unknown[] }) => Promise<void>;

export function registerIncidentCommand(app: App, deps: SlackEdgeDeps): void {
  app.command('/incident', async ({ command, ack }) => {
    let text: string;
    try {
      text = commandText(command.text);
    } catch (err) {
      await ack({ response_type: 'ephemeral', text: errorText(err, deps.logger, { command: '/incident', userId: command.user_id }) });
      return;
    }
    await route(deps, command, parseIncidentCommand(text), ack as Ack);
  });
}

/**
 * Each subcommand: answers that need only the database are the ack's body; modals ack first
 * (the trigger id lives 3 s); work that may wait on Slack or locks acks first and replies after.
 */
async function route(deps: SlackEdgeDeps, command: SlashCommand, parsed: ParsedIncidentCommand, ack: Ack): Promise<void> {
  const { services, logger } = deps;
  const userId = command.user_id;
  const channelId = command.channel_id;
  // Each invocation has its own trigger id: a replayed request claims the same key and changes nothing.
  const submissionKey = `cmd:${command.trigger_id}`;
  const ctx = { command: '/incident', sub: parsed.kind, userId };
  const fail = (err: unknown) => errorText(err, logger, ctx);
  const replyNow = async (work: () => Promise<{ text: string; blocks?: unknown[] }>) => {
    try {
      await ack({ response_type: 'ephemeral', ...(await work()) });
    } catch (err) {
      await ack({ response_type: 'ephemeral', text: fail(err) });
    }
  };
  // An empty answer: the channel already has the line (the record), the person needs no second copy.
  const replyLater = async (work: () => Promise<string>) => {
    await ack();
    const text = await work().catch(fail);
    if (text) await services.tellUser(channelId, userId, text, command.response_url);
  };
  const openModal = async (view: () => Promise<Parameters<typeof services.openModal>[1]>) => {
    await ack();
    try {
      await services.openModal(command.trigger_id, await view());
    } catch (err) {
      await services.tellUser(channelId, userId, fail(err), command.response_url);
    }
  };

  switch (parsed.kind) {
    case 'declare':
      return openModal(async () => declareModal(deps.catalog, { title: parsed.title, metadata: { originChannelId: channelId } }));
    case 'list':
      return replyNow(async () =>
        incidentListMessage(
          await services.listOpenIncidents({ teamId: command.team_id, userId, page: parsed.page }),
          deps.catalog,
          deps.clock(),
        ),
      );
    case 'ack':
      return replyLater(() => services.pages.acknowledge({ userId, channelId }));
    case 'status':
      return replyNow(() => services.incidents.status({ userId, channelId, target: parsed.target, submissionKey }));
    case 'modal':
      return openModal(() => services.incidents.modal({ userId, modal: parsed.modal, where: { channelId } }));
    case 'transition':
      return replyLater(() => services.incidents.transition({ userId, channelId, target: parsed.target, submissionKey }));
    case 'role':
      return replyLater(() => services.incidents.assignRoleFromText({ userId, channelId, text: parsed.args, submissionKey }));
    case 'timeline':
      return replyNow(() => services.timeline.show({ userId, channelId }));
    case 'note':
      return replyLater(() => services.timeline.addNote({ userId, channelId, text: parsed.text, submissionKey }));
    case 'review':
      if (parsed.status !== undefined) return replyLater(() => services.review.setStatus({ userId, channelId, args: parsed.status ?? '' }));
      return replyLater(() => services.review.postFromChannel({ userId, channelId }));
    case 'intake':
      return replyNow(() => services.intake.pending({ userId }));
    case 'deadline':
      return replyLater(() => services.clocks.deadline({ userId, channelId, command: parsed.command }));
    case 'responded':
      if (/^undo(\s|$)/i.test(parsed.note))
        return replyLater(() => services.clocks.undoResponse({ userId, channelId, rest: parsed.note.replace(/^undo\s*/i, '') }));
      return replyLater(() => services.clocks.responded({ userId, where: { channelId }, note: parsed.note }));
    case 'deadlines':
      return replyNow(() => services.clocks.list({ userId, teamId: command.team_id }));
    case 'export':
      return replyLater(() => services.reports.exportToDm({ userId, args: parsed.args }));
    case 'report':
      await ack();
      // Posted in the reports channel, or shown to the caller: nothing else to say when it worked.
      await services.reports
        .digest({ userId, channelId, args: parsed.args })
        .catch(async (err: unknown) => services.tellUser(channelId, userId, fail(err), command.response_url));
      return;
    case 'audit':
      return replyNow(() => services.auditLog({ userId, ref: parsed.ref }));
    case 'follow-up': {
      const close = parseFollowUpClose(parsed.title);
      if (close) return replyLater(() => services.followUps.close({ userId, command: close }));
      const edit = parseFollowUpEdit(parsed.title);
      if (edit !== undefined) return openModal(() => services.followUps.editForm({ userId, number: edit }));
      return openModal(() => services.followUps.form({ userId, where: { channelId }, title: parsed.title }));
    }
    case 'follow-ups':
      return replyNow(() => services.followUps.list({ userId, channelId, args: parsed.args }));
    case 'order':
      return openModal(() => services.regulatory.orderForm({ userId, where: { channelId } }));
    case 'ncmec':
      return openModal(() => services.regulatory.ncmecForm({ userId, where: { channelId } }));
    case 'art18':
      return openModal(() => services.regulatory.art18Form({ userId, where: { channelId } }));
    case 'crisis':
      return replyLater(() => services.regulatory.crisis({ userId, channelId, args: parsed.args }));
    case 'basis':
      return replyLater(() => services.regulatory.noticeBasis({ userId, channelId, args: parsed.args }));
    case 'transparency':
      return replyLater(() => services.regulatory.transparency({ userId, args: parsed.args }));
    case 'similar':
      return replyNow(() => services.similar.similar({ userId, teamId: command.team_id, channelId, text: parsed.text }));
    case 'link':
      return replyLater(() => services.similar.link({ userId, channelId, args: parsed.args }));
    case 'help':
      return replyNow(async () => incidentHelpMessage(parsed.unknown));
    case 'hold':
      return replyLater(() => services.retention.hold({ userId, channelId, text: parsed.text }));
    case 'release-hold':
      return replyLater(() => services.retention.releaseHold({ userId, channelId, text: parsed.text }));
    case 'holds':
      return replyNow(() => services.retention.listHolds({ userId }));
    case 'held':
      return replyNow(() => services.retention.readHeld({ userId, ref: parsed.ref }));
  }
}
