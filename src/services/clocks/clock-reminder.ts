/** The `clock-reminder` action: a reminder in the channel, mentioning the owner: time left and the deadline as a Slack date. */
import { clockReminderMessage } from '../../blocks/clock-messages.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import { refreshIncidentCard } from '../incident-card.js';
import type { ClockDeps } from './deps.js';
import { loadClockAction } from './load-clock-action.js';

export async function runClockReminder(deps: ClockDeps, ctx: ActionContext<'clock-reminder'>): Promise<ActionOutcome> {
  const loaded = await loadClockAction(deps, ctx.data);
  if (loaded?.clock.state !== 'running' || !loaded.incident.channelId) return 'skipped';
  const { clock, incident } = loaded;
  if (ctx.now < ctx.action.dueAt) {
    // Run early (the sandbox's "Run due now", a skewed replica): never remind before the reminder's own time.
    await ctx.plan('clock-reminder', ctx.data, ctx.action.dueAt, {
      incidentId: clock.incidentId,
      dedupeKey: `clock:${clock.id}:${clock.version}:remind:early:${ctx.action.id}`,
    });
    return 'skipped';
  }
  const message = { channel: loaded.incident.channelId, ...clockReminderMessage(clock, incident, ctx.now) };
  await ctx.deliver(`clock-reminder:${ctx.action.id}`, message);
  await refreshIncidentCard(deps, incident.id).catch((err: unknown) => deps.logger.warn({ err }, 'card not refreshed'));
  return 'done';
}
