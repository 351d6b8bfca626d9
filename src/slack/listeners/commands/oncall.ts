import type { App } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { readOncallRequest } from '../../inputs/oncall-command.js';
import { commandText } from '../../inputs/user-text.js';
import { errorText } from '../../reply.js';

export function registerOncallCommand(app: App, deps: SlackEdgeDeps): void {
  app.command('/oncall', async ({ command, ack }) => {
    const ctx = { command: '/oncall', userId: command.user_id };
    try {
      if (/^\s*me\s*$/i.test(commandText(command.text)) && deps.services.paging) {
        const view = await deps.services.paging.myPagingModal(command.user_id);
        await ack();
        await deps.services
          .openModal(command.trigger_id, view)
          .catch((err: unknown) =>
            deps.services.tellUser(command.channel_id, command.user_id, errorText(err, deps.logger, ctx), command.response_url),
          );
        return;
      }
      const reply = await deps.services.oncall.command({ userId: command.user_id, request: readOncallRequest(commandText(command.text)) });
      if (reply.kind === 'message') {
        await ack({ response_type: 'ephemeral', text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) });
        return;
      }
      await ack();
      await deps.services
        .openModal(command.trigger_id, reply.view)
        .catch((err: unknown) =>
          deps.services.tellUser(command.channel_id, command.user_id, errorText(err, deps.logger, ctx), command.response_url),
        );
    } catch (err) {
      await ack({ response_type: 'ephemeral', text: errorText(err, deps.logger, ctx) });
    }
  });
}
