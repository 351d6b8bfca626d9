import type { App } from '@slack/bolt';
import { INCIDENT_MODAL_CALLBACKS } from '../../../blocks/incident-modals.js';
import { isUserError } from '../../../errors.js';
import type { IncidentModal } from '../../../services/incident/index.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { parseIncidentModal, parseIncidentModalMetadata } from '../../inputs/incident-modals.js';
import { errorText } from '../../reply.js';

/** Where a refusal or failure shows when it belongs to no one field. */
const FIRST_BLOCK: Readonly<Record<IncidentModal, string>> = { severity: 'severity', update: 'known', role: 'role', resolve: 'resolution' };

export function registerIncidentModalViews(app: App, deps: SlackEdgeDeps): void {
  for (const [modal, callbackId] of Object.entries(INCIDENT_MODAL_CALLBACKS) as Array<[IncidentModal, string]>) {
    app.view(callbackId, async ({ ack, body }) => {
      const fields = parseIncidentModal(modal, body.view.state.values);
      const incidentId = parseIncidentModalMetadata(body.view.private_metadata);
      if (!fields || !incidentId) {
        await ack({ response_action: 'errors', errors: { [FIRST_BLOCK[modal]]: 'This form arrived incomplete. Please close it and try again.' } });
        return;
      }
      try {
        const errors = await deps.services.incidents.submitModal({ userId: body.user.id, incidentId, fields });
        await ack(errors ? { response_action: 'errors', errors } : undefined);
      } catch (err) {
        const text = errorText(err, deps.logger, { view: callbackId, userId: body.user.id });
        await ack({ response_action: 'errors', errors: { [FIRST_BLOCK[modal]]: isUserError(err) ? err.message : text } });
      }
    });
  }
}
