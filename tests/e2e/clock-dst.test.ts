import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { incidentClocks, incidents } from '../../src/db/schema/index.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';

/** The bot's clock runs from Saturday 28 March 2026, 12:00 UTC: both of Dublin's 2026 transitions lie ahead. */
const START = Date.parse('2026-03-28T12:00:00Z');
const startedAt = Date.now();
const CONFIG = `
categories:
  - { id: regulator-request, name: "Regulator request", default_severity: sev3 }
`;

let h: Harness;

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, { meridian: parsed.config, clock: () => new Date(START + (Date.now() - startedAt)) });
  h.fake.addUser({ id: 'U0DECL001', name: 'u0decl001', tz: 'Europe/Dublin' });
});
afterAll(async () => {
  await h?.close();
});

async function clockLabelled(incidentId: string, label: string) {
  return eventually(async () => {
    const [row] = await h.db
      .select()
      .from(incidentClocks)
      .where(and(eq(incidentClocks.incidentId, incidentId), eq(incidentClocks.label, label)));
    return row;
  }, `the clock "${label}"`);
}

/** The channel's line of a deadline command (the person who typed it gets no second, private copy). */
const channelLine = (channelId: string, pattern: string) =>
  eventually(
    () => h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === channelId && String(c.args.text).includes(pattern)),
    `a channel line with "${pattern}"`,
  );

describe('a deadline typed across a daylight-saving change, through Slack', () => {
  it('a Dublin time in the spring gap moves forward by the gap; one in the autumn fold is its first occurrence', async () => {
    await h.submitView({
      id: 'V0CLKDST0001',
      callback_id: 'declare_incident',
      state: declareState({ title: 'Order over the clocks change', category: 'regulator-request' }),
    });
    const incident = await eventually(async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, 'Order over the clocks change'));
      return row?.cardTs && row.channelId ? row : undefined;
    }, 'the incident to be set up');
    const channelId = incident.channelId!;

    // 01:30 does not exist in Dublin on 29 March 2026 (01:00 GMT becomes 02:00 IST): 02:30 IST, 01:30 UTC.
    await h.command('deadline 2026-03-29 01:30 Europe/Dublin spring', { channelId });
    expect((await clockLabelled(incident.id, 'spring')).dueAt.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    await channelLine(channelId, 'does not exist');
    // Without a zone: the typist's Slack zone (Europe/Dublin here), by the same rule.
    await h.command('deadline 2026-03-29 01:30 own-zone', { channelId });
    expect((await clockLabelled(incident.id, 'own-zone')).dueAt.toISOString()).toBe('2026-03-29T01:30:00.000Z');

    // 01:30 happens twice on 25 October 2026 (02:00 IST falls back to 01:00 GMT): the first, 01:30 IST, 00:30 UTC.
    await h.command('deadline 2026-10-25 01:30 Europe/Dublin autumn', { channelId });
    expect((await clockLabelled(incident.id, 'autumn')).dueAt.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    await channelLine(channelId, 'happens twice');
    const set = h.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === channelId && String(c.args.text).includes('Deadline set'));
    expect(set.map((c) => String(c.args.text)).join('\n')).toContain(`<!date^${Date.parse('2026-10-25T00:30:00Z') / 1000}^`);
  });
});
