import type { App } from '@slack/bolt';
import { ONCALL_OVERRIDE_CALLBACK_ID, OVERRIDE_BLOCKS } from '../../../blocks/oncall-override-modal.js';
import { InvalidInput } from '../../../errors.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { readOverrideForm } from '../../inputs/oncall-override-view.js';
import { cleanViewText } from '../../inputs/user-text.js';
import { answerViewSubmission } from '../../reply.js';

export { ONCALL_OVERRIDE_CALLBACK_ID };

export function registerOncallOverrideView(app: App, deps: SlackEdgeDeps): void {
  app.view(ONCALL_OVERRIDE_CALLBACK_ID, async ({ ack, body }) => {
    const where = {
      logger: deps.logger,
      context: { view: ONCALL_OVERRIDE_CALLBACK_ID, userId: body.user.id },
      fallbackBlock: OVERRIDE_BLOCKS.schedule,
      plainText: deps.services.plainText,
    };
    try {
      const text = cleanViewText(body.view.state.values);
      if (Object.keys(text.refused).length) throw new InvalidInput(text.refused);
      const read = readOverrideForm(text.values, deps.clock());
      if (!read.ok) throw new InvalidInput(read.errors);
      await deps.services.oncall.submitOverride({ userId: body.user.id, form: read.form, submissionKey: `view:${body.view.id}` });
      await ack();
    } catch (err) {
      await answerViewSubmission(ack, err, where);
    }
  });
}
