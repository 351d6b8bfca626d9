import type { App } from '@slack/bolt';
import { ONCALL_OVERRIDE_CALLBACK_ID, OVERRIDE_BLOCKS } from '../../../blocks/oncall-override-modal.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { errorText } from '../../reply.js';

export { ONCALL_OVERRIDE_CALLBACK_ID };

export function registerOncallOverrideView(app: App, deps: SlackEdgeDeps): void {
  app.view(ONCALL_OVERRIDE_CALLBACK_ID, async ({ ack, body }) => {
    try {
      const errors = await deps.services.oncall.submitOverride({ userId: body.user.id, values: body.view.state.values });
      if (errors) await ack({ response_action: 'errors', errors });
      else await ack();
    } catch (err) {
      const text = errorText(err, deps.logger, { view: ONCALL_OVERRIDE_CALLBACK_ID, userId: body.user.id });
      await ack({ response_action: 'errors', errors: { [OVERRIDE_BLOCKS.schedule]: text } });
    }
  });
}
