import type { App } from '@slack/bolt';
import { declareModal } from '../../../blocks/declare-modal.js';
import { incidentHelpMessage, incidentListMessage } from '../../../blocks/incident-list.js';
import type { SlackEdgeDeps } from '../../app.js';
import { parseIncidentCommand } from '../../inputs/incident-command.js';
import { errorText } from '../../reply.js';

export function registerIncidentCommand(app: App, deps: SlackEdgeDeps): void {
  app.command('/incident', async ({ command, ack }) => {
    const parsed = parseIncidentCommand(command.text ?? '');
    const ctx = { command: '/incident', sub: parsed.kind, userId: command.user_id };
    switch (parsed.kind) {
      case 'declare': {
        // Ack first: the trigger id stays valid for 3 s and the modal needs nothing from the database.
        await ack();
        const view = declareModal(deps.catalog, { title: parsed.title, metadata: { originChannelId: command.channel_id } });
        await deps.services.openModal(command.trigger_id, view).catch((err: unknown) =>
          deps.services.tellUser(command.channel_id, command.user_id, errorText(err, deps.logger, ctx)),
        );
        return;
      }
      case 'list': {
        try {
          const incidents = await deps.services.listOpenIncidents({ teamId: command.team_id, userId: command.user_id });
          await ack({ response_type: 'ephemeral', ...incidentListMessage(incidents, deps.catalog) });
        } catch (err) {
          await ack({ response_type: 'ephemeral', text: errorText(err, deps.logger, ctx) });
        }
        return;
      }
      case 'ack': {
        // Ack at once: acknowledging may wait for an escalation step that is paging right now.
        await ack();
        const text = await deps.services.pages
          .acknowledge({ userId: command.user_id, channelId: command.channel_id })
          .catch((err: unknown) => errorText(err, deps.logger, ctx));
        await deps.services.tellUser(command.channel_id, command.user_id, text);
        return;
      }
      case 'help':
        await ack({ response_type: 'ephemeral', ...incidentHelpMessage(parsed.unknown) });
        return;
    }
  });
}
