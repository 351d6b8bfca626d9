/** Follow-ups from Slack: the modal's submission, the card's "Add follow-up", "Mark done", the message shortcut. */
import type { App, BlockButtonAction, MessageShortcut } from '@slack/bolt';
import {
  CARD_FOLLOW_UP_ACTION,
  FOLLOW_UP_BLOCKS,
  FOLLOW_UP_CALLBACK_ID,
  FOLLOW_UP_DONE_ACTION,
  FOLLOW_UP_EDIT_ACTION,
  FOLLOW_UP_EDIT_CALLBACK_ID,
  FOLLOW_UP_SHORTCUT,
} from '../../../blocks/follow-ups.js';
import { decodeSlackEntities, stripBidiControls, truncate } from '../../../domain/text.js';
import { InvalidInput } from '../../../errors.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { editedFollowUpId, type FollowUpForm, followUpIncidentId, readFollowUpForm } from '../../inputs/follow-up-view.js';
import { rowIdFromSlack } from '../../inputs/slack-ids.js';
import { cleanViewText } from '../../inputs/user-text.js';
import { answerViewSubmission, errorText, responseUrlOf } from '../../reply.js';

export function register(app: App, deps: SlackEdgeDeps): void {
  /** The follow-up form, new or edited: one reading of the fields, inline errors on the form; `save` does the rest. */
  const onForm = (
    callbackId: string,
    save: (input: { userId: string; view: { id: string; private_metadata: string }; form: FollowUpForm }) => Promise<unknown>,
  ) =>
    app.view(callbackId, async ({ ack, body }) => {
      const userId = body.user.id;
      const where = {
        logger: deps.logger,
        context: { view: callbackId, userId },
        fallbackBlock: FOLLOW_UP_BLOCKS.title,
        plainText: deps.services.plainText,
      };
      try {
        const text = cleanViewText(body.view.state.values);
        if (Object.keys(text.refused).length) throw new InvalidInput(text.refused);
        const read = readFollowUpForm(text.values);
        if (!read.ok) throw new InvalidInput(read.errors);
        await save({ userId, view: body.view, form: read.form });
        await ack();
      } catch (err) {
        await answerViewSubmission(ack, err, where);
      }
    });

  // The channel hears of it and the owner gets a DM: no second confirmation.
  onForm(FOLLOW_UP_CALLBACK_ID, ({ userId, view, form }) =>
    deps.services.followUps.submit({
      userId,
      incidentId: rowIdFromSlack(followUpIncidentId(view.private_metadata)),
      ...form,
      submissionKey: `view:${view.id}`,
    }),
  );
  // The channel hears of the change and a new owner gets a DM: no second confirmation.
  onForm(FOLLOW_UP_EDIT_CALLBACK_ID, ({ userId, view, form }) =>
    deps.services.followUps.saveEdit({ userId, followUpId: rowIdFromSlack(editedFollowUpId(view.private_metadata)), ...form }),
  );

  app.action<BlockButtonAction>(FOLLOW_UP_EDIT_ACTION, async ({ ack, body, action }) => {
    await ack();
    const userId = body.user.id;
    try {
      const view = await deps.services.followUps.editForm({ userId, followUpId: rowIdFromSlack(action.value) });
      await deps.services.openModal(body.trigger_id, view);
    } catch (err) {
      await deps.services.tellUser(
        body.channel?.id,
        userId,
        errorText(err, deps.logger, { action: FOLLOW_UP_EDIT_ACTION, userId }),
        responseUrlOf(body),
      );
    }
  });

  app.action<BlockButtonAction>(CARD_FOLLOW_UP_ACTION, async ({ ack, body, action }) => {
    await ack();
    const userId = body.user.id;
    try {
      const view = await deps.services.followUps.form({ userId, where: { incidentId: rowIdFromSlack(action.value) } });
      await deps.services.openModal(body.trigger_id, view);
    } catch (err) {
      await deps.services.tellUser(
        body.channel?.id,
        userId,
        errorText(err, deps.logger, { action: CARD_FOLLOW_UP_ACTION, userId }),
        responseUrlOf(body),
      );
    }
  });

  app.action<BlockButtonAction>(FOLLOW_UP_DONE_ACTION, async ({ ack, body, action }) => {
    await ack();
    const userId = body.user.id;
    const text = await deps.services.followUps
      .markDone({ userId, followUpId: rowIdFromSlack(action.value) })
      .catch((err: unknown) => errorText(err, deps.logger, { action: FOLLOW_UP_DONE_ACTION, userId }));
    await deps.services.tellUser(body.channel?.id, userId, text, responseUrlOf(body));
  });

  // A message in an incident channel ("we should add a rate limit") becomes a follow-up's title.
  app.shortcut<MessageShortcut>(FOLLOW_UP_SHORTCUT, async ({ ack, shortcut }) => {
    await ack();
    const userId = shortcut.user.id;
    const text = stripBidiControls(decodeSlackEntities(shortcut.message.text ?? ''));
    const title = truncate(text.split('\n').find((l) => l.trim()) ?? '', 250);
    try {
      const view = await deps.services.followUps.form({ userId, where: { channelId: shortcut.channel.id }, title });
      await deps.services.openModal(shortcut.trigger_id, view);
    } catch (err) {
      await deps.services.tellUser(
        shortcut.channel.id,
        userId,
        errorText(err, deps.logger, { shortcut: FOLLOW_UP_SHORTCUT }),
        shortcut.response_url,
      );
    }
  });
}
