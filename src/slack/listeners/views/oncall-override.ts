import type { App } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../app.js';

export const ONCALL_OVERRIDE_CALLBACK_ID = 'oncall_override';

export function registerOncallOverrideView(app: App, deps: SlackEdgeDeps): void {
  app.view(ONCALL_OVERRIDE_CALLBACK_ID, async ({ ack, body }) => {
    const errors = await deps.services.oncall.submitOverride({ userId: body.user.id, values: body.view.state.values });
    if (errors) await ack({ response_action: 'errors', errors });
    else await ack();
  });
}
