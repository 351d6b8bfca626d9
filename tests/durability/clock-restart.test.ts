import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { incidentClocks, incidents, scheduledActions } from '../../src/db/schema/index.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';

/** A clock of 12 s, reminded 6 s before: the bot is down from just after the declaration until the reminder is overdue. */
const CONFIG = `
deadlines:
  - id: restart-order
    name: "Order across a restart"
    within_minutes: 0.2
    remind_before_minutes: [0.1]
    escalate_to: [{ user: U0LEGAL001 }]
    source: "Test Regulation"
categories:
  - { id: regulator-request, name: "Regulator request", default_severity: sev3, deadline: restart-order }
`;

let h: Harness;

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  // The periodic reconciler is out of the way (a minute): the delayed jobs themselves must fire.
  h = await startHarness(import.meta.url, { meridian: parsed.config, env: { JOB_LOCK_MS: '2000' }, reconcileEveryMs: 60_000 });
  for (const id of ['U0DECL001', 'U0LEGAL001']) h.fake.addUser({ id, name: id.toLowerCase(), tz: 'UTC' });
});
afterAll(async () => {
  await h?.close();
});

const posts = (channel: string, pattern: string) =>
  h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && JSON.stringify(c.args).includes(pattern));

describe('a clock reminder that falls due while the bot is down', () => {
  it('when the bot is down past the reminder, then the reminder fires once after restart and the miss fires once, at its time', async () => {
    const title = 'Order pending across a deploy';
    await h.submitView({
      id: 'V0CLKRST0001',
      callback_id: 'declare_incident',
      state: declareState({ title, category: 'regulator-request' }),
    });
    const incident = await eventually(async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
      return row?.cardTs && row.channelId ? row : undefined;
    }, 'the incident to be set up');
    await h.stopBot();
    const [clock] = await h.db.select().from(incidentClocks).where(eq(incidentClocks.incidentId, incident.id));
    const reminderDue = clock!.dueAt.getTime() - 6000;
    expect(Date.now()).toBeLessThan(reminderDue);
    const channel = incident.channelId!;

    await eventually(() => Date.now() > reminderDue + 500, 'the reminder to come due while the bot is down', 10_000);
    expect(posts(channel, 'left: *Order across a restart*')).toHaveLength(0);
    await h.restart();
    const up = Date.now();
    expect(up).toBeLessThan(clock!.dueAt.getTime());

    const reminder = await eventually(() => posts(channel, 'left: *Order across a restart*')[0], 'the overdue reminder', 5000);
    expect(reminder.at - up).toBeLessThan(1500);
    const missed = await eventually(() => posts(channel, 'Deadline missed')[0], 'the miss', 15_000);
    expect(missed.at).toBeGreaterThanOrEqual(clock!.dueAt.getTime());
    // The miss row done is the sentinel: its DM and feed line are behind it.
    await eventually(async () => {
      const rows = await h.db
        .select()
        .from(scheduledActions)
        .where(and(eq(scheduledActions.incidentId, incident.id), eq(scheduledActions.kind, 'clock-miss')));
      return rows.length === 1 && rows[0]!.status === 'done';
    }, 'the miss to finish');
    const reminders = await h.db
      .select()
      .from(scheduledActions)
      .where(and(eq(scheduledActions.incidentId, incident.id), eq(scheduledActions.kind, 'clock-reminder')));
    expect(reminders.map((r) => r.status)).toEqual(['done']);
    expect(posts(channel, 'left: *Order across a restart*')).toHaveLength(1);
    expect(posts(channel, 'Deadline missed')).toHaveLength(1);
    expect(posts('U0LEGAL001', `INC-${incident.number} missed a deadline`)).toHaveLength(1);
  });
});
