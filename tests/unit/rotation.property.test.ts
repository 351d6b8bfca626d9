import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverageGaps } from '../../src/domain/coverage-gaps.js';
import { handoffsBetween } from '../../src/domain/handoffs.js';
import { handoffEpochMs } from '../../src/domain/layer-shift.js';
import { localDateTimeOf, offsetMsAt, WEEKDAYS, zonedLocalToUtc, type Weekday } from '../../src/domain/local-time.js';
import { onCallLoad } from '../../src/domain/on-call-load.js';
import { onCallAt } from '../../src/domain/rotation.js';
import type { Layer, Schedule } from '../../src/domain/schedule.js';

const ZONES = ['Europe/Dublin', 'America/Los_Angeles', 'Australia/Sydney', 'Asia/Singapore', 'Asia/Kolkata'];
const DAY_MS = 86_400_000;
const FROM_2025 = Date.UTC(2025, 0, 1);
const TO_2028 = Date.UTC(2028, 0, 1);

const instantArb = fc.integer({ min: FROM_2025, max: TO_2028 }).map((ms) => new Date(ms));
const zoneArb = fc.constantFrom(...ZONES);
// Times away from the small hours, where a window could fall inside a daylight-saving gap and vanish.
const timeArb = fc.oneof(
  fc.constant({ hour: 0, minute: 0 }),
  fc.record({ hour: fc.integer({ min: 4, max: 23 }), minute: fc.constantFrom(0, 15, 30, 45) }),
);
const startsArb = fc.record({
  year: fc.constantFrom(2025, 2026),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 28 }),
});
const periodArb = fc.oneof(
  fc.record({ count: fc.integer({ min: 1, max: 4 }), unit: fc.constant('day' as const) }),
  fc.record({ count: fc.integer({ min: 1, max: 2 }), unit: fc.constant('week' as const) }),
);

function membersArb(prefix: string): fc.Arbitrary<string[]> {
  return fc.integer({ min: 1, max: 5 }).map((n) => Array.from({ length: n }, (_, i) => `U${prefix}${i}`));
}

/** A layer on duty at any time: windows of a whole local day, every day of the week. */
const wholeWeekLayerArb: fc.Arbitrary<Layer> = fc
  .record({ timeZone: zoneArb, at: timeArb, members: membersArb('BASE'), every: periodArb, handoff: timeArb })
  .map(({ timeZone, at, members, every, handoff }) => ({
    name: 'Base',
    timeZone,
    coverage: { days: [...WEEKDAYS], from: at, to: at },
    rotation: { members, every, handoff, starts: { year: 2024, month: 12, day: 1 } },
  }));

const partialLayerArb = (name: string): fc.Arbitrary<Layer> =>
  fc
    .record({
      timeZone: zoneArb,
      from: timeArb,
      to: timeArb,
      members: membersArb(name),
      days: fc.subarray([...WEEKDAYS] as Weekday[], { minLength: 1 }),
      every: periodArb,
      handoff: timeArb,
      starts: startsArb,
    })
    .map(({ timeZone, from, to, members, days, every, handoff, starts }) => ({
      name,
      timeZone,
      coverage: { days, from, to },
      rotation: { members, every, handoff, starts },
    }));

const coveringScheduleArb: fc.Arbitrary<Schedule> = fc
  .tuple(fc.array(partialLayerArb('HUB'), { maxLength: 3 }), wholeWeekLayerArb)
  .map(([hubs, base]) => ({ id: 's', name: 'S', layers: [...hubs, base], overrides: [] }));

describe('rotation properties', () => {
  it('finds exactly one person on call at any instant when the layers cover the whole week', () => {
    fc.assert(
      fc.property(coveringScheduleArb, instantArb, (schedule, instant) => {
        const onCall = onCallAt(schedule, instant);
        expect(onCall).not.toBeNull();
        expect(coverageGaps(schedule, instant, new Date(instant.getTime() + 3 * DAY_MS))).toEqual([]);
      }),
    );
  });

  it('places every instant inside the shift that explains it', () => {
    fc.assert(
      fc.property(coveringScheduleArb, instantArb, (schedule, instant) => {
        const reason = onCallAt(schedule, instant)?.reason;
        if (reason?.kind !== 'layer') return;
        expect(reason.shiftStart.getTime()).toBeLessThanOrEqual(instant.getTime());
        expect(reason.shiftEnd.getTime()).toBeGreaterThan(instant.getTime());
      }),
    );
  });

  it('gives every member the same number of shifts over a whole cycle', () => {
    // A weekly period repeats the coverage pattern; a daily one needs coverage every day too.
    const fairLayerArb = partialLayerArb('M').chain((layer) =>
      layer.rotation.every.unit === 'week'
        ? fc.constant(layer)
        : fc.constant({ ...layer, coverage: { ...layer.coverage, days: [...WEEKDAYS] } }),
    );
    fc.assert(
      fc.property(fairLayerArb, fc.integer({ min: 0, max: 40 }), (layer, firstIndex) => {
        const schedule: Schedule = { id: 's', name: 'S', layers: [layer], overrides: [] };
        const members = layer.rotation.members.length;
        const from = new Date(handoffEpochMs(layer, firstIndex));
        const to = new Date(handoffEpochMs(layer, firstIndex + members));
        const shifts = onCallLoad(schedule, from, to).map((entry) => entry.shifts);
        expect(new Set(shifts).size).toBe(1);
      }),
      { numRuns: 200 },
    );
  });

  it('changes the answer only inside an override when the override is added', () => {
    const overrideArb = fc.record({
      start: fc.integer({ min: FROM_2025, max: TO_2028 }),
      length: fc.integer({ min: 60_000, max: 5 * DAY_MS }),
    });
    fc.assert(
      fc.property(coveringScheduleArb, overrideArb, fc.array(instantArb, { maxLength: 20 }), (schedule, { start, length }, probes) => {
        const override = { user: 'UOVERRIDE', from: new Date(start), to: new Date(start + length) };
        const withOverride: Schedule = { ...schedule, overrides: [override, ...schedule.overrides] };
        const near = [start - 1, start, start + length - 1, start + length].map((ms) => new Date(ms));
        for (const instant of [...probes, ...near]) {
          const inside = instant >= override.from && instant < override.to;
          const expected = inside ? 'UOVERRIDE' : onCallAt(schedule, instant)?.userId;
          expect(onCallAt(withOverride, instant)?.userId).toBe(expected);
        }
        const before = new Date(start - 2 * DAY_MS);
        const outside = (h: { at: Date }): boolean => h.at < override.from || h.at > override.to;
        expect(handoffsBetween(withOverride, before, override.from)).toEqual(handoffsBetween(schedule, before, override.from));
        expect(handoffsBetween(withOverride, before, new Date(start + length + 2 * DAY_MS)).filter(outside)).toEqual(
          handoffsBetween(schedule, before, new Date(start + length + 2 * DAY_MS)).filter(outside),
        );
      }),
      { numRuns: 100 },
    );
  });
});

describe('local time properties', () => {
  it('turns the local wall time of any instant back into it, or into its first occurrence', () => {
    fc.assert(
      fc.property(zoneArb, instantArb, (timeZone, instant) => {
        const wholeMinute = Math.floor(instant.getTime() / 60_000) * 60_000;
        const local = localDateTimeOf(wholeMinute, timeZone);
        const back = zonedLocalToUtc(local, local, timeZone).getTime();
        // Equal, or an hour earlier when the instant is the second pass through a repeated hour.
        expect([0, 3_600_000]).toContain(wholeMinute - back);
        const again = localDateTimeOf(back, timeZone);
        expect([again.hour, again.minute]).toEqual([local.hour, local.minute]);
      }),
      { numRuns: 500 },
    );
  });

  it('caches offsets without ever disagreeing with Intl', () => {
    const offsetByIntl = (epochMs: number, timeZone: string): number => {
      const text = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).format(epochMs);
      const match = /GMT([+-])(\d{2}):(\d{2})/.exec(text);
      if (!match) return 0; // plain "GMT"
      const minutes = Number(match[2]) * 60 + Number(match[3]);
      return (match[1] === '-' ? -minutes : minutes) * 60_000;
    };
    const nearTransitionArb = fc
      .tuple(
        fc.constantFrom(
          Date.UTC(2026, 2, 29, 1),
          Date.UTC(2026, 9, 25, 1),
          Date.UTC(2026, 2, 8, 10),
          Date.UTC(2026, 10, 1, 9),
          Date.UTC(2026, 3, 4, 16),
          Date.UTC(2026, 9, 3, 16),
        ),
        fc.integer({ min: -7_200_000, max: 7_200_000 }),
      )
      .map(([transition, delta]) => transition + delta);
    fc.assert(
      fc.property(
        zoneArb,
        fc.oneof(
          nearTransitionArb,
          instantArb.map((date) => date.getTime()),
        ),
        (timeZone, epochMs) => {
          expect(offsetMsAt(epochMs, timeZone)).toBe(offsetByIntl(epochMs, timeZone));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
