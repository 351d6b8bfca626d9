import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';

/**
 * The default with no DATABASE_URL is the embedded database (PGlite), which has one connection:
 * an open transaction blocks every other query. This plays an incident through every kind of
 * scheduled action and use case on it, so a hidden wait on a second connection shows as a hang.
 */
const CONFIG = `
schedules:
  - id: tns
    layers:
      - name: EMEA
        timezone: Europe/Dublin
        coverage: { days: [mon, tue, wed, thu, fri, sat, sun], from: "00:00", to: "00:00" }
        rotation: { members: [U0DUA0001], every: 1 week, handoff: "09:00", starts: 2026-01-05 }
escalation_policies:
  - id: urgent
    steps:
      - notify: [{ schedule: tns }]
        wait_minutes: 0.01
      - notify: [{ user: U0LEAD0001 }]
        wait_minutes: 10
severities:
  sev1: { policy: urgent, update_every_minutes: 0.02 }
`;

let h: Harness;
beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, { embedded: true, meridian: parsed.config });
  for (const id of ['U0DUA0001', 'U0LEAD0001']) h.fake.addUser({ id, name: id.toLowerCase(), tz: 'Europe/Dublin' });
});
afterAll(async () => {
  await h?.close();
});

const posted = (pattern: string, channel?: string) => () =>
  h.fake.callsTo('chat.postMessage').find((c) => (!channel || c.args.channel === channel) && JSON.stringify(c.args).includes(pattern));

describe('the embedded database', () => {
  it('when an incident is run on it, then set-up, paging, escalation, reminders, acknowledgement and resolution all complete', async () => {
    await h.submitView({
      id: 'V0EMB0001',
      callback_id: 'declare_incident',
      state: declareState({ title: 'Embedded run', severity: 'sev1', category: 'other' }),
    });
    const create = await h.fake.waitForCall('conversations.create', undefined, 10_000);
    const channelId = (create.response as { channel: { id: string } }).channel.id;
    await h.fake.waitForCall('pins.add', (c) => c.args.channel === channelId, 10_000);
    await eventually(posted('INC-1 ', 'U0DUA0001'), 'the first page', 10_000);
    const lead = await eventually(posted('INC-1 ', 'U0LEAD0001'), 'the second step after 0.6 s', 10_000);
    await eventually(posted('has had no status update', channelId), 'the update reminder', 10_000);
    const pageId = JSON.stringify(lead.args.blocks).match(/"page_ack","value":"([^"]+)"/)?.[1] ?? '';
    await h.clickButton({ actionId: 'page_ack', value: pageId, userId: 'U0LEAD0001' });
    await eventually(posted('acknowledged. Time to acknowledge', channelId), 'the acknowledgement', 10_000);
    const cardTs = h.fake.callsTo('pins.add').find((c) => c.args.channel === channelId)!.args.timestamp as string;
    const reply = await h.submitView({
      id: 'V0EMB0002',
      callback_id: 'incident_resolve',
      private_metadata: JSON.stringify({ incidentId: await incidentId() }),
      state: { values: { resolution: { value: { value: 'Done on the embedded database' } } } },
    });
    expect(reply.status).toBe(200);
    await eventually(posted('resolved INC-1', channelId), 'the resolution', 10_000);
    expect(h.fake.callsTo('chat.update').some((c) => c.args.ts === cardTs)).toBe(true);
    // The review canvas, and seen before (pg_trgm loaded into PGlite) for a second incident like the first.
    expect(await eventually(() => h.fake.canvases().find((c) => c.channelId === channelId), 'the review canvas', 10_000)).toBeDefined();
    await h.submitView({
      id: 'V0EMB0003',
      callback_id: 'declare_incident',
      state: declareState({ title: 'Embedded run again', severity: 'sev3', category: 'other' }),
    });
    const seen = await eventually(posted('Seen before'), 'seen before for the second incident', 10_000);
    expect(seen.args.channel).not.toBe(channelId);
    expect(JSON.stringify(seen.args.blocks)).toContain('*INC-1* Embedded run');
  }, 45_000);
});

async function incidentId(): Promise<string> {
  const list = await h.command('list');
  expect(list.status).toBe(200);
  const ack = h.fake
    .callsTo('chat.postMessage')
    .find(
      (c) => JSON.stringify(c.args.blocks ?? '').includes('incident_ack') || JSON.stringify(c.args.blocks ?? '').includes('card_resolve'),
    );
  const id = JSON.stringify(ack?.args.blocks).match(/"card_resolve","value":"([^"]+)"/)?.[1];
  if (!id) throw new Error('no card with a Resolve button seen');
  return id;
}
