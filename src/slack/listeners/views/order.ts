import type { App } from '@slack/bolt';
import { NCMEC_CALLBACK_ID } from '../../../blocks/ncmec-modal.js';
import { ORDER_CALLBACK_ID } from '../../../blocks/order-modal.js';
import { readNcmecForm } from '../../inputs/ncmec-view.js';
import { readArt18Form } from '../../inputs/art18-view.js';
import { ART18_CALLBACK_ID } from '../../../blocks/art18-modal.js';
import { InvalidInput } from '../../../errors.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { orderModalIncidentId, orderModalOrderId, readOrderForm } from '../../inputs/order-view.js';
import { rowIdFromSlack } from '../../inputs/slack-ids.js';
import { cleanViewText } from '../../inputs/user-text.js';
import { answerOnce, answerViewSubmission, failAfterAnswer } from '../../reply.js';

/**
 * The "Record order" modal (and "Edit order", the same modal with the order's id): a checked
 * order on the incident, or inline errors naming each bad field. These three modals are answered
 * once their record is stored, before the Slack posts and uploads (Slack's 3 s for a modal).
 */
export function registerOrderView(app: App, deps: SlackEdgeDeps): void {
  app.view(ORDER_CALLBACK_ID, async ({ ack, body }) => {
    const userId = body.user.id;
    const where = {
      logger: deps.logger,
      context: { view: ORDER_CALLBACK_ID, userId },
      fallbackBlock: 'order_type',
      plainText: deps.services.plainText,
    };
    const reply = answerOnce(ack);
    try {
      const text = cleanViewText(body.view.state.values);
      if (Object.keys(text.refused).length) throw new InvalidInput(text.refused);
      const read = readOrderForm(text.values);
      if (!read.ok) throw new InvalidInput(read.errors);
      const incidentId = rowIdFromSlack(orderModalIncidentId(body.view.private_metadata));
      // The channel hears of it; no second, private confirmation.
      const orderId = orderModalOrderId(body.view.private_metadata);
      await deps.services.regulatory.recordOrder({
        userId,
        where: { incidentId },
        draft: read.draft,
        ...(orderId ? { orderId: rowIdFromSlack(orderId) } : {}),
        answer: reply.answer,
      });
      await reply.answer();
    } catch (err) {
      if (reply.answered) await failAfterAnswer(err, { ...where, tellUser: (t) => deps.services.tellUser(undefined, userId, t) });
      else await answerViewSubmission(ack, err, where);
    }
  });
}

/** The CyberTipline modal: the packet to the analyst's DM; with a report id, the submission on record. */
export function registerNcmecView(app: App, deps: SlackEdgeDeps): void {
  app.view(NCMEC_CALLBACK_ID, async ({ ack, body }) => {
    const userId = body.user.id;
    const where = {
      logger: deps.logger,
      context: { view: NCMEC_CALLBACK_ID, userId },
      fallbackBlock: 'incident_type',
      plainText: deps.services.plainText,
    };
    const reply = answerOnce(ack);
    try {
      const text = cleanViewText(body.view.state.values);
      if (Object.keys(text.refused).length) throw new InvalidInput(text.refused);
      const read = readNcmecForm(text.values);
      if (!read.ok) throw new InvalidInput(read.errors);
      const incidentId = rowIdFromSlack(orderModalIncidentId(body.view.private_metadata));
      await deps.services.regulatory.prepareNcmec({ userId, where: { incidentId }, draft: read.draft, answer: reply.answer });
      await reply.answer();
    } catch (err) {
      if (reply.answered) await failAfterAnswer(err, { ...where, tellUser: (t) => deps.services.tellUser(undefined, userId, t) });
      else await answerViewSubmission(ack, err, where);
    }
  });
}

/** The Art. 18 modal: the notice on record, and the "promptly" clock started or answered. */
export function registerArt18View(app: App, deps: SlackEdgeDeps): void {
  app.view(ART18_CALLBACK_ID, async ({ ack, body }) => {
    const userId = body.user.id;
    const where = {
      logger: deps.logger,
      context: { view: ART18_CALLBACK_ID, userId },
      fallbackBlock: 'suspected_offence',
      plainText: deps.services.plainText,
    };
    const reply = answerOnce(ack);
    try {
      const text = cleanViewText(body.view.state.values);
      if (Object.keys(text.refused).length) throw new InvalidInput(text.refused);
      const read = readArt18Form(text.values);
      if (!read.ok) throw new InvalidInput(read.errors);
      const incidentId = rowIdFromSlack(orderModalIncidentId(body.view.private_metadata));
      await deps.services.regulatory.recordArt18({ userId, where: { incidentId }, draft: read.draft, answer: reply.answer });
      await reply.answer();
    } catch (err) {
      if (reply.answered) await failAfterAnswer(err, { ...where, tellUser: (t) => deps.services.tellUser(undefined, userId, t) });
      else await answerViewSubmission(ack, err, where);
    }
  });
}
