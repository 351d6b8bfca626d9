import type { App } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../app.js';

export function registerOncallCommand(app: App, deps: SlackEdgeDeps): void {
  app.command('/oncall', async ({ command, ack }) => {
    const reply = await deps.services.oncall.command({ userId: command.user_id, text: command.text ?? '' });
    if (reply.kind === 'message') await ack({ response_type: 'ephemeral', text: reply.text });
    else await ack();
  });
}
