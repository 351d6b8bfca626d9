import { describe, expect, it } from 'vitest';
import { computeDigest, isOutOfHours, quantile, type DigestIncidentRecord } from '../../src/domain/digest.js';
import { digestDedupeKey, nextMonthlyRun, nextWeeklyRun, readDayRange } from '../../src/domain/digest-period.js';
import { digestMessage } from '../../src/blocks/digest.js';
import { defaultMeridianConfig } from '../../src/config-file/load.js';

const at = (iso: string) => new Date(iso);
const DUBLIN_MONDAY_0900 = { day: 'mon', at: { hour: 9, minute: 0 }, timeZone: 'Europe/Dublin' } as const;

describe('when digests run', () => {
  it('the weekly run after Dublin springs forward is Monday 09:00 local, covering the 167-hour local week before', () => {
    const run = nextWeeklyRun(DUBLIN_MONDAY_0900, at('2026-03-30T07:00:00Z'));
    expect(run.runAt).toEqual(at('2026-03-30T08:00:00Z'));
    expect(run.period).toEqual({ from: at('2026-03-23T00:00:00Z'), to: at('2026-03-29T23:00:00Z') });
    expect((run.period.to.getTime() - run.period.from.getTime()) / 3_600_000).toBe(167);
    expect(run.previous).toEqual({ from: at('2026-03-16T00:00:00Z'), to: at('2026-03-23T00:00:00Z') });
  });

  it('a weekly run planned at its own instant is next week’s, with its own dedupe key', () => {
    const first = nextWeeklyRun(DUBLIN_MONDAY_0900, at('2026-03-30T07:00:00Z'));
    const second = nextWeeklyRun(DUBLIN_MONDAY_0900, first.runAt);
    expect(second.runAt).toEqual(at('2026-04-06T08:00:00Z'));
    expect(second.period.from).toEqual(first.period.to);
    expect(digestDedupeKey(first)).toBe('digest:weekly:2026-03-23T00:00:00.000Z');
    expect(digestDedupeKey(second)).not.toBe(digestDedupeKey(first));
  });

  it('the monthly run on the 1st at 09:00 Dublin covers the previous local month', () => {
    const run = nextMonthlyRun({ day: 1, at: { hour: 9, minute: 0 }, timeZone: 'Europe/Dublin' }, at('2026-03-15T12:00:00Z'));
    expect(run.runAt).toEqual(at('2026-04-01T08:00:00Z'));
    expect(run.period).toEqual({ from: at('2026-03-01T00:00:00Z'), to: at('2026-03-31T23:00:00Z') });
    expect(run.previous).toEqual({ from: at('2026-02-01T00:00:00Z'), to: at('2026-03-01T00:00:00Z') });
    const december = nextMonthlyRun({ day: 1, at: { hour: 9, minute: 0 }, timeZone: 'Europe/Dublin' }, at('2026-12-01T09:00:00Z'));
    expect(december.runAt).toEqual(at('2027-01-01T09:00:00Z'));
  });

  it('a typed range of days reads both days in UTC and names what is wrong', () => {
    expect(readDayRange('2026-03-01', '2026-03-31')).toMatchObject({
      ok: true,
      period: { from: at('2026-03-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') },
    });
    expect(readDayRange('2026-02-29', undefined)).toEqual({
      ok: false,
      problems: ['from: expected a date YYYY-MM-DD, got "2026-02-29"', 'to: expected a date YYYY-MM-DD, got nothing'],
    });
  });
});

describe('the digest figures', () => {
  it('quantiles interpolate like percentile_cont', () => {
    expect(quantile([60, 120, 300], 0.5)).toBe(120);
    expect(quantile([60, 120, 300], 0.9)).toBe(264);
    expect(quantile([], 0.5)).toBeNull();
  });

  it('a page is out of hours outside 09:00-18:00 on weekdays in the hub’s zone', () => {
    expect(isOutOfHours(at('2026-03-23T10:00:30Z'), 'Asia/Singapore')).toBe(true); // 18:00:30 Monday in Singapore
    expect(isOutOfHours(at('2026-03-25T03:00:00Z'), 'Asia/Singapore')).toBe(false); // 11:00 Wednesday
    expect(isOutOfHours(at('2026-03-28T10:00:00Z'), 'Europe/Dublin')).toBe(true); // Saturday
  });

  const incident = (over: Partial<DigestIncidentRecord> & Pick<DigestIncidentRecord, 'number' | 'declaredAt'>): DigestIncidentRecord => ({
    title: `Incident ${over.number}`,
    private: false,
    severity: 'sev3',
    category: 'harmful-trend',
    status: 'resolved',
    resolvedAt: null,
    timeToAcknowledgeS: null,
    timeToMitigateS: null,
    timeToResolveS: null,
    hub: null,
    ...over,
  });

  // The DST week of 23-29 March 2026 in Dublin (the 29th springs forward).
  const run = nextWeeklyRun(DUBLIN_MONDAY_0900, at('2026-03-30T07:00:00Z'));
  const secret = incident({
    number: 2,
    title: 'Secret name of a child',
    private: true,
    severity: 'sev1',
    category: 'child-safety',
    status: 'investigating',
    declaredAt: at('2026-03-29T22:30:00Z'), // 23:30 Sunday in Dublin, after the change
    timeToAcknowledgeS: 300,
    hub: 'EMEA',
  });
  const digest = computeDigest({
    run,
    now: at('2026-03-30T08:00:00Z'),
    current: {
      incidents: [
        incident({
          number: 1,
          severity: 'sev1',
          declaredAt: at('2026-03-23T10:00:00Z'),
          resolvedAt: at('2026-03-23T11:00:00Z'),
          timeToAcknowledgeS: 120,
          timeToMitigateS: 600,
          timeToResolveS: 3600,
          hub: 'APAC',
        }),
        secret,
        incident({
          number: 3,
          declaredAt: at('2026-03-25T12:00:00Z'),
          resolvedAt: at('2026-03-25T14:00:00Z'),
          timeToAcknowledgeS: 60,
          timeToMitigateS: 60,
          timeToResolveS: 7200,
          hub: 'APAC',
        }),
      ],
      pages: [
        { userId: 'U0SGA0001', pagedAt: at('2026-03-23T10:00:30Z'), hub: 'APAC', timeZone: 'Asia/Singapore' },
        { userId: 'U0SGA0001', pagedAt: at('2026-03-25T03:00:00Z'), hub: 'APAC', timeZone: 'Asia/Singapore' },
        { userId: 'U0WEA0001', pagedAt: at('2026-03-28T10:00:00Z'), hub: 'Weekend', timeZone: 'Europe/Dublin' },
      ],
      clocks: [
        { kind: 'eu-tco-removal-order', name: 'EU TCO removal order', met: true },
        { kind: 'eu-tco-removal-order', name: 'EU TCO removal order', met: false },
        { kind: 'hotline', name: 'Hotline report', met: null },
      ],
    },
    before: {
      incidents: [
        incident({
          number: 9,
          severity: 'sev2',
          category: 'media-inquiry',
          declaredAt: at('2026-03-17T09:00:00Z'),
          timeToAcknowledgeS: 900,
          hub: 'AMER',
        }),
      ],
      pages: [{ userId: 'U0SGB0002', pagedAt: at('2026-03-17T20:00:00Z'), hub: 'APAC', timeZone: 'Asia/Singapore' }],
      clocks: [{ kind: 'eu-tco-removal-order', met: true }],
    },
    openOld: [incident({ number: 7, title: 'Old private', private: true, status: 'mitigated', declaredAt: at('2026-03-10T08:00:00Z') })],
  });

  it('counts incidents by severity, category and hub against the week before, the private one included', () => {
    expect(digest.total).toEqual({ key: 'incidents', now: 3, before: 1 });
    expect(digest.bySeverity).toEqual([
      { key: 'sev1', now: 2, before: 0 },
      { key: 'sev2', now: 0, before: 1 },
      { key: 'sev3', now: 1, before: 0 },
      { key: 'sev4', now: 0, before: 0 },
    ]);
    expect(digest.byCategory).toEqual([
      { key: 'harmful-trend', now: 2, before: 0 },
      { key: 'child-safety', now: 1, before: 0 },
      { key: 'media-inquiry', now: 0, before: 1 },
    ]);
    expect(digest.byHub).toEqual([
      { key: 'APAC', now: 2, before: 0 },
      { key: 'EMEA', now: 1, before: 0 },
      { key: 'AMER', now: 0, before: 1 },
    ]);
  });

  it('gives median and p90 of each response time, and clocks met and missed by kind', () => {
    expect(digest.times.acknowledge).toEqual({ now: { median: 120, p90: 264, count: 3 }, before: { median: 900, p90: 900, count: 1 } });
    expect(digest.times.mitigate.now).toEqual({ median: 330, p90: 546, count: 2 });
    expect(digest.times.resolve.now).toEqual({ median: 5400, p90: 6840, count: 2 });
    expect(digest.clocks).toEqual([
      {
        kind: 'eu-tco-removal-order',
        name: 'EU TCO removal order',
        met: { key: 'met', now: 1, before: 1 },
        missed: { key: 'missed', now: 1, before: 0 },
        running: { key: 'running', now: 0, before: 0 },
      },
      {
        kind: 'hotline',
        name: 'Hotline report',
        met: { key: 'met', now: 0, before: 0 },
        missed: { key: 'missed', now: 0, before: 0 },
        running: { key: 'running', now: 1, before: 0 },
      },
    ]);
  });

  it('when the digest is posted, then its Clocks section names each kind and says a running clock is running, not "met 0, missed 0"', () => {
    const message = digestMessage(digest, {
      severities: defaultMeridianConfig().severities,
      categories: defaultMeridianConfig().categories,
    });
    const clocks = (message.blocks as { text?: { text?: string } }[]).map((b) => b.text?.text ?? '').find((t) => t.startsWith('*Clocks*'));
    expect(clocks).toContain('• EU TCO removal order: met 1');
    expect(clocks).toContain('• Hotline report: 1 still running');
    expect(clocks).not.toContain('eu-tco-removal-order');
    expect(clocks).not.toContain('met 0');
  });

  it('counts pages per responder and out-of-hours pages per hub', () => {
    expect(digest.pagesPerResponder).toEqual([
      { userId: 'U0SGA0001', pages: 2, outOfHours: 1 },
      { userId: 'U0WEA0001', pages: 1, outOfHours: 1 },
    ]);
    expect(digest.outOfHoursByHub).toEqual([
      { key: 'APAC', now: 1, before: 1 },
      { key: 'Weekend', now: 1, before: 0 },
    ]);
  });

  it('lists the longest incidents and old open ones without naming the private ones', () => {
    expect(digest.longest.map((l) => [l.number, l.title, l.durationS])).toEqual([
      [3, 'Incident 3', 7200],
      [1, 'Incident 1', 3600],
      [2, null, 1800], // open: counted to the end of the week, 00:00 Monday Dublin summer time
    ]);
    expect(digest.openOld).toEqual([expect.objectContaining({ number: 7, title: null, private: true, status: 'mitigated' })]);
    expect(JSON.stringify(digest)).not.toContain('Secret name');
  });

  it('gives the chart seven local days (the DST Sunday included) and the median acknowledgement per hub', () => {
    expect(digest.perDay.map((d) => d.date)).toEqual([
      '2026-03-23',
      '2026-03-24',
      '2026-03-25',
      '2026-03-26',
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
    ]);
    expect(digest.perDay[0]?.bySeverity).toEqual({ sev1: 1, sev2: 0, sev3: 0, sev4: 0 });
    expect(digest.perDay[2]?.bySeverity).toEqual({ sev1: 0, sev2: 0, sev3: 1, sev4: 0 });
    expect(digest.perDay[6]?.bySeverity).toEqual({ sev1: 1, sev2: 0, sev3: 0, sev4: 0 });
    expect(digest.acknowledgeByHub).toEqual([
      { hub: 'APAC', medianS: 90 },
      { hub: 'EMEA', medianS: 300 },
    ]);
  });
});
