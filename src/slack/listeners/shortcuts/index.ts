import type { App, MessageShortcut } from '@slack/bolt';
import { declareModal } from '../../../blocks/declare-modal.js';
import { TITLE_MAX } from '../../../domain/declaration.js';
import { isSlackUserId } from '../../../domain/slack-user.js';
import { decodeSlackEntities, stripBidiControls, truncate } from '../../../domain/text.js';
import { channelLink, userMention } from '../../../slack-api/mrkdwn.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { errorText } from '../../reply.js';
import { redactModal } from '../../../blocks/redact-modal.js';

export const DECLARE_FROM_MESSAGE = 'declare_from_message';
/** "Redact in Meridian" (issue 24): the Redact modal for the timeline copy of this message. */
export const REDACT_FROM_MESSAGE = 'redact_from_message';

/** Escalations often arrive as a post: declare from it, its first line as the title, all of it as the summary. */
export function register(app: App, deps: SlackEdgeDeps): void {
  app.shortcut<MessageShortcut>(DECLARE_FROM_MESSAGE, async ({ ack, shortcut }) => {
    await ack();
    // Message text arrives entity-escaped like command text; the modal shows it as typed.
    const text = stripBidiControls(decodeSlackEntities(shortcut.message.text ?? ''));
    const firstLine = text.split('\n').find((l) => l.trim()) ?? '';
    const title = truncate(firstLine, TITLE_MAX);
    const author = shortcut.message.user;
    const from = isSlackUserId(author) ? `From ${userMention(author)} in ${channelLink(shortcut.channel.id)}:\n` : '';
    const view = declareModal(deps.catalog, {
      title,
      summary: `${from}${text}`,
      // The message itself is linked (permalink) in the incident's channel and timeline.
      metadata: { originChannelId: shortcut.channel.id, sourceMessage: { channelId: shortcut.channel.id, ts: shortcut.message.ts } },
    });
    await deps.services
      .openModal(shortcut.trigger_id, view)
      .catch((err: unknown) =>
        deps.services.tellUser(
          shortcut.channel.id,
          shortcut.user.id,
          errorText(err, deps.logger, { shortcut: DECLARE_FROM_MESSAGE }),
          shortcut.response_url,
        ),
      );
  });
  app.shortcut<MessageShortcut>(REDACT_FROM_MESSAGE, async ({ ack, shortcut }) => {
    await ack();
    const userId = shortcut.user.id;
    try {
      const entryId = await deps.services.retention.entryOfMessage({ userId, channelId: shortcut.channel.id, ts: shortcut.message.ts });
      await deps.services.openModal(shortcut.trigger_id, redactModal({ kind: 'entry', id: entryId }));
    } catch (err) {
      const text = errorText(err, deps.logger, { shortcut: REDACT_FROM_MESSAGE, userId });
      await deps.services.tellUser(shortcut.channel.id, userId, text, shortcut.response_url);
    }
  });
}
