import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { runDueNow } from '../../src/sandbox/due-now.js';
import { incidentClocks, incidents, scheduledActions } from '../../src/db/schema/index.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';

const CONFIG = `
admins: [U0ADMIN001]
deadlines:
  - id: hour-order
    name: "Hour from receipt order"
    within_minutes: 60
    remind_before_minutes: [30]
    source: "Test Regulation, Art. 3(3)"
categories:
  - { id: regulator-request, name: "Regulator request", default_severity: sev3, deadline: hour-order }
`;

let h: Harness;

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, { meridian: parsed.config });
  for (const id of ['U0DECL001', 'U0ADMIN001']) h.fake.addUser({ id, name: id.toLowerCase(), tz: 'Europe/Dublin' });
});
afterAll(async () => {
  await h?.close();
});

const posts = (channel: string, pattern: string) =>
  h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && JSON.stringify(c.args).includes(pattern));

describe('a deadline run before its time', () => {
  it('when "Run due now" runs a reminder and a miss early, then nothing is posted, the sandbox says so, and the miss fires once at its due time', async () => {
    await h.submitView({ id: 'V0EARLY0001', callback_id: 'declare_incident', state: declareState({ title: 'Early order', category: 'regulator-request' }) });
    const incident = await eventually(async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, 'Early order'));
      return row?.cardTs && row.channelId ? row : undefined;
    }, 'the incident to be set up');
    const channel = incident.channelId!;
    await h.idle();

    // "Run due now", as the sandbox runs it, until the miss has been run early (and its early re-plan too).
    const told: string[] = [];
    let misses = 0;
    for (let i = 0; i < 12 && misses < 2; i += 1) {
      const next = await h.runtime.scheduledActions.next();
      if (!next) break;
      await runDueNow(h.runtime.scheduledActions, (text) => told.push(text));
      if (next.kind === 'clock-miss') misses += 1;
      await h.idle();
    }
    expect(misses).toBe(2);
    expect(told.some((t) => t.includes("deadline's miss") && t.includes('nothing was posted'))).toBe(true);
    expect(posts(channel, 'Deadline missed')).toHaveLength(0);
    expect(posts(channel, 'left: *Hour from receipt order*')).toHaveLength(0);
    const [clock] = await h.db.select().from(incidentClocks).where(eq(incidentClocks.incidentId, incident.id));
    expect(clock!.state).toBe('running');
    const pendingMiss = await h.db
      .select()
      .from(scheduledActions)
      .where(and(eq(scheduledActions.kind, 'clock-miss'), eq(scheduledActions.status, 'pending')));
    expect(pendingMiss.map((r) => r.dueAt.getTime())).toEqual([clock!.dueAt.getTime()]);

    // At its time, the reminder and then the miss fire, once each.
    await h.advance(61 * 60_000);
    await h.idle();
    await eventually(() => posts(channel, 'Deadline missed')[0], 'the miss at its time');
    expect(posts(channel, 'Deadline missed')).toHaveLength(1);
  });
});
