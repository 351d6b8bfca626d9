import type { App, BlockCheckboxesAction } from '@slack/bolt';
import { z } from 'zod';
import { parseRunbookBlockId, RUNBOOK_TICK_ACTION } from '../../../blocks/runbook.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { errorText, responseUrlOf } from '../../reply.js';

const tickSchema = z.object({
  block_id: z.string(),
  selected_options: z.array(z.object({ value: z.string().regex(/^\d+$/) })).max(10),
});

/** A tick or untick on the runbook checklist: ack, record who and when, refresh the card. */
export function registerRunbookActions(app: App, deps: SlackEdgeDeps): void {
  app.action<BlockCheckboxesAction>(RUNBOOK_TICK_ACTION, async ({ ack, body, action }) => {
    await ack();
    const userId = body.user.id;
    const parsed = tickSchema.safeParse(action);
    const where = parsed.success ? parseRunbookBlockId(parsed.data.block_id) : null;
    if (!parsed.success || !where) {
      deps.logger.warn({ userId, action: RUNBOOK_TICK_ACTION }, 'malformed runbook tick');
      return;
    }
    const selected = parsed.data.selected_options.map((o) => Number(o.value));
    await deps.services.runbook
      .tick({ userId, incidentId: where.incidentId, start: where.start, selected })
      .catch(async (err: unknown) =>
        deps.services.tellUser(
          body.channel?.id,
          userId,
          errorText(err, deps.logger, { action: RUNBOOK_TICK_ACTION, userId }),
          responseUrlOf(body),
        ),
      );
  });
}
