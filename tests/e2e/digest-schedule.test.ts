/**
 * The weekly digest fires by itself at 09:00 Dublin on the Monday after the clocks go forward
 * (08:00 UTC, not 09:00), once, in the reports channel, with its chart; the next Monday is planned.
 * The bot's clock runs at real speed from a few seconds before the run, so BullMQ's real-time delay
 * and the bot's clock agree (a frozen test clock would leave the job waiting on real time).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMeridianConfig } from '../../src/config-file/load.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import { incidents, scheduledActions } from '../../src/db/schema/index.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';

const RUN_AT = new Date('2027-03-29T08:00:00Z'); // Monday 09:00 IST; Dublin went to summer time on Sunday 28 March
const LEAD_MS = 4000;
let offset = 0;
const clock = () => new Date(Date.now() + offset);

let h: Harness;
let reportsChannel = '';
const meridian: { -readonly [K in keyof MeridianConfig]: MeridianConfig[K] } = { ...defaultMeridianConfig() };

beforeAll(async () => {
  h = await startHarness(import.meta.url, { meridian, clock, reconcileEveryMs: 500 });
  reportsChannel = h.fake.addChannel({ name: 'tns-reports', botIsMember: true });
  meridian.reports = { channelId: reportsChannel, weekly: { day: 'mon', at: { hour: 9, minute: 0 }, timeZone: 'Europe/Dublin' } };
  await h.db.insert(incidents).values({
    teamId: 'T0TEST0001',
    idempotencyKey: 'digest-schedule-1',
    declaredBy: 'U0DECL001',
    title: 'Blackout challenge',
    severity: 'sev2',
    category: 'harmful-trend',
    status: 'resolved',
    declaredAt: new Date('2027-03-24T10:00:00Z'),
    acknowledgedAt: new Date('2027-03-24T10:04:00Z'),
    resolvedAt: new Date('2027-03-24T12:00:00Z'),
  });
  offset = RUN_AT.getTime() - LEAD_MS - Date.now();
  await h.restart(); // with the reports channel in the config; the reconciler plans the run
});
afterAll(async () => {
  await h?.close();
});

describe('the scheduled weekly digest', () => {
  it('fires once at 09:00 Dublin across the DST change, with its chart, and plans the next Monday', async () => {
    const posted = await eventually(
      () => h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === reportsChannel),
      'the digest in the reports channel',
      LEAD_MS + 10_000,
    );
    const text = String(posted.args.text);
    expect(text).toContain('Weekly incident digest');
    expect(JSON.stringify(posted.args.blocks)).toContain('1'); // one incident in the week
    // Not before 09:00 Dublin (08:00 UTC on the bot's clock), and not an hour late (09:00 UTC).
    expect(posted.at + offset).toBeGreaterThanOrEqual(RUN_AT.getTime());
    expect(posted.at + offset).toBeLessThan(RUN_AT.getTime() + 5000);

    const chart = await eventually(
      () => h.fake.calls.find((c) => c.method.startsWith('files.') && JSON.stringify(c.args).includes(reportsChannel)),
      'the chart upload',
    );
    expect(chart).toBeTruthy();

    // The next run is planned for Monday 5 April 09:00 IST, and this one is done: the sentinel that nothing more comes.
    const rows = await eventually(async () => {
      const all = await h.db.select().from(scheduledActions).where(eq(scheduledActions.kind, 'digest'));
      const done = all.filter((r) => r.status === 'done');
      const next = all.find((r) => r.status === 'pending');
      return done.length === 1 && next ? { done, next } : undefined;
    }, 'the run done and the next one planned');
    expect(rows.done[0]?.dueAt.toISOString()).toBe(RUN_AT.toISOString());
    expect(rows.next.dueAt.toISOString()).toBe('2027-04-05T08:00:00.000Z');

    // Reconciles after the run neither post again nor plan twice.
    await h.restart();
    const after = await eventually(async () => {
      const pending = await h.db
        .select()
        .from(scheduledActions)
        .where(and(eq(scheduledActions.kind, 'digest'), eq(scheduledActions.status, 'pending')));
      return pending.length === 1 ? pending : undefined;
    }, 'one pending digest after a restart');
    expect(after).toHaveLength(1);
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === reportsChannel)).toHaveLength(1);
  });

  it('down across two Mondays: on its return it posts only the latest missed digest, once', async () => {
    const before = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === reportsChannel).length;
    // Back on Tuesday 13 April: the runs of 5 and 12 April were missed while it was down.
    offset = new Date('2027-04-13T10:00:00Z').getTime() - Date.now();
    await h.restart();
    const rows = await eventually(
      async () => {
        const all = await h.db.select().from(scheduledActions).where(eq(scheduledActions.kind, 'digest'));
        const byDue = (iso: string) => all.find((r) => r.dueAt.toISOString() === iso);
        const fifth = byDue('2027-04-05T08:00:00.000Z');
        const twelfth = byDue('2027-04-12T08:00:00.000Z');
        const nineteenth = byDue('2027-04-19T08:00:00.000Z');
        return fifth?.status === 'skipped' && twelfth?.status === 'done' && nineteenth?.status === 'pending' ? { twelfth } : undefined;
      },
      'the stale run skipped, the latest posted, the next planned',
      15_000,
    );
    expect(rows.twelfth.status).toBe('done');
    const posted = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === reportsChannel);
    expect(posted).toHaveLength(before + 1);
    // The week it covers is Monday 5 to Sunday 11 April, Dublin days, whatever the reader's zone.
    expect(String(posted.at(-1)?.args.text)).toContain('5 Apr 2027 to 11 Apr 2027');
  });
});
