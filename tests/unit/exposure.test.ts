import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import {
  coverageEndsBetween,
  coveredMs,
  exposureByPerson,
  exposureMinutesToday,
  exposureVerdict,
  hubOfPerson,
  localDayOf,
  nextAwakeHub,
  recentFormerCommanders,
  type ExposureEntry,
  type SensitiveIncidentHistory,
} from '../../src/domain/exposure.js';
import { resolveSchedule, type Schedule } from '../../src/domain/schedule.js';

const t = (iso: string) => new Date(iso);
const ms = (iso: string) => Date.parse(iso);
const MIN = 60_000;

function exampleSchedules(): Schedule[] {
  const parsed = parseMeridianConfig(readFileSync('config/meridian.example.yaml', 'utf8'), 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config.schedules.map((s) => {
    const resolved = resolveSchedule(s, new Map());
    if (!resolved.ok) throw new Error('unresolved');
    return resolved.schedule;
  });
}

const entry = (at: string, kind: string, actorId: string | null, data: Record<string, unknown> = {}): ExposureEntry => ({
  at: t(at),
  kind,
  actorId,
  data,
});

describe('coveredMs', () => {
  it('merges overlapping and touching intervals and clips to the window', () => {
    const intervals = [
      { from: 0, to: 10 },
      { from: 5, to: 15 },
      { from: 15, to: 20 },
      { from: 30, to: 40 },
      { from: 35, to: 36 },
      { from: 90, to: 120 },
    ];
    expect(coveredMs(intervals, { from: 0, to: 100 })).toBe(20 + 10 + 10);
    expect(coveredMs(intervals, { from: 8, to: 32 })).toBe(12 + 2);
    expect(coveredMs([], { from: 0, to: 100 })).toBe(0);
  });
});

describe('exposureByPerson', () => {
  const history: SensitiveIncidentHistory = {
    incidentId: 'i1',
    endedAt: null,
    entries: [
      entry('2026-03-02T09:00:00Z', 'declared', 'UA'),
      entry('2026-03-02T09:30:00Z', 'role_assigned', 'UA', { role: 'scribe', userId: 'UB' }),
      entry('2026-03-02T10:00:00Z', 'role_assigned', 'UA', { role: 'commander', userId: 'UC' }),
      entry('2026-03-02T11:00:00Z', 'note', 'UB'),
      entry('2026-03-02T11:55:00Z', 'note', null),
    ],
  };

  it('the declarer commands until the role passes; each action counts 10 minutes; overlaps once', () => {
    const people = exposureByPerson([history], t('2026-03-02T12:00:00Z'));
    const window = { from: ms('2026-03-02T00:00:00Z'), to: ms('2026-03-03T00:00:00Z') };
    // UA: commander 09:00-10:00, then the 10:00 assignment's own 10 minutes.
    expect(coveredMs(people.get('UA')!.intervals, window) / MIN).toBe(70);
    expect(people.get('UA')!.holdingNow).toBe(false);
    // UB: scribe from 09:30 to now; the note falls inside it.
    expect(coveredMs(people.get('UB')!.intervals, window) / MIN).toBe(150);
    expect(coveredMs(people.get('UC')!.intervals, window) / MIN).toBe(120);
    expect(people.get('UC')!.holdingNow).toBe(true);
  });

  it('an ended incident stops the role time at its end, and nobody holds it any more', () => {
    const ended = { ...history, endedAt: t('2026-03-02T10:30:00Z') };
    const people = exposureByPerson([ended], t('2026-03-02T12:00:00Z'));
    const window = { from: 0, to: ms('2026-03-03T00:00:00Z') };
    expect(coveredMs(people.get('UC')!.intervals, window) / MIN).toBe(30);
    expect(people.get('UC')!.holdingNow).toBe(false);
    // The 11:00 note still counts its 10 minutes after the end.
    expect(coveredMs(people.get('UB')!.intervals, window) / MIN).toBe(60 + 10);
  });

  it('two incidents at the same time count once', () => {
    const second: SensitiveIncidentHistory = {
      incidentId: 'i2',
      endedAt: null,
      entries: [entry('2026-03-02T10:00:00Z', 'declared', 'UC')],
    };
    const people = exposureByPerson([history, second], t('2026-03-02T12:00:00Z'));
    expect(exposureMinutesToday(people.get('UC')!.intervals, t('2026-03-02T12:00:00Z'), 'UTC')).toBe(120);
  });
});

describe("today's exposure in the person's zone", () => {
  const heldSince = (iso: string) =>
    exposureByPerson([{ incidentId: 'i', endedAt: null, entries: [entry(iso, 'declared', 'UA')] }], t('2030-01-01T00:00:00Z')).get('UA')!
      .intervals;

  it('counts from local midnight: a shift from 23:00 seen at 01:00 is one hour today', () => {
    const intervals = heldSince('2026-03-02T23:00:00Z');
    expect(exposureMinutesToday(intervals, t('2026-03-03T01:00:00Z'), 'Europe/Dublin')).toBe(60);
    // In Singapore (UTC+8) 23:00Z was already 07:00 on the 3rd: all of it is today.
    expect(exposureMinutesToday(intervals, t('2026-03-03T01:00:00Z'), 'Asia/Singapore')).toBe(120);
  });

  it('a 23-hour day (Dublin springs forward on 29 March 2026) starts at 00:00 GMT and ends at 00:00 IST', () => {
    const day = localDayOf(t('2026-03-29T12:00:00Z'), 'Europe/Dublin');
    expect(day).toEqual({ from: ms('2026-03-29T00:00:00Z'), to: ms('2026-03-29T23:00:00Z'), date: '2026-03-29' });
    const intervals = heldSince('2026-03-28T23:30:00Z');
    // 00:00-02:00 UTC is two real hours, though the wall clock moved three.
    expect(exposureMinutesToday(intervals, t('2026-03-29T02:00:00Z'), 'Europe/Dublin')).toBe(120);
  });

  it('a 25-hour day (Los Angeles falls back on 1 November 2026)', () => {
    const day = localDayOf(t('2026-11-01T20:00:00Z'), 'America/Los_Angeles');
    expect(day).toEqual({ from: ms('2026-11-01T07:00:00Z'), to: ms('2026-11-02T08:00:00Z'), date: '2026-11-01' });
    expect(day.to - day.from).toBe(25 * 60 * MIN);
  });
});

describe('exposureVerdict', () => {
  const now = t('2026-03-02T12:00:00Z');
  const holding = { intervals: [{ from: ms('2026-03-02T10:30:00Z'), to: ms('2026-03-02T12:00:00Z') }], holdingNow: true };
  const base = { now, timeZone: 'UTC', thresholdMinutes: 120, nudgedToday: false };

  it('at the threshold: nudge, with the local date of the day', () => {
    expect(exposureVerdict({ ...base, exposure: holding, thresholdMinutes: 90 })).toEqual({
      kind: 'nudge',
      minutes: 90,
      date: '2026-03-02',
    });
  });

  it('below it and still holding a role: look again when the threshold could be reached', () => {
    expect(exposureVerdict({ ...base, exposure: holding })).toEqual({ kind: 'later', at: t('2026-03-02T12:30:00Z'), minutes: 90 });
  });

  it('below it with nothing growing: stop', () => {
    const past = { intervals: [{ from: ms('2026-03-02T09:00:00Z'), to: ms('2026-03-02T10:00:00Z') }], holdingNow: false };
    expect(exposureVerdict({ ...base, exposure: past })).toEqual({ kind: 'idle', minutes: 60 });
  });

  it('late in the day the next look is at local midnight, where the count starts again', () => {
    const late = exposureVerdict({ ...base, now: t('2026-03-02T23:30:00Z'), exposure: { intervals: [], holdingNow: true } });
    expect(late).toEqual({ kind: 'later', at: t('2026-03-03T00:00:00Z'), minutes: 0 });
  });

  it('nudged already today: not again before tomorrow', () => {
    expect(exposureVerdict({ ...base, exposure: holding, thresholdMinutes: 60, nudgedToday: true })).toEqual({
      kind: 'later',
      at: t('2026-03-03T00:00:00Z'),
      minutes: 90,
    });
  });
});

describe('nextAwakeHub (the example follow-the-sun schedule)', () => {
  const schedules = exampleSchedules();
  const hub = (userId: string) => hubOfPerson(schedules, userId);

  it("the person's hub comes from their layer", () => {
    expect(hub('U0SGA0001')).toMatchObject({ layerName: 'APAC', timeZone: 'Asia/Singapore' });
    expect(hub('U0NOBODY1')).toBeNull();
  });

  it('Monday 10:30 UTC, from APAC (whose day is over): Dublin is awake now', () => {
    const now = t('2026-03-02T10:30:00Z');
    expect(nextAwakeHub(schedules, now, { exclude: hub('U0SGA0001'), excludeUser: 'U0SGA0001' })).toMatchObject({
      layerName: 'EMEA',
      userId: 'U0DUC0003',
      from: now,
    });
  });

  it('from EMEA: the hub that starts soonest, Los Angeles at 09:00 PST (17:00 UTC)', () => {
    const choice = nextAwakeHub(schedules, t('2026-03-02T10:30:00Z'), { exclude: hub('U0DUC0003'), excludeUser: 'U0DUC0003' });
    expect(choice).toMatchObject({ layerName: 'AMER', userId: 'U0LAA0001', from: t('2026-03-02T17:00:00Z') });
  });

  it('across the US change to daylight time (8 March 2026) Los Angeles starts at 16:00 UTC, its new week on call', () => {
    const choice = nextAwakeHub(schedules, t('2026-03-09T10:30:00Z'), { exclude: hub('U0DUA0001'), excludeUser: 'U0DUA0001' });
    expect(choice).toMatchObject({ layerName: 'AMER', userId: 'U0LAB0002', from: t('2026-03-09T16:00:00Z') });
  });

  it('around midnight UTC, from Los Angeles (still in its Monday): Singapore, whose Tuesday starts at 01:00 UTC', () => {
    const choice = nextAwakeHub(schedules, t('2026-03-03T00:30:00Z'), { exclude: hub('U0LAA0001'), excludeUser: 'U0LAA0001' });
    expect(choice).toMatchObject({ layerName: 'APAC', userId: 'U0SGA0001', from: t('2026-03-03T01:00:00Z') });
  });

  it('someone on no layer is handed to whoever is awake; never to themselves', () => {
    expect(nextAwakeHub(schedules, t('2026-03-02T10:30:00Z'), { excludeUser: 'U0DECL001' })).toMatchObject({ userId: 'U0DUC0003' });
    // EMEA's on-call is the person: the next hub instead.
    expect(nextAwakeHub(schedules, t('2026-03-02T10:30:00Z'), { excludeUser: 'U0DUC0003' })).toMatchObject({ layerName: 'AMER' });
  });

  it('Saturday: the weekend layer is awake; nothing within a short horizon when no layer covers', () => {
    expect(nextAwakeHub(schedules, t('2026-03-07T12:00:00Z'), { excludeUser: 'U0DECL001' })).toMatchObject({ layerName: 'Weekend' });
    const weekdaysOnly = schedules.map((s) => ({ ...s, layers: s.layers.filter((l) => l.name !== 'Weekend') }));
    expect(nextAwakeHub(weekdaysOnly, t('2026-03-07T12:00:00Z'), { excludeUser: 'U0DECL001', horizonMs: 3_600_000 })).toBeNull();
  });

  it('an override covering the hub on duty replaces its on-call', () => {
    const [s] = schedules;
    const covered = { ...s!, overrides: [{ user: 'U0OVR0001', from: t('2026-03-02T08:00:00Z'), to: t('2026-03-02T12:00:00Z') }] };
    expect(nextAwakeHub([covered], t('2026-03-02T10:30:00Z'), { excludeUser: 'U0DECL001' })).toMatchObject({
      layerName: 'EMEA',
      userId: 'U0OVR0001',
    });
  });
});

describe('coverageEndsBetween', () => {
  it('lists each window end in the range, soonest first', () => {
    const ends = coverageEndsBetween(exampleSchedules(), t('2026-03-02T10:30:00Z'), t('2026-03-03T12:30:00Z'));
    expect(ends.map((e) => [e.layerName, e.endsAt.toISOString()])).toEqual([
      ['EMEA', '2026-03-02T18:00:00.000Z'],
      ['AMER', '2026-03-03T02:00:00.000Z'],
      ['APAC', '2026-03-03T10:00:00.000Z'],
    ]);
  });
});

describe('who a hand-over may go to', () => {
  const schedules = exampleSchedules();
  const hub = (userId: string) => hubOfPerson(schedules, userId);

  it('when the hand-over takes effect now and the next hub starts later (06:42 in Los Angeles), then nobody is offered', () => {
    const now = t('2026-03-02T14:42:00Z');
    expect(nextAwakeHub(schedules, now, { exclude: hub('U0DUC0003'), excludeUser: 'U0DUC0003', awakeBy: now })).toBeNull();
    // By the end of the EMEA day (18:00 UTC) Los Angeles is on duty (09:00 PST = 17:00 UTC).
    expect(
      nextAwakeHub(schedules, now, { exclude: hub('U0DUC0003'), excludeUser: 'U0DUC0003', awakeBy: t('2026-03-02T18:00:00Z') }),
    ).toMatchObject({ layerName: 'AMER', userId: 'U0LAA0001' });
  });

  it('when an override covers the hour two layers overlap, then the overridden person is not offered, the override is', () => {
    const [s] = schedules;
    const covered = { ...s!, overrides: [{ user: 'U0OVR0002', from: t('2026-03-02T09:00:00Z'), to: t('2026-03-02T10:00:00Z') }] };
    const choice = nextAwakeHub([covered], t('2026-03-02T09:30:00Z'), { exclude: hub('U0SGA0001'), excludeUser: 'U0SGA0001' });
    expect(choice).toMatchObject({ layerName: 'EMEA', userId: 'U0OVR0002' });
  });

  it('when someone handed the incident over lately, then it is not offered back to them (no ping-pong)', () => {
    const now = t('2026-03-02T10:30:00Z');
    const former = recentFormerCommanders(
      'U0DUC0003',
      [{ at: t('2026-03-02T10:00:00Z'), data: { role: 'commander', userId: 'U0SGA0001' } }],
      new Date(now.getTime() - 12 * 3_600_000),
    );
    expect(former).toEqual(['U0DUC0003']);
    const choice = nextAwakeHub(schedules, now, { exclude: hub('U0SGA0001'), excludeUser: 'U0SGA0001', excludeUsers: former });
    expect(choice?.userId).not.toBe('U0DUC0003');
    expect(choice).toMatchObject({ layerName: 'AMER' });
  });

  it('when the hand-over was long ago or back to the same person, then nobody is held back', () => {
    const changes = [
      { at: t('2026-03-01T08:00:00Z'), data: { role: 'commander', userId: 'U0B' } },
      { at: t('2026-03-02T10:00:00Z'), data: { role: 'scribe', userId: 'U0C' } },
    ];
    expect(recentFormerCommanders('U0A', changes, t('2026-03-02T00:00:00Z'))).toEqual([]);
    expect(
      recentFormerCommanders(
        'U0A',
        [{ at: t('2026-03-02T09:00:00Z'), data: { role: 'commander', userId: 'U0A' } }],
        t('2026-03-02T00:00:00Z'),
      ),
    ).toEqual([]);
  });
});
