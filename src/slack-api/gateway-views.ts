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

/**
 * Modals and App Home. `triggerContext` runs views.open under a policy that fits the 3 s life
 * of a trigger id.
 */
export function viewMethods({ client, call }: GatewayContext, triggerContext: GatewayContext) {
  return {
    /**
     * views.open. Call it first thing in a handler: the trigger id dies 3 s after the click
     * (ExpiredTrigger). It is retried once, quickly; a 429 is thrown as RateLimited at once.
     * If a timed-out first attempt did reach Slack, the retry fails with ExpiredTrigger
     * (`exchanged_trigger_id`) although the modal is open.
     */
    async openView(triggerId: string, view: View): Promise<ViewRef> {
      const res = await triggerContext.call('views.open', () => triggerContext.client.views.open({ trigger_id: triggerId, view }));
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
