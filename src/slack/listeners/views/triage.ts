import type { App } from '@slack/bolt';
import { TRIAGE_DISMISS_CALLBACK_ID, TRIAGE_MERGE_CALLBACK_ID } from '../../../blocks/triage-modals.js';
import { InvalidInput } from '../../../errors.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { dismissViewState, mergeViewState, reportIdFromMetadata, triageSubmission } from '../../inputs/intake-report.js';
import { rowIdFromSlack } from '../../inputs/slack-ids.js';
import { cleanViewText } from '../../inputs/user-text.js';
import { answerViewSubmission, INCOMPLETE_FORM } from '../../reply.js';

const mergeSubmission = triageSubmission(mergeViewState);
const dismissSubmission = triageSubmission(dismissViewState);

/** Merge and Dismiss forms: the decision, or the form stays open with what went wrong (already decided included). */
export function registerTriageViews(app: App, deps: SlackEdgeDeps): void {
  app.view(TRIAGE_MERGE_CALLBACK_ID, async ({ ack, body }) => {
    const where = {
      logger: deps.logger,
      context: { view: TRIAGE_MERGE_CALLBACK_ID, userId: body.user.id },
      fallbackBlock: 'incident',
      plainText: deps.services.plainText,
    };
    const parsed = mergeSubmission.safeParse(body);
    const reportId = parsed.success ? reportIdFromMetadata(parsed.data.view.private_metadata) : undefined;
    const chosen = parsed.success ? parsed.data.view.state.values.incident?.value.selected_option?.value : undefined;
    if (!reportId || !chosen) return answerViewSubmission(ack, new InvalidInput({ incident: INCOMPLETE_FORM }), where);
    try {
      await deps.services.intake.merge({ userId: body.user.id, reportId, incidentId: rowIdFromSlack(chosen) });
      await ack();
    } catch (err) {
      await answerViewSubmission(ack, err, where);
    }
  });

  app.view(TRIAGE_DISMISS_CALLBACK_ID, async ({ ack, body }) => {
    const where = {
      logger: deps.logger,
      context: { view: TRIAGE_DISMISS_CALLBACK_ID, userId: body.user.id },
      fallbackBlock: 'reason',
      plainText: deps.services.plainText,
    };
    // The reason is typed text: bidi controls stripped, a control character refused inline, like every form.
    const text = cleanViewText(body.view.state.values);
    const parsed = dismissSubmission.safeParse({ ...body, view: { ...body.view, state: { ...body.view.state, values: text.values } } });
    const reportId = parsed.success ? reportIdFromMetadata(parsed.data.view.private_metadata) : undefined;
    if (!parsed.success || !reportId) return answerViewSubmission(ack, new InvalidInput({ reason: INCOMPLETE_FORM }), where);
    if (Object.keys(text.refused).length) return answerViewSubmission(ack, new InvalidInput(text.refused), where);
    try {
      const reason = parsed.data.view.state.values.reason?.value.value ?? '';
      await deps.services.intake.dismiss({ userId: body.user.id, reportId, reason });
      await ack();
    } catch (err) {
      await answerViewSubmission(ack, err, where);
    }
  });
}
