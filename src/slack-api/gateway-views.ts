import type { View } from '@slack/types';
import { type GatewayContext, required } from './gateway-support.js';

/** A view as Slack identifies it after opening or updating it. */
export interface ViewRef {
  viewId: string;
  hash: string;
}

function viewRef(method: string, view: { id?: string; hash?: string } | undefined): ViewRef {
  return { viewId: required(view?.id, method, 'view.id'), hash: required(view?.hash, method, 'view.hash') };
}

/** Modals and App Home. */
export function viewMethods({ client, call }: GatewayContext) {
  return {
    /**
     * views.open. Call it first thing in a handler: the trigger id dies 3 s after the click
     * (ExpiredTrigger). Not worth retrying for long, but a quick retry after a blip can still fit.
     */
    async openView(triggerId: string, view: View): Promise<ViewRef> {
      const res = await call('views.open', () => client.views.open({ trigger_id: triggerId, view }));
      return viewRef('views.open', res.view);
    },

    /** views.update; pass `hash` to fail with code `hash_conflict` instead of overwriting a newer view. */
    async updateView(input: { viewId: string; hash?: string; view: View }): Promise<ViewRef> {
      const res = await call('views.update', () =>
        client.views.update({
          view_id: input.viewId,
          view: input.view,
          ...(input.hash === undefined ? {} : { hash: input.hash }),
        }),
      );
      return viewRef('views.update', res.view);
    },

    /** views.publish: replaces the user's App Home. */
    async publishHome(userId: string, view: View): Promise<ViewRef> {
      const res = await call('views.publish', () => client.views.publish({ user_id: userId, view }));
      return viewRef('views.publish', res.view);
    },
  };
}
