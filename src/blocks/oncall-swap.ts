/** The DM to someone a schedule member swapped themselves in for: what changed, and an Undo button. */
import { escapeMrkdwn } from '../slack-api/mrkdwn.js';
import { messageOf, person, when, type OncallMessage } from './oncall-format.js';

/** The Undo button's action id; its value is the override's id. */
export const OVERRIDE_UNDO_ACTION = 'oncall_override_undo';

/** To the person replaced: who took their shift, when, and a button to undo it. */
export function swappedOutMessage(input: {
  scheduleName: string;
  layerName: string;
  coverUser: string;
  from: Date;
  to: Date;
  overrideId: string;
}): OncallMessage {
  const text =
    `:arrows_counterclockwise: ${person(input.coverUser)} swapped themselves in for you on *${escapeMrkdwn(input.scheduleName)}* ` +
    `(${escapeMrkdwn(input.layerName)}) from ${when(input.from)} to ${when(input.to)}. If you did not agree to this, undo it.`;
  const message = messageOf([text]);
  return {
    text: message.text,
    blocks: [
      ...message.blocks,
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: OVERRIDE_UNDO_ACTION, text: { type: 'plain_text', text: 'Undo' }, value: input.overrideId },
        ],
      },
    ],
  };
}

/** The undoer's answer, and the notice to the person who had swapped in. */
export function swapUndoneMessage(input: { scheduleName: string; undoneBy: string; coverUser: string; forCover: boolean }): OncallMessage {
  const schedule = `*${escapeMrkdwn(input.scheduleName)}*`;
  return messageOf([
    input.forCover
      ? `:leftwards_arrow_with_hook: ${person(input.undoneBy)} undid your swap on ${schedule}; the rotation is back as it was.`
      : `:leftwards_arrow_with_hook: Undone: ${person(input.coverUser)}'s swap on ${schedule} is removed; the rotation is back as it was.`,
  ]);
}

/** Replaces the swap DM once undone: whose swap, when, who undid it; no Undo button. */
export function swapUndoneDm(input: { scheduleName: string; coverUser: string; undoneBy: string; from: Date; to: Date }): OncallMessage {
  return messageOf([
    `:leftwards_arrow_with_hook: ${person(input.coverUser)}'s swap on *${escapeMrkdwn(input.scheduleName)}* from ${when(input.from)} ` +
      `to ${when(input.to)} was undone by ${person(input.undoneBy)}; the rotation is back as it was.`,
  ]);
}

/** To someone whose on-call shift an override gives to another (set by a manager or an admin): who, when, and by whom. */
export function overriddenShiftMessage(input: {
  scheduleName: string;
  coverUser: string;
  savedBy: string;
  from: Date;
  to: Date;
}): OncallMessage {
  const by = input.savedBy === input.coverUser ? '' : ` (set by ${person(input.savedBy)})`;
  return messageOf([
    `:arrows_counterclockwise: ${person(input.coverUser)} covers your on-call on *${escapeMrkdwn(input.scheduleName)}* from ${when(input.from)} to ${when(input.to)}${by}. You are not paged for it in that time.`,
  ]);
}
