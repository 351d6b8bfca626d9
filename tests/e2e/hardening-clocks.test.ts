/**
 * Issue 20: double clicks on clock buttons act once; Miss Acknowledge is for the people told of
 * the miss and only once (9); Acknowledge updates only the DM recorded when sent (11).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentClocks, incidentMembers, incidents, timelineEntries } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../support/meridian-harness.js';
import { waitForPrivateReply } from '../support/replies.js';

const COMMANDER = 'U0CMDR0001';
const CONTACT = 'U0LEGAL001';
const BYSTANDER = 'U0BYSTAND1';
let h: Harness;
let seq = 0;

beforeAll(async () => {
  h = await startHarness(import.meta.url);
  for (const id of [COMMANDER, CONTACT, BYSTANDER]) h.fake.addUser({ id, name: id.toLowerCase(), tz: 'UTC' });
});
afterAll(async () => {
  await h?.close();
});

async function incidentWithClock(clock: Partial<typeof incidentClocks.$inferInsert>) {
  seq += 1;
  const channelId = h.fake.addChannel({ name: `inc-clocks-hardening-${seq}`, members: [COMMANDER, CONTACT, BYSTANDER], botIsMember: true });
  const [incident] = await h.db
    .insert(incidents)
    .values({
      teamId: 'T0MERIDIAN',
      idempotencyKey: `clock-hardening-${seq}`,
      title: `Clock incident ${seq}`,
      severity: 'sev2',
      category: 'other',
      declaredBy: COMMANDER,
      commanderId: COMMANDER,
      channelId,
      declaredAt: new Date(Date.now() - 7_200_000),
    })
    .returning();
  await h.db.insert(incidentMembers).values([COMMANDER, CONTACT, BYSTANDER].map((userId) => ({ incidentId: incident!.id, userId })));
  const [row] = await h.db
    .insert(incidentClocks)
    .values({
      incidentId: incident!.id,
      label: 'order',
      name: `Removal order ${seq}`,
      startKind: 'typed',
      startedAt: new Date(Date.now() - 3_600_000),
      dueAt: new Date(Date.now() + 3_600_000),
      ...clock,
    })
    .returning();
  return { incident: incident!, clock: row!, channelId };
}

const entries = (incidentId: string, kind: string) =>
  h.db
    .select()
    .from(timelineEntries)
    .where(and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.kind, kind)));

describe('clock buttons (issue 20, items 9 and 11)', () => {
  it('when the "Mark responded" form is submitted twice at once, then one response is recorded, the other refused as already answered', async () => {
    const { incident, clock, channelId } = await incidentWithClock({});
    await h.clickButton({ actionId: 'clock_responded', value: clock.id, userId: COMMANDER, channelId });
    const open = await h.fake.waitForCall('views.open', (c) => JSON.stringify(c.args.view).includes(clock.id));
    const submit = (id: string) =>
      h.submitView(
        {
          id,
          callback_id: 'clock_respond',
          private_metadata: (open.args.view as { private_metadata: string }).private_metadata,
          state: {
            values: {
              responded_at: { value: { type: 'datetimepicker', selected_date_time: Math.floor(Date.now() / 1000) } },
              what: { value: { type: 'plain_text_input', value: 'Removed' } },
            },
          },
        },
        { userId: COMMANDER },
      );
    const replies = await Promise.all([submit('V0TWICE0001'), submit('V0TWICE0002')]);
    // The second is refused in the form (under load, Slack's answer to it may be cut short): never a second record.
    expect(replies.filter((r) => r.text.includes('already answered')).length).toBeLessThanOrEqual(1);
    expect(replies.filter((r) => r.text.includes('errors') && !r.text.includes('already answered'))).toHaveLength(0);
    expect(await entries(incident.id, 'clock_responded')).toHaveLength(1);
  });

  it('when someone not told of a miss clicks Acknowledge, then it is refused and nothing is recorded', async () => {
    const { incident, clock, channelId } = await incidentWithClock({
      state: 'missed',
      missedAt: new Date(),
      dueAt: new Date(Date.now() - 60_000),
      missProgress: { channel: true, dms: [CONTACT] },
    });
    await h.clickButton({ actionId: 'clock_miss_ack', value: clock.id, userId: BYSTANDER, channelId });
    await waitForPrivateReply(h.fake, (c) => c.args.user === BYSTANDER && String(c.args.text).includes('escalation contacts'));
    expect(await entries(incident.id, 'clock_miss_acknowledged')).toEqual([]);
  });

  it('when a contact clicks Acknowledge twice at once from a forged payload naming another message, then it is recorded once and only their recorded DM is updated', async () => {
    const dm = h.fake.addChannel({ name: 'dm-legal-stand-in', members: [CONTACT], botIsMember: true });
    const dmTs = h.fake.postAsUser(dm, { user: CONTACT, text: 'the miss DM stand-in' });
    const { incident, clock, channelId } = await incidentWithClock({
      state: 'missed',
      missedAt: new Date(),
      dueAt: new Date(Date.now() - 60_000),
      missProgress: { channel: true, dms: [CONTACT], dmMessages: { [CONTACT]: { channel: dm, ts: dmTs } } },
    });
    const cardTs = h.fake.postAsUser(channelId, { user: COMMANDER, text: 'the incident card stand-in' });
    const click = () => h.clickButton({ actionId: 'clock_miss_ack', value: clock.id, userId: CONTACT, channelId, messageTs: cardTs });
    await Promise.all([click(), click()]);
    await waitForPrivateReply(h.fake, (c) => c.args.user === CONTACT && String(c.args.text).includes('already acknowledged'));
    await h.fake.waitForCall('chat.update', (c) => c.args.ts === dmTs);
    expect(await entries(incident.id, 'clock_miss_acknowledged')).toHaveLength(1);
    expect(h.fake.callsTo('chat.update').filter((c) => c.args.ts === cardTs)).toEqual([]);
  });
});
