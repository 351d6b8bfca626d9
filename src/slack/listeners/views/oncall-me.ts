import type { App } from '@slack/bolt';
import { ME_ACTION_ID, ME_BLOCKS, ONCALL_ME_CALLBACK_ID } from '../../../blocks/paging-preferences.js';
import { InvalidInput } from '../../../errors.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { cleanViewText } from '../../inputs/user-text.js';
import { answerViewSubmission } from '../../reply.js';

type Values = Record<string, Record<string, { value?: string | null } | undefined> | undefined>;

export function registerOncallMeView(app: App, deps: SlackEdgeDeps): void {
  app.view(ONCALL_ME_CALLBACK_ID, async ({ ack, body }) => {
    const where = {
      logger: deps.logger,
      context: { view: ONCALL_ME_CALLBACK_ID, userId: body.user.id },
      fallbackBlock: ME_BLOCKS.phone,
      plainText: deps.services.plainText,
    };
    try {
      const text = cleanViewText(body.view.state.values);
      if (Object.keys(text.refused).length) throw new InvalidInput(text.refused);
      const values = (text.values ?? {}) as Values;
      const read = (block: string) => values[block]?.[ME_ACTION_ID]?.value ?? undefined;
      if (!deps.services.paging) throw new Error('paging preferences are not wired');
      const view = await deps.services.paging.saveMyPaging(body.user.id, {
        ...{ phone: read(ME_BLOCKS.phone), email: read(ME_BLOCKS.email), code: read(ME_BLOCKS.code) },
        ...{ smsAfter: read(ME_BLOCKS.smsAfter), voiceAfter: read(ME_BLOCKS.voiceAfter), emailAfter: read(ME_BLOCKS.emailAfter) },
      });
      await ack({ response_action: 'update', view });
    } catch (err) {
      await answerViewSubmission(ack, err, where);
    }
  });
}
