import type { App, BlockButtonAction } from '@slack/bolt';
import { OVERRIDE_UNDO_ACTION } from '../../../blocks/oncall-swap.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { errorText, responseUrlOf } from '../../reply.js';

/** The Undo button on the DM to someone swapped out of their shift. */
export function registerOverrideActions(app: App, deps: SlackEdgeDeps): void {
  app.action<BlockButtonAction>(OVERRIDE_UNDO_ACTION, async ({ ack, body, action }) => {
    await ack();
    const userId = body.user.id;
    let text: string;
    try {
      const dm = body.channel && body.message ? { channelId: body.channel.id, ts: body.message.ts } : undefined;
      text = await deps.services.oncall.undoOverride({ userId, overrideId: action.value ?? '', dm });
    } catch (err) {
      text = errorText(err, deps.logger, { action: OVERRIDE_UNDO_ACTION, userId });
    }
    await deps.services.tellUser(body.channel?.id, userId, text, responseUrlOf(body));
  });
}
