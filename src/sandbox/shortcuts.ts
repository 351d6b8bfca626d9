/** The message menu's app shortcuts, as manifests/slack-app.yaml declares them (a test keeps the two in step). */
import type { SandboxSession } from './session.js';
import { actorOf } from './person-actions.js';
import { APP_ID, TEAM_DOMAIN } from './slack/requests.js';
import { TEAM_ID } from './slack/state.js';

export interface MessageShortcut {
  readonly callbackId: string;
  readonly name: string;
}

/** `features.shortcuts` of type `message` in the manifest (the sandbox image carries no manifests/). */
export const MESSAGE_SHORTCUTS: readonly MessageShortcut[] = [
  { callbackId: 'declare_from_message', name: 'Declare incident' },
  { callbackId: 'add_follow_up', name: 'Add follow-up' },
  { callbackId: 'redact_from_message', name: 'Redact in Meridian' },
];

/**
 * A person picks a message shortcut from a message's menu: Slack sends the app a
 * `message_action` with the message, a trigger id (for the modal) and a response URL.
 */
export async function messageShortcut(s: SandboxSession, user: string, channelId: string, ts: string, callbackId: string): Promise<void> {
  const channel = s.state.channels.get(channelId);
  const message = channel?.messages.find((m) => m.ts === ts);
  if (!channel || !message || !s.canSee(user, channelId) || !MESSAGE_SHORTCUTS.some((x) => x.callbackId === callbackId)) return;
  const actor = actorOf(s, user);
  const name = actor.name ?? user.toLowerCase();
  await s.bot.payload({
    type: 'message_action',
    team: { id: TEAM_ID, domain: TEAM_DOMAIN },
    user: { id: user, username: name, name, team_id: TEAM_ID },
    api_app_id: APP_ID,
    token: 'legacy-verification-token',
    callback_id: callbackId,
    trigger_id: s.trigger(user),
    action_ts: `${Date.now() / 1000}`,
    message_ts: message.ts,
    channel: { id: channel.id, name: channel.isIm ? 'directmessage' : channel.name },
    message: { type: 'message', ts: message.ts, text: message.text, user: message.user },
    response_url: s.responseUrl(user, channel.id),
    is_enterprise_install: false,
    enterprise: null,
  });
}
