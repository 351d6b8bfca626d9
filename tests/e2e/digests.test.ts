import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMeridianConfig } from '../../src/config-file/load.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import { incidents } from '../../src/db/schema/index.js';
import { computeDigest } from '../../src/domain/digest.js';
import { digestChartOption } from '../../src/domain/digest-chart.js';
import { nextWeeklyRun } from '../../src/domain/digest-period.js';
import { renderChartPng } from '../../src/services/reports/digest-chart.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { waitForPrivateReply } from '../support/replies.js';

const at = (iso: string) => new Date(iso);
const WEEKLY = { day: 'mon', at: { hour: 9, minute: 0 }, timeZone: 'Europe/Dublin' } as const;

let h: Harness;
const now = at('2026-03-30T07:59:00Z'); // Monday, a minute before the 09:00 Dublin (summer time) digest
const meridian: { -readonly [K in keyof MeridianConfig]: MeridianConfig[K] } = { ...defaultMeridianConfig() };
let reportsChannel = '';

beforeAll(async () => {
  h = await startHarness(import.meta.url, { meridian, clock: () => now, reconcileEveryMs: 1000 });
  reportsChannel = h.fake.addChannel({ name: 'tns-reports', botIsMember: true });
  h.fake.addUser({ id: 'U0LEAD0001', name: 'lead' });
  meridian.reports = { channelId: reportsChannel, weekly: WEEKLY };
  const seeds: Omit<typeof incidents.$inferInsert, 'teamId' | 'idempotencyKey' | 'declaredBy'>[] = [
    {
      title: 'Blackout challenge',
      severity: 'sev1',
      category: 'harmful-trend',
      declaredAt: at('2026-03-23T10:00:00Z'),
      acknowledgedAt: at('2026-03-23T10:02:00Z'),
      resolvedAt: at('2026-03-23T11:00:00Z'),
      status: 'resolved',
    },
    {
      title: 'Named child in a video',
      isPrivate: true,
      severity: 'sev1',
      category: 'child-safety',
      declaredAt: at('2026-03-29T22:30:00Z'),
    },
    { title: 'Press asks about bans', severity: 'sev3', category: 'media-inquiry', declaredAt: at('2026-03-18T09:00:00Z') },
  ];
  const rows = seeds.map((r, i) => ({ teamId: 'T0TEST0001', idempotencyKey: `digest-${i}`, declaredBy: 'U0DECL001', ...r }));
  await h.db.insert(incidents).values(rows);
  await h.restart(); // with the reports channel in the config
});
afterAll(async () => {
  await h?.close();
});

describe('the weekly digest', () => {
  it('the chart shows the digest’s own numbers', async () => {
    const run = nextWeeklyRun(WEEKLY, at('2026-03-30T07:00:00Z'));
    const digest = computeDigest({
      run,
      now: run.runAt,
      current: {
        incidents: [
          {
            number: 1,
            title: 'A',
            private: false,
            severity: 'sev1',
            category: 'x',
            status: 'resolved',
            declaredAt: at('2026-03-23T10:00:00Z'),
            resolvedAt: null,
            timeToAcknowledgeS: 120,
            timeToMitigateS: null,
            timeToResolveS: null,
            hub: 'APAC',
          },
          {
            number: 2,
            title: 'B',
            private: true,
            severity: 'sev2',
            category: 'x',
            status: 'investigating',
            declaredAt: at('2026-03-29T22:30:00Z'),
            resolvedAt: null,
            timeToAcknowledgeS: 300,
            timeToMitigateS: null,
            timeToResolveS: null,
            hub: 'EMEA',
          },
        ],
        pages: [],
        clocks: [],
      },
      before: { incidents: [], pages: [], clocks: [] },
      openOld: [],
    });
    const option = digestChartOption(digest);
    for (const severity of ['sev1', 'sev2', 'sev3', 'sev4'] as const) {
      const series = option.series.find((s) => s.name === severity.toUpperCase());
      expect(series?.data).toEqual(digest.perDay.map((d) => d.bySeverity[severity]));
    }
    expect(option.series.at(-1)?.data).toEqual(digest.acknowledgeByHub.map((h) => h.medianS / 60));
    expect((option['xAxis'] as { data: string[] }[])[1]?.data).toEqual(['APAC', 'EMEA']);
    const png = await renderChartPng(option);
    mkdirSync('docs/images', { recursive: true });
    writeFileSync('docs/images/digest-chart.png', png);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});

describe('/incident report', () => {
  it('when a lead asks outside the reports channel, then only they see the digest of last week', async () => {
    await h.command('report weekly', { userId: 'U0LEAD0001', channelId: 'C0GENERAL1' });
    // C0GENERAL1 does not exist in the fake Slack: the digest comes to the lead's DM with the app instead.
    // The digest renders its chart first: allow for a loaded machine.
    const reply = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0LEAD0001', 30_000);
    expect(String(reply.args.text)).toContain('Weekly incident digest');
    expect(JSON.stringify(reply.args.blocks)).not.toContain('Named child');
  });

  it('when a range is not two dates, then the lead is told what is wrong', async () => {
    await h.command('report 2026-03-01 soon', { userId: 'U0LEAD0001', channelId: 'C0GENERAL1' });
    const reply = await waitForPrivateReply(
      h.fake,
      (c) => c.args.user === 'U0LEAD0001' && String(c.args.text).includes('to: expected a date YYYY-MM-DD, got "soon"'),
    );
    expect(String(reply.args.text)).toContain('/incident report weekly');
  });
});

describe('a severity lowered after the declaration', () => {
  it('when a SEV1 declared last week was lowered to SEV2, then the digest counts it among the three SEV1s declared, and by peak too', async () => {
    await h.db.insert(incidents).values({
      teamId: 'T0TEST0001',
      idempotencyKey: 'digest-lowered',
      declaredBy: 'U0DECL001',
      title: 'Scam wave, contained',
      severity: 'sev2',
      declaredSeverity: 'sev1',
      peakSeverity: 'sev1',
      category: 'harmful-trend',
      declaredAt: at('2026-03-24T10:00:00Z'),
    });
    h.fake.reset();
    await h.command('report weekly', { userId: 'U0LEAD0001', channelId: 'C0GENERAL1' });
    // The digest renders its chart first: allow for a loaded machine.
    const reply = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === 'U0LEAD0001' && JSON.stringify(c.args.blocks).includes('Scam wave, contained'),
      30_000,
    );
    const texts = (reply.args.blocks as { text?: { text?: string } }[]).map((b) => b.text?.text ?? '');
    const declared = texts.find((t) => t.startsWith('*By severity declared*'));
    const peak = texts.find((t) => t.startsWith('*By peak severity*'));
    expect(declared).toMatch(/• SEV1[^:\n]*: 3\b/);
    expect(declared).not.toContain('SEV2');
    expect(peak).toMatch(/• SEV1[^:\n]*: 3\b/);
  });
});

describe('the dates a digest covers', () => {
  it('when a lead types a range of 16 to 22 March, then the digest says 16 to 22 March in plain text, not a next-day or raw <!date> end', async () => {
    h.fake.reset();
    await h.command('report 2026-03-16 2026-03-22', { userId: 'U0LEAD0001', channelId: 'C0GENERAL1' });
    const reply = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0LEAD0001', 30_000);
    expect(String(reply.args.text)).toContain('16 Mar 2026 to 22 Mar 2026');
    expect(JSON.stringify(reply.args.blocks)).toContain('16 Mar 2026 to 22 Mar 2026');
    expect(String(reply.args.text)).not.toContain('<!date');
  }, 60_000);
});

describe('a weekly digest typed on Monday (issue 19: it said "Incidents: 0" beside a chart of the day)', () => {
  it('when a lead types /incident report weekly in the reports channel on Monday after incidents that morning, then it counts last week as its chart does, and says the morning’s are after it', async () => {
    const monday = [
      { title: 'Monday morning raid on accounts', isPrivate: false, declaredAt: at('2026-03-30T06:10:00Z') },
      { title: 'Monday private grooming case', isPrivate: true, declaredAt: at('2026-03-30T07:30:00Z') },
    ];
    await h.db.insert(incidents).values(
      monday.map((m, i) => ({
        teamId: 'T0TEST0001',
        idempotencyKey: `digest-monday-${i}`,
        declaredBy: 'U0DECL001',
        severity: 'sev2' as const,
        category: 'harmful-trend',
        ...m,
      })),
    );
    // Last week as Dublin counts it (23-29 March, the clocks went forward on the Sunday), by hand from the rows.
    const from = at('2026-03-23T00:00:00Z');
    const to = at('2026-03-29T23:00:00Z');
    const all = await h.db.select().from(incidents);
    const lastWeek = all.filter((i) => i.declaredAt >= from && i.declaredAt < to);
    expect(lastWeek.length).toBeGreaterThan(0);
    h.fake.reset();
    await h.command('report weekly', { userId: 'U0LEAD0001', channelId: reportsChannel });
    const post = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === reportsChannel, 30_000);
    const text = String(post.args.text);
    expect(text).toContain('23 Mar 2026 to 29 Mar 2026');
    expect(text).toContain(`: ${lastWeek.length} incident${lastWeek.length === 1 ? '' : 's'} (`);
    const blocks = (post.args.blocks as { text?: { text?: string }; elements?: { text?: string }[] }[]).map(
      (b) => b.text?.text ?? b.elements?.map((e) => e.text ?? '').join(' ') ?? '',
    );
    expect(blocks.find((t) => t.startsWith('*Incidents:*'))).toMatch(new RegExp(`^\\*Incidents:\\* ${lastWeek.length}\\b`));
    // The morning's two are not lost: the digest says they came after its period, without naming the private one.
    const note = blocks.find((t) => t.includes('declared after'));
    expect(note).toContain('2 incidents were declared after 29 Mar 2026');
    expect(JSON.stringify(post.args)).not.toContain('grooming');
    // Its chart, in the same channel, is titled in plain words, never raw date markup.
    const upload = await eventually(
      () => [...h.fake.callsTo('files.getUploadURLExternal'), ...h.fake.callsTo('files.completeUploadExternal')].at(-1),
      'the chart upload',
      30_000,
    );
    expect(JSON.stringify(upload.args)).not.toContain('<!date');
  }, 60_000);
});
