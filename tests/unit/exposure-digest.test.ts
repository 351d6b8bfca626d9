import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { digestMessage } from '../../src/blocks/digest.js';
import { DEFAULT_CATEGORIES, DEFAULT_SEVERITIES } from '../../src/config-file/defaults.js';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { computeDigest, type DigestPeriodRecords } from '../../src/domain/digest.js';
import { digestChartOption } from '../../src/domain/digest-chart.js';
import { type ExposureEntry, exposureByPerson, hubOfPerson, type SensitiveIncidentHistory } from '../../src/domain/exposure.js';
import { resolveSchedule } from '../../src/domain/schedule.js';

const t = (iso: string) => new Date(iso);
const entry = (at: string, kind: string, actorId: string, data: Record<string, unknown> = {}): ExposureEntry => ({
  at: t(at),
  kind,
  actorId,
  data,
});

const parsed = parseMeridianConfig(readFileSync('config/meridian.example.yaml', 'utf8'), 'yaml');
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const schedules = parsed.config.schedules.map((s) => {
  const r = resolveSchedule(s, new Map());
  if (!r.ok) throw new Error('unresolved');
  return r.schedule;
});

/**
 * A seeded week (23-30 March 2026, UTC days) and the week before:
 * - A: U0DUA0001 (EMEA) declares at 09:00 on the 24th and hands commander to U0SGA0001 (APAC) at
 *   11:30; U0LAA0001 (AMER) notes at 12:00 and 13:00; U0DECL001 (no hub) notes at 12:00; resolved 14:00.
 * - B: U0DUB0002 (EMEA) declares at 23:00 on the 22nd, resolved 01:00 on the 23rd: one hour each side.
 */
const histories: SensitiveIncidentHistory[] = [
  {
    incidentId: 'A',
    endedAt: t('2026-03-24T14:00:00Z'),
    entries: [
      entry('2026-03-24T09:00:00Z', 'declared', 'U0DUA0001'),
      entry('2026-03-24T11:30:00Z', 'role_assigned', 'U0DUA0001', { role: 'commander', userId: 'U0SGA0001' }),
      entry('2026-03-24T12:00:00Z', 'note', 'U0LAA0001'),
      entry('2026-03-24T13:00:00Z', 'note', 'U0LAA0001'),
      entry('2026-03-24T12:00:00Z', 'note', 'U0DECL001'),
    ],
  },
  { incidentId: 'B', endedAt: t('2026-03-23T01:00:00Z'), entries: [entry('2026-03-22T23:00:00Z', 'declared', 'U0DUB0002')] },
];

describe('exposure hours per hub in the digest', () => {
  const now = t('2026-03-30T09:00:00Z');
  const exposure = [...exposureByPerson(histories, now)].map(([userId, e]) => ({
    hub: hubOfPerson(schedules, userId)?.layerName ?? null,
    intervals: e.intervals,
  }));
  const records = (withExposure: boolean): DigestPeriodRecords => ({
    incidents: [],
    pages: [],
    clocks: [],
    ...(withExposure ? { exposure } : {}),
  });
  const digest = computeDigest({
    run: {
      cadence: 'range',
      period: { from: t('2026-03-23T00:00:00Z'), to: t('2026-03-30T00:00:00Z') },
      previous: { from: t('2026-03-16T00:00:00Z'), to: t('2026-03-23T00:00:00Z') },
      timeZone: 'UTC',
    },
    current: records(true),
    before: records(true),
    openOld: [],
    now,
  });

  it('matches the hand-computed sums: each person merged, summed per hub, one decimal', () => {
    // EMEA: U0DUA0001 09:00-11:40 (160 min, the hand-over's own 10 min included) + U0DUB0002 00:00-01:00 (60) = 220 min.
    // APAC: 11:30-14:00 = 150 min. AMER: two notes, 20 min. No hub: one note, 10 min. Before: B's 23:00-00:00.
    expect(digest.exposureHoursByHub).toEqual([
      { key: 'EMEA', now: 3.7, before: 1 },
      { key: 'APAC', now: 2.5, before: 0 },
      { key: 'AMER', now: 0.3, before: 0 },
      { key: 'No hub', now: 0.2, before: 0 },
    ]);
  });

  it('is shown per hub with hours, never per person', () => {
    const message = digestMessage(digest, { severities: DEFAULT_SEVERITIES, categories: DEFAULT_CATEGORIES });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('*Time on sensitive incidents per hub*');
    expect(text).toContain('• EMEA: 3.7 h (▲2.7 from 1.0)');
    expect(text).toContain('• APAC: 2.5 h (▲2.5 from 0.0)');
    expect(text).not.toMatch(/U0DUA0001|U0SGA0001|U0LAA0001|U0DECL001/);
  });

  it('leaves the chart as it was (its numbers are the digest’s own)', () => {
    const option = digestChartOption(digest);
    expect(option.series.every((s) => s.data.every((n) => Number.isFinite(n)))).toBe(true);
  });

  it('without exposure records the section says none', () => {
    const bare = computeDigest({
      run: digest,
      current: records(false),
      before: records(false),
      openOld: [],
      now,
    });
    expect(bare.exposureHoursByHub).toEqual([]);
    expect(JSON.stringify(digestMessage(bare, { severities: DEFAULT_SEVERITIES, categories: DEFAULT_CATEGORIES }).blocks)).toContain(
      '*Time on sensitive incidents per hub*\\n_none_',
    );
  });
});
