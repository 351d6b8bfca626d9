import { BOT_ID, TEAM_ID, TRIGGER_TTL_MS, type FakeState } from '../state.js';
import type { FakeView } from '../types.js';
import { checkView, type MethodContext, type MethodHandler, needString, optString, SlackFail } from './args.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The parts of a view Slack insists on; anything malformed is `invalid_arguments`, and so is a
 * view over Block Kit's limits when those are on.
 */
function readView(ctx: MethodContext, expectedType: 'modal' | 'home'): Record<string, unknown> {
  const view = ctx.args['view'];
  if (!isRecord(view) || view['type'] !== expectedType) throw new SlackFail('invalid_arguments');
  if (!Array.isArray(view['blocks'])) throw new SlackFail('invalid_arguments');
  if (expectedType === 'modal' && !isRecord(view['title'])) throw new SlackFail('invalid_arguments');
  checkView(ctx, view);
  return view;
}

function viewJson(stored: FakeView): Record<string, unknown> {
  return {
    ...stored.view,
    id: stored.id,
    hash: stored.hash,
    team_id: TEAM_ID,
    bot_id: BOT_ID,
    app_id: 'A0MERIDIAN',
    state: { values: {} },
    root_view_id: stored.id,
    previous_view_id: null,
    external_id: stored.externalId ?? '',
    private_metadata: stored.view['private_metadata'] ?? '',
    callback_id: stored.view['callback_id'] ?? '',
  };
}

/** A trigger is valid once, for 3 s after the interaction that minted it. */
function exchangeTrigger(state: FakeState, triggerId: string): void {
  if (state.exchangedTriggers.has(triggerId)) throw new SlackFail('exchanged_trigger_id');
  const mintedAt = state.triggers.get(triggerId);
  if (mintedAt === undefined || Date.now() - mintedAt > TRIGGER_TTL_MS) throw new SlackFail('expired_trigger_id');
  state.triggers.delete(triggerId);
  state.exchangedTriggers.add(triggerId);
}

function externalIdOf(view: Record<string, unknown>): string | undefined {
  const externalId = view['external_id'];
  return typeof externalId === 'string' && externalId !== '' ? externalId : undefined;
}

/** views.open and views.push: a trigger exchanged once, a new modal stored. */
function openModal(ctx: MethodContext): ReturnType<MethodHandler> {
  const { state, args } = ctx;
  const triggerId = needString(args, 'trigger_id', 'invalid_arguments');
  const view = readView(ctx, 'modal');
  exchangeTrigger(state, triggerId);
  const externalId = externalIdOf(view);
  if (externalId !== undefined && [...state.views.values()].some((v) => v.externalId === externalId)) {
    throw new SlackFail('duplicate_external_id');
  }
  const stored: FakeView = {
    id: state.nextId('V'),
    hash: state.nextHash(),
    type: 'modal',
    view,
    triggerId,
    ...(externalId === undefined ? {} : { externalId }),
  };
  state.views.set(stored.id, stored);
  return { ok: true, view: viewJson(stored) };
}

/** views.open */
export const viewsOpen: MethodHandler = (ctx) => openModal(ctx);

/** views.push: a modal on top of the open one; the fake keeps it like an opened one. */
export const viewsPush: MethodHandler = (ctx) => openModal(ctx);

/** views.update: by view_id or external_id; a stale hash is `hash_conflict`. */
export const viewsUpdate: MethodHandler = (ctx) => {
  const { state, args } = ctx;
  const viewId = optString(args, 'view_id');
  const externalId = optString(args, 'external_id');
  if (viewId === undefined && externalId === undefined) throw new SlackFail('invalid_arguments');
  const stored = viewId !== undefined ? state.views.get(viewId) : [...state.views.values()].find((v) => v.externalId === externalId);
  if (stored === undefined) throw new SlackFail('not_found');
  const view = readView(ctx, stored.type === 'home' ? 'home' : 'modal');
  const hash = optString(args, 'hash');
  if (hash !== undefined && hash !== stored.hash) throw new SlackFail('hash_conflict');
  stored.view = view;
  stored.hash = state.nextHash();
  return { ok: true, view: viewJson(stored) };
};

/** views.publish: one App Home view per user, replaced on each publish. */
export const viewsPublish: MethodHandler = (ctx) => {
  const { state, args } = ctx;
  const userId = needString(args, 'user_id', 'invalid_arguments');
  if (!state.users.has(userId)) throw new SlackFail('user_not_found');
  const view = readView(ctx, 'home');
  const existing = [...state.views.values()].find((v) => v.type === 'home' && v.userId === userId);
  const hash = optString(args, 'hash');
  if (existing !== undefined && hash !== undefined && hash !== existing.hash) throw new SlackFail('hash_conflict');
  const stored: FakeView = existing ?? { id: state.nextId('V'), hash: '', type: 'home', view, userId };
  stored.view = view;
  stored.hash = state.nextHash();
  state.views.set(stored.id, stored);
  return { ok: true, view: viewJson(stored) };
};
