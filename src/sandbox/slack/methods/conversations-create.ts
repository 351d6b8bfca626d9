import { channelJson, type MethodHandler, needString, optBool, SlackFail } from './args.js';

const MAX_NAME_LENGTH = 80;

/**
 * Slack's channel-name rules, checked in Slack's order: empty, too long, a character outside
 * lowercase letters / digits / `-` / `_` (upper case counts as special), only punctuation.
 * Returns the error code, or `undefined` for a valid name.
 */
export function channelNameError(name: string): string | undefined {
  if (name.length === 0) return 'invalid_name_required';
  if (name.length > MAX_NAME_LENGTH) return 'invalid_name_maxlength';
  if (!/^[a-z0-9_-]+$/.test(name)) return 'invalid_name_specials';
  if (/^[-_]+$/.test(name)) return 'invalid_name_punctuation';
  return undefined;
}

/** conversations.create: the bot creates and joins a channel. */
export const conversationsCreate: MethodHandler = ({ state, args, teamId }) => {
  const name = needString(args, 'name', 'invalid_name_required');
  const nameError = channelNameError(name);
  if (nameError !== undefined) throw new SlackFail(nameError);
  // Archived channels keep their names in Slack, so they count as taken too.
  if (state.channelByName(name) !== undefined) throw new SlackFail('name_taken');
  const channel = state.addChannel({ name, isPrivate: optBool(args, 'is_private'), ...(teamId === undefined ? {} : { teamId }) });
  return { ok: true, channel: channelJson(channel) };
};
