import type { App } from '@slack/bolt';
import type { SlackEdgeDeps } from '../../edge-deps.js';
import { parseTimelineEvent } from '../../inputs/timeline-event.js';
import { parseMessageEdit } from '../../inputs/message-event.js';

/** Events that feed the timeline and channel membership; Bolt has acked them already. */
const TIMELINE_EVENTS = [
  'pin_added',
  'pin_removed',
  'reaction_added',
  'reaction_removed',
  'member_joined_channel',
  'member_left_channel',
] as const;

export function register(app: App, deps: SlackEdgeDeps): void {
  for (const type of TIMELINE_EVENTS) {
    app.event(type, async ({ event, body }) => {
      const envelope = body as { event_id?: string; team_id?: string };
      const timelineEvent = parseTimelineEvent(event);
      if (!envelope.event_id || !timelineEvent) return;
      await deps.services.timeline
        .handleEvent({ eventId: envelope.event_id, teamId: envelope.team_id ?? '', event: timelineEvent })
        .catch((err: unknown) => deps.logger.error({ err, eventType: type }, 'event not handled'));
    });
  }
  // A captured message edited or deleted in Slack: Meridian's copy follows (issue 24). Both are idempotent.
  app.event('message', async ({ event }) => {
    const edit = parseMessageEdit(event);
    if (!edit) return;
    const { retention } = deps.services;
    await (edit.kind === 'changed' ? retention.followMessageEdit(edit) : retention.followMessageDeletion(edit)).catch((err: unknown) =>
      deps.logger.error({ err, eventType: `message_${edit.kind}` }, 'event not handled'),
    );
  });
  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab && event.tab !== 'home') return;
    await deps.services.home
      .publish({ userId: event.user, teamId: (body as { team_id?: string }).team_id ?? '' })
      .catch((err: unknown) => deps.logger.error({ err }, 'App Home not published'));
  });
}
