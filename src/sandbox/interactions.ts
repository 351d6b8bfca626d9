import { chosenAction, type ElementInput, firstInputBlock, stateValues } from './chosen-values.js';
import { actorOf, notify } from './person-actions.js';
import type { SandboxSession } from './session.js';
import { blockActionsPayload, type SubmittedView, viewClosedPayload, viewSubmissionPayload } from './slack/requests.js';

/** Where a person used an element: a message (or ephemeral) by channel and ts, or a modal. */
export interface ActionPlace {
  channelId?: string;
  messageTs?: string;
  viewId?: string;
}

/** A button, select, overflow, checkbox or date in a message or a modal. */
export async function blockAction(s: SandboxSession, user: string, input: ActionPlace & ElementInput): Promise<void> {
  const view = input.viewId ? s.state.views.get(input.viewId) : undefined;
  const channel = input.channelId ? s.state.channels.get(input.channelId) : undefined;
  const message = channel?.messages.find((m) => m.ts === input.messageTs);
  const ephemeral = channel && !message ? s.state.ephemerals.find((e) => e.messageTs === input.messageTs && e.user === user) : undefined;
  if (!view && !message && !ephemeral) return;
  const blocks = view?.view['blocks'] ?? message?.blocks ?? ephemeral?.blocks;
  const answer = await s.bot.payload(
    blockActionsPayload({
      user: actorOf(s, user),
      action: chosenAction(input, blocks, `${Date.now() / 1000}`),
      triggerId: s.trigger(user),
      ...(channel ? { channel: { id: channel.id, name: channel.name }, responseUrl: s.responseUrl(user, channel.id) } : {}),
      ...(message ? { message } : { messageTs: input.messageTs, isEphemeral: ephemeral !== undefined }),
      ...(view ? { view: echoOf(s, view.id, {}) } : {}),
    }),
  );
  if (answer.status !== 200 && channel) notify(s, user, channel.id, 'That did not work: the app did not answer in time.');
}

/** Submits the top modal; the bot's ack decides: close, inline errors, update, push or clear. */
export async function submitView(s: SandboxSession, user: string, viewId: string, raw: Record<string, string | string[]>): Promise<void> {
  const stored = s.state.views.get(viewId);
  const stack = s.modals.get(user) ?? [];
  if (!stored || !stack.includes(viewId)) return;
  const { values, missing } = stateValues(stored.view, raw, s.person(user)?.tz ?? 'UTC');
  if (Object.keys(missing).length > 0) {
    // Slack itself refuses an empty required field, before the app hears anything.
    s.viewErrors.set(viewId, missing);
    s.changed();
    return;
  }
  const answer = await s.bot.payload(
    viewSubmissionPayload({ user: actorOf(s, user), triggerId: s.trigger(user), view: echoOf(s, viewId, values) }),
  );
  if (answer.status !== 200) {
    s.viewErrors.set(viewId, { [firstInputBlock(stored.view) ?? '']: 'We had some trouble connecting. Try again?' });
    s.changed();
    return;
  }
  const ack = answer.json ?? {};
  const action = ack['response_action'];
  if (action === 'errors' && typeof ack['errors'] === 'object' && ack['errors'] !== null) {
    s.viewErrors.set(viewId, ack['errors'] as Record<string, string>);
  } else if (action === 'update' && typeof ack['view'] === 'object' && ack['view'] !== null) {
    stored.view = ack['view'] as Record<string, unknown>;
    stored.hash = s.state.nextHash();
    s.viewErrors.delete(viewId);
  } else if (action === 'push' && typeof ack['view'] === 'object' && ack['view'] !== null) {
    const pushed = { id: s.state.nextId('V'), hash: s.state.nextHash(), type: 'modal', view: ack['view'] as Record<string, unknown> };
    s.state.views.set(pushed.id, pushed);
    stack.push(pushed.id);
  } else if (action === 'clear') {
    stack.length = 0;
  } else {
    stack.splice(stack.indexOf(viewId));
    s.viewErrors.delete(viewId);
  }
  s.changed();
}

/** Closes the top modal (Cancel), telling the bot when the view asked for it. */
export async function closeView(s: SandboxSession, user: string, viewId: string): Promise<void> {
  const stack = s.modals.get(user) ?? [];
  const at = stack.indexOf(viewId);
  if (at === -1) return;
  stack.splice(at);
  s.viewErrors.delete(viewId);
  s.changed();
  const stored = s.state.views.get(viewId);
  if (stored?.view['notify_on_close'] === true) {
    await s.bot.payload(viewClosedPayload({ user: actorOf(s, user), view: echoOf(s, viewId, {}) }));
  }
}

/** A stored view as Slack echoes it in a payload, with its place in the person's modal stack. */
function echoOf(s: SandboxSession, viewId: string, values: Record<string, Record<string, unknown>>): SubmittedView {
  const stored = s.state.views.get(viewId);
  const view = stored?.view ?? {};
  const stack = [...s.modals.values()].find((st) => st.includes(viewId)) ?? [viewId];
  const at = stack.indexOf(viewId);
  return {
    published: view,
    id: viewId,
    type: stored?.type === 'home' ? 'home' : 'modal',
    callback_id: typeof view['callback_id'] === 'string' ? view['callback_id'] : '',
    private_metadata: typeof view['private_metadata'] === 'string' ? view['private_metadata'] : '',
    state: { values },
    hash: stored?.hash ?? '',
    previous_view_id: at > 0 ? (stack[at - 1] ?? null) : null,
    root_view_id: stack[0] ?? viewId,
    external_id: stored?.externalId ?? '',
  };
}
