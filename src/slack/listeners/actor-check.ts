/**
 * Every Slack request's actor must be a Slack user id (`U…`, `W…`) before any listener acts on it:
 * a forged or malformed id would otherwise be stored as an audit row's actor, a role holder or a
 * decider, and break whatever renders it as a mention later. Refused quietly: acked, nothing done.
 */
import type { App } from '@slack/bolt';
import { isSlackUserId } from '../../domain/slack-user.js';
import type { Logger } from '../../log.js';

const REFUSED = 'Sorry, Meridian cannot tell who sent this request, so it did nothing.';

/** The acting user's id as the request states it, or undefined when the request names none. */
function actorOf(body: Record<string, unknown>): unknown {
  if ('user_id' in body) return body.user_id;
  const user = body.user;
  if (user && typeof user === 'object' && 'id' in user) return (user as { id: unknown }).id;
  return undefined;
}

export function registerActorCheck(app: App, deps: { logger: Logger }): void {
  app.use(async (args) => {
    const body: Record<string, unknown> = { ...args.body };
    const actor = actorOf(body);
    if (actor === undefined || isSlackUserId(actor)) {
      await args.next();
      return;
    }
    deps.logger.warn({ type: body.type }, 'Slack request whose user is not a Slack user id; refused');
    const ack = 'ack' in args && typeof args.ack === 'function' ? (args.ack as (response?: unknown) => Promise<void>) : null;
    await ack?.(typeof body.command === 'string' ? { response_type: 'ephemeral', text: REFUSED } : undefined);
  });
}
