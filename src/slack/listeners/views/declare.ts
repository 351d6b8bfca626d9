import type { App } from '@slack/bolt';
import { DECLARE_CALLBACK_ID } from '../../../blocks/declare-modal.js';
import { InvalidInput } from '../../../errors.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { declareFieldsFromState, declareViewSubmission, parseDeclareMetadata } from '../../inputs/declare-view.js';
import { errorText } from '../../reply.js';

export function registerDeclareView(app: App, deps: SlackEdgeDeps): void {
  app.view(DECLARE_CALLBACK_ID, async ({ ack, body }) => {
    const parsed = declareViewSubmission.safeParse(body);
    if (!parsed.success) {
      deps.logger.warn({ issues: parsed.error.issues.slice(0, 3) }, 'malformed declare submission');
      await ack({ response_action: 'errors', errors: { title: 'This form arrived incomplete. Please close it and try again.' } });
      return;
    }
    const { view, user, team } = parsed.data;
    const metadata = parseDeclareMetadata(view.private_metadata);
    try {
      await deps.services.declareIncident({
        teamId: team?.id ?? user.team_id ?? 'unknown',
        userId: user.id,
        idempotencyKey: `view:${view.id}`,
        originChannelId: metadata.originChannelId,
        fields: declareFieldsFromState(view.state.values),
      });
      await ack();
    } catch (err) {
      if (err instanceof InvalidInput) {
        await ack({ response_action: 'errors', errors: { ...err.fields } });
        return;
      }
      await ack({ response_action: 'errors', errors: { title: errorText(err, deps.logger, { view: DECLARE_CALLBACK_ID, userId: user.id }) } });
    }
  });
}
