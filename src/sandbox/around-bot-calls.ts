import type { SandboxSession } from './session.js';
import { TEAM_ID } from './slack/state.js';
import type { RecordedCall } from './slack/types.js';

/**
 * What Slack does around the bot's Web API calls that the fake's methods do not: a modal the bot
 * opens appears for whoever clicked (the trigger id says who), an update clears the modal's
 * inline errors, and invited people "join" (the bot hears `member_joined_channel`).
 */
export function followBotCall(
  s: Pick<SandboxSession, 'modals' | 'viewErrors' | 'sendEvent'>,
  triggerUser: (triggerId: string) => string | undefined,
  call: RecordedCall,
): void {
  const response = call.response as { ok?: boolean; view?: { id?: string } } | null;
  const ok = typeof response === 'object' && response !== null && response.ok === true;
  if (!ok) return;
  if (call.method === 'views.open' || call.method === 'views.push') {
    const user = triggerUser(String(call.args['trigger_id']));
    const viewId = response.view?.id;
    if (user && viewId) {
      const stack = s.modals.get(user) ?? [];
      if (call.method === 'views.open') stack.length = 0;
      stack.push(viewId);
      s.modals.set(user, stack);
    }
  }
  if (call.method === 'views.update') {
    const viewId = response.view?.id;
    if (viewId) s.viewErrors.delete(viewId);
  }
  if (call.method === 'conversations.invite') {
    const channel = String(call.args['channel']);
    const users = String(call.args['users'] ?? '')
      .split(',')
      .filter(Boolean);
    for (const user of users) void s.sendEvent({ type: 'member_joined_channel', user, channel, channel_type: 'C', team: TEAM_ID });
  }
}
