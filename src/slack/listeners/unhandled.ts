import { type AnyMiddlewareArgs, type App, ErrorCode } from '@slack/bolt';
import { z } from 'zod';
import type { SlackEdgeDeps } from '../edge-deps.js';

/** Said for a button, form or command no listener knows (an old message's button, a retired form). */
export const NOT_IN_USE = 'That is no longer in use, so nothing was done. Please use `/incident help` to see what I can do.';

/** The requests a person is waiting on; events are acked by Bolt itself. */
const interactive = z.object({
  type: z.enum(['block_actions', 'view_submission', 'view_closed', 'shortcut', 'message_action']).optional(),
  command: z.string().optional(),
  user: z.object({ id: z.string() }).optional(),
  user_id: z.string().optional(),
  channel: z.object({ id: z.string() }).nullish(),
  channel_id: z.string().optional(),
  actions: z.array(z.object({ action_id: z.string() })).optional(),
  view: z.object({ callback_id: z.string() }).optional(),
  callback_id: z.string().optional(),
});

/**
 * Global middleware for the HTTP receiver: after every listener has run, a request nobody acked
 * (an unknown action or callback id, an unknown command) is acked at once with a calm answer and
 * logged at info, instead of Slack waiting 3 s for a 404 and Bolt logging an error.
 */
export function registerUnhandledFallback(app: App, deps: SlackEdgeDeps): void {
  app.use(async (args) => {
    const parsed = interactive.safeParse(args.body);
    const ack = ackOf(args);
    if (!parsed.success || (!parsed.data.type && !parsed.data.command) || !ack) return args.next();
    // A listener that threw is Bolt's error handler's to answer, not this.
    await args.next();
    await answerUnhandled(deps, parsed.data, ack);
  });
}

type Ack = (response?: unknown) => Promise<void>;

function ackOf(args: AnyMiddlewareArgs): Ack | null {
  return 'ack' in args && typeof args.ack === 'function' ? (args.ack as Ack) : null;
}

/**
 * Acks, and tells the person, only when no listener did: Bolt's HTTP ack refuses a second call
 * with ReceiverMultipleAckError, checked before it answers, so trying is how we ask.
 */
async function answerUnhandled(deps: SlackEdgeDeps, body: z.infer<typeof interactive>, ack: Ack): Promise<void> {
  try {
    await ack(body.command ? { response_type: 'ephemeral', text: NOT_IN_USE } : undefined);
  } catch (err) {
    if ((err as { code?: unknown }).code === ErrorCode.ReceiverMultipleAckError) return;
    throw err;
  }
  const id = body.command ?? body.actions?.[0]?.action_id ?? body.view?.callback_id ?? body.callback_id ?? 'unknown';
  deps.logger.info({ type: body.type ?? 'command', id }, 'no listener for this request; answered as no longer in use');
  const userId = body.user?.id ?? body.user_id;
  if (body.command || body.type === 'view_closed' || !userId) return;
  await deps.services
    .tellUser(body.channel?.id ?? body.channel_id, userId, NOT_IN_USE)
    .catch((err: unknown) => deps.logger.warn({ err }, 'could not say a request is no longer in use'));
}
