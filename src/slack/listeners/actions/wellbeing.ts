import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { HAND_OVER_ACTION, type HandOverOffer, STAY_ACTION } from '../../../blocks/wellbeing.js';
import { isSlackUserId } from '../../../domain/slack-user.js';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { errorText, responseUrlOf } from '../../reply.js';

const userId = z.string().refine(isSlackUserId);
const offerSchema = z
  .object({ k: z.string().min(1).max(200), i: z.uuid(), f: userId, t: userId })
  .transform((v): HandOverOffer => ({ key: v.k, incidentId: v.i, forUser: v.f, toUser: v.t }));

function offerOf(value: string | undefined): HandOverOffer | null {
  try {
    const parsed = offerSchema.safeParse(JSON.parse(value ?? ''));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The wellbeing DM's buttons: ack, hand over (or stay on), the DM updated; errors told to the clicker. */
export function registerWellbeingActions(app: App, deps: SlackEdgeDeps): void {
  const handle = (actionId: string, run: typeof deps.services.wellbeing.handOver) =>
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action }) => {
      await ack();
      const clicker = body.user.id;
      const offer = offerOf(action.value);
      if (!offer) {
        deps.logger.warn({ userId: clicker, action: actionId }, 'malformed wellbeing offer');
        return;
      }
      const channel = body.channel?.id;
      // The DM updated is the offer's own, found by its delivery tag, never the payload's channel and ts.
      await run({ userId: clicker, offer }).catch(async (err: unknown) =>
        deps.services.tellUser(channel, clicker, errorText(err, deps.logger, { action: actionId, userId: clicker }), responseUrlOf(body)),
      );
    });
  handle(HAND_OVER_ACTION, (answer) => deps.services.wellbeing.handOver(answer));
  handle(STAY_ACTION, (answer) => deps.services.wellbeing.stayOn(answer));
}
