import { memberConversation, type MethodHandler, needString, SlackFail } from './args.js';

function pinTarget(ctx: Parameters<MethodHandler>[0]): { pins: Set<string>; ts: string } {
  const channel = memberConversation(ctx.state, needString(ctx.args, 'channel', 'channel_not_found'));
  // Slack calls the message's ts `timestamp` here, not `ts`.
  const ts = needString(ctx.args, 'timestamp', 'no_item_specified');
  if (!channel.messages.some((m) => m.ts === ts)) throw new SlackFail('message_not_found');
  return { pins: channel.pins, ts };
}

/** pins.add */
export const pinsAdd: MethodHandler = (ctx) => {
  const { pins, ts } = pinTarget(ctx);
  if (pins.has(ts)) throw new SlackFail('already_pinned');
  pins.add(ts);
  return { ok: true };
};

/** pins.remove */
export const pinsRemove: MethodHandler = (ctx) => {
  const { pins, ts } = pinTarget(ctx);
  if (!pins.delete(ts)) throw new SlackFail('no_pin');
  return { ok: true };
};
