import type { BotAnswer } from './bot-link.js';
import type { SandboxSession } from './session.js';
import { slashCommandFields, type SlackActor } from './slack/requests.js';
import { BOT_USER_ID } from './slack/state.js';
import type { FakeChannel } from './slack/types.js';
import { markRead } from './people-view.js';
import { slackCommandText, slackMessageText } from './slack/command-text.js';

/** A person as the requests to the bot name them. */
export function actorOf(s: Pick<SandboxSession, 'person'>, user: string): SlackActor {
  return { id: user, name: s.person(user)?.name ?? user };
}

/** The composer: a slash command goes to the bot, anything else is a message in the channel. */
export async function compose(s: SandboxSession, user: string, channelId: string, text: string): Promise<void> {
  const channel = s.state.channels.get(channelId);
  if (!channel || !s.canSee(user, channelId)) return;
  const command = /^(\/[a-z0-9_-]+)(?:\s+([\s\S]*))?$/i.exec(text.trim());
  if (command?.[1]) return slashCommand(s, user, channel, command[1].toLowerCase(), command[2] ?? '');
  // Slack stores what a person types escaped, with the people and channels they picked as tokens.
  s.state.postUserMessage(channel, user, { text: slackMessageText(s.state, text) });
  markRead(s, user, channel);
  s.changed();
}

async function slashCommand(s: SandboxSession, user: string, channel: FakeChannel, command: string, text: string): Promise<void> {
  if (!['/incident', '/oncall'].includes(command)) {
    return notify(s, user, channel.id, `${command} is not a valid command. Meridian answers /incident and /oncall.`);
  }
  const answer = await s.bot.form(
    slashCommandFields({
      command,
      // As Slack sends it for the command's `should_escape` (manifests/slack-app.yaml).
      text: slackCommandText(s.state, command, text),
      user: actorOf(s, user),
      channelId: channel.id,
      channelName: channel.isIm ? 'directmessage' : channel.name,
      responseUrl: s.responseUrl(user, channel.id),
      triggerId: s.trigger(user),
    }),
  );
  showAck(s, user, channel.id, command, answer);
}

/** A command's or an action's synchronous answer, shown to that person only, as Slack does. */
function showAck(s: SandboxSession, user: string, channelId: string, what: string, answer: BotAnswer): void {
  if (answer.status !== 200) {
    notify(s, user, channelId, `${what} failed with the error "${answer.status === 0 ? 'operation_timeout' : 'dispatch_failed'}".`);
    return;
  }
  if (answer.json) respond(s, user, channelId, answer.json);
}

/** A message sent to a response_url (or in an ack): ephemeral unless `in_channel`. */
export function respond(s: SandboxSession, user: string, channelId: string, body: Record<string, unknown>): void {
  const channel = s.state.channels.get(channelId);
  const text = typeof body['text'] === 'string' ? body['text'] : '';
  const blocks = Array.isArray(body['blocks']) ? body['blocks'] : undefined;
  if (!channel || (text === '' && !blocks)) return;
  if (body['response_type'] === 'in_channel') s.state.postMessage(channel, { text, blocks });
  else s.state.ephemerals.push({ messageTs: s.state.nextTs(), channel: channelId, user, text, blocks });
  s.changed();
}

/** A note Slack itself shows one person (a failed command, nothing due); the last 100 are kept. */
export function notify(s: Pick<SandboxSession, 'notices' | 'state' | 'changed'>, user: string, channel: string, text: string): void {
  s.notices.push({ user, channel, ts: s.state.nextTs(), text });
  if (s.notices.length > 100) s.notices.shift();
  s.changed();
}

/** A reaction by a person; the bot hears `reaction_added` where it is a member. */
export async function react(s: SandboxSession, user: string, channelId: string, ts: string, name: string): Promise<void> {
  const channel = s.state.channels.get(channelId);
  const message = channel?.messages.find((m) => m.ts === ts);
  if (!channel || !message || !s.canSee(user, channelId)) return;
  if (!s.state.addReaction(message, user, name)) return;
  s.changed();
  if (channel.members.has(BOT_USER_ID)) {
    await s.sendEvent({
      type: 'reaction_added',
      user,
      reaction: name,
      item: { type: 'message', channel: channelId, ts },
      item_user: message.user,
      event_ts: s.state.nextTs(),
    });
  }
}

/** A pin by a person; the bot hears `pin_added`. */
export async function pin(s: SandboxSession, user: string, channelId: string, ts: string): Promise<void> {
  const channel = s.state.channels.get(channelId);
  const message = channel?.messages.find((m) => m.ts === ts);
  if (!channel || !message || channel.pins.has(ts) || !s.canSee(user, channelId)) return;
  channel.pins.add(ts);
  s.changed();
  if (channel.members.has(BOT_USER_ID)) {
    await s.sendEvent({
      type: 'pin_added',
      user,
      channel_id: channelId,
      item: {
        type: 'message',
        channel: channelId,
        created: Math.floor(Date.now() / 1000),
        created_by: user,
        message: {
          type: 'message',
          ts: message.ts,
          user: message.user,
          text: message.text,
          ...(message.blocks ? { blocks: message.blocks } : {}),
        },
      },
      event_ts: s.state.nextTs(),
    });
  }
}

/** Opening the app's Home tab: Slack tells the bot, which publishes the view. */
export async function openHome(s: SandboxSession, user: string): Promise<void> {
  await s.sendEvent({
    type: 'app_home_opened',
    user,
    channel: s.state.dmWith([user]).id,
    tab: 'home',
    event_ts: s.state.nextTs(),
  });
}
