import type { App } from '@slack/bolt';
import { DECLARE_CALLBACK_ID } from '../../../blocks/declare-modal.js';
import { InvalidInput } from '../../../errors.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { declareFieldsFromState, declareViewSubmission, parseDeclareMetadata } from '../../inputs/declare-view.js';
import { cleanViewText } from '../../inputs/user-text.js';
import { answerViewSubmission, INCOMPLETE_FORM } from '../../reply.js';

export function registerDeclareView(app: App, deps: SlackEdgeDeps): void {
  app.view(DECLARE_CALLBACK_ID, async ({ ack, body }) => {
    const text = cleanViewText(body.view.state.values);
    const parsed = declareViewSubmission.safeParse({ ...body, view: { ...body.view, state: { values: text.values } } });
    const where = {
      logger: deps.logger,
      context: { view: DECLARE_CALLBACK_ID, userId: body.user.id },
      fallbackBlock: 'title',
      plainText: deps.services.plainText,
    };
    if (!parsed.success) {
      deps.logger.warn({ issues: parsed.error.issues.slice(0, 3) }, 'malformed declare submission');
      await answerViewSubmission(ack, new InvalidInput({ title: INCOMPLETE_FORM }), where);
      return;
    }
    if (Object.keys(text.refused).length) {
      await answerViewSubmission(ack, new InvalidInput(text.refused), where);
      return;
    }
    const { view, user, team } = parsed.data;
    const metadata = parseDeclareMetadata(view.private_metadata);
    const { reportId, sourceMessage } = metadata;
    try {
      if (reportId) await deps.services.intake.requirePending({ userId: user.id, reportId });
      const { incident } = await deps.services.declareIncident({
        teamId: team?.id ?? user.team_id ?? 'unknown',
        userId: user.id,
        idempotencyKey: `view:${view.id}`,
        originChannelId: metadata.originChannelId,
        fields: declareFieldsFromState(view.state.values),
        ...(reportId ? { claim: deps.services.intake.claimForDeclaration({ userId: user.id, reportId }) } : {}),
      });
      if (sourceMessage) await deps.services.intake.linkSourceMessage({ incidentId: incident.id, ...sourceMessage });
      await ack();
    } catch (err) {
      await answerViewSubmission(ack, err, where);
    }
  });
}
