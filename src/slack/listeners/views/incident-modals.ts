import type { App } from '@slack/bolt';
import { INCIDENT_MODAL_CALLBACKS } from '../../../blocks/incident-modals.js';
import { InvalidInput } from '../../../errors.js';
import type { IncidentModal } from '../../../services/incident/index.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { incidentModalLengthErrors, parseIncidentModal, parseIncidentModalMetadata } from '../../inputs/incident-modals.js';
import { cleanViewText } from '../../inputs/user-text.js';
import { answerViewSubmission, INCOMPLETE_FORM } from '../../reply.js';

/** Where a refusal or failure shows when it belongs to no one field. */
const FIRST_BLOCK: Readonly<Record<IncidentModal, string>> = { severity: 'severity', update: 'known', role: 'role', resolve: 'resolution' };

export function registerIncidentModalViews(app: App, deps: SlackEdgeDeps): void {
  for (const [modal, callbackId] of Object.entries(INCIDENT_MODAL_CALLBACKS) as Array<[IncidentModal, string]>) {
    app.view(callbackId, async ({ ack, body }) => {
      const text = cleanViewText(body.view.state.values);
      const fields = parseIncidentModal(modal, text.values);
      const incidentId = parseIncidentModalMetadata(body.view.private_metadata);
      const where = {
        logger: deps.logger,
        context: { view: callbackId, userId: body.user.id },
        fallbackBlock: FIRST_BLOCK[modal],
        plainText: deps.services.plainText,
      };
      const tooLong = incidentModalLengthErrors(modal, text.values);
      if (Object.keys(tooLong).length) {
        await answerViewSubmission(ack, new InvalidInput(tooLong), where);
        return;
      }
      if (!fields || !incidentId) {
        await answerViewSubmission(ack, new InvalidInput({ [FIRST_BLOCK[modal]]: INCOMPLETE_FORM }), where);
        return;
      }
      if (Object.keys(text.refused).length) {
        await answerViewSubmission(ack, new InvalidInput(text.refused), where);
        return;
      }
      try {
        await deps.services.incidents.submitModal({ userId: body.user.id, incidentId, fields, submissionKey: `view:${body.view.id}` });
        await ack();
      } catch (err) {
        await answerViewSubmission(ack, err, where);
      }
    });
  }
}
