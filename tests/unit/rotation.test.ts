import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { coverageGaps } from '../../src/domain/coverage-gaps.js';
import { handoffsBetween } from '../../src/domain/handoffs.js';
import type { Weekday } from '../../src/domain/local-time.js';
import { onCallLoad } from '../../src/domain/on-call-load.js';
import { onCallAt } from '../../src/domain/rotation.js';
import {
  emailsToResolve,
  resolveSchedule,
  type Layer,
  type Override,
  type Schedule,
  type ScheduleDefinition,
} from '../../src/domain/schedule.js';

const EVERY_DAY: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function time(hhmm: string): { hour: number; minute: number } {
  return { hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3, 5)) };
}

function layer(options: {
  name?: string;
  timeZone: string;
  members: string[];
  days?: Weekday[];
  from?: string;
  to?: string;
  every?: { count: number; unit: 'day' | 'week' };
  handoff?: string;
  starts?: string;
}): Layer {
  const [year, month, day] = (options.starts ?? '2026-01-05').split('-').map(Number) as [number, number, number];
  return {
    name: options.name ?? 'Hub',
    timeZone: options.timeZone,
    coverage: { days: options.days ?? EVERY_DAY, from: time(options.from ?? '00:00'), to: time(options.to ?? '00:00') },
    rotation: {
      members: options.members,
      every: options.every ?? { count: 1, unit: 'day' },
      handoff: time(options.handoff ?? '09:00'),
      starts: { year, month, day },
    },
  };
}

function schedule(layers: Layer[], overrides: Override[] = []): Schedule {
  return { id: 'test', name: 'Test', layers, overrides };
}

function exampleSchedule(): Schedule {
  const parsed = parseMeridianConfig(readFileSync('config/meridian.example.yaml', 'utf8'), 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const resolved = resolveSchedule(parsed.config.schedules[0]!, new Map());
  if (!resolved.ok) throw new Error('unresolved e-mails');
  return resolved.schedule;
}

const who = (s: Schedule, instant: string): string | null => onCallAt(s, new Date(instant))?.userId ?? null;
const iso = (dates: Date[]): string[] => dates.map((date) => date.toISOString());

describe('onCallAt on the follow-the-sun example', () => {
  const example = exampleSchedule();

  it('follows the sun from Singapore to Dublin to Los Angeles on a winter Monday', () => {
    expect(who(example, '2026-03-02T01:00:00Z')).toBe('U0SGA0001'); // 09:00 in Singapore
    expect(who(example, '2026-03-02T10:00:00Z')).toBe('U0DUC0003'); // 10:00 in Dublin
    expect(who(example, '2026-03-02T18:00:00Z')).toBe('U0LAA0001'); // 10:00 in Los Angeles
  });

  it('lets the first listed layer win where two overlap', () => {
    // 09:30 in Dublin is also 17:30 in Singapore: APAC is listed first.
    const onCall = onCallAt(example, new Date('2026-03-02T09:30:00Z'));
    expect(onCall?.reason).toMatchObject({ kind: 'layer', layerName: 'APAC' });
  });

  it('explains a layer answer with its zone and the bounds of the shift', () => {
    expect(onCallAt(example, new Date('2026-03-02T12:00:00Z'))).toEqual({
      userId: 'U0DUC0003',
      reason: {
        kind: 'layer',
        layerName: 'EMEA',
        timeZone: 'Europe/Dublin',
        shiftStart: new Date('2026-03-02T09:00:00Z'),
        shiftEnd: new Date('2026-03-02T18:00:00Z'),
      },
    });
  });

  it('rotates weekly: the next Monday brings the next member', () => {
    expect(who(example, '2026-03-09T12:00:00Z')).toBe('U0DUA0001');
    expect(who(example, '2026-03-16T12:00:00Z')).toBe('U0DUB0002');
  });

  it('hands the weekend to the weekend layer', () => {
    expect(who(example, '2026-03-07T12:00:00Z')).toBe('U0WEB0002');
    expect(who(example, '2026-03-14T12:00:00Z')).toBe('U0WEA0001');
  });

  it('puts an override above every layer', () => {
    expect(onCallAt(example, new Date('2026-12-25T12:00:00Z'))).toEqual({
      userId: 'U0OVR0001',
      reason: { kind: 'override', overrideIndex: 0 },
    });
    expect(who(example, '2026-12-27T09:00:00Z')).not.toBe('U0OVR0001');
  });

  it('finds nobody on Monday between the weekend and Singapore morning', () => {
    expect(onCallAt(example, new Date('2026-03-02T00:30:00Z'))).toBeNull();
  });
});

describe('onCallAt across daylight-saving changes', () => {
  const dublin = schedule([layer({ timeZone: 'Europe/Dublin', members: ['UA1', 'UB2'], starts: '2026-03-01' })]);

  it('hands off at 09:00 Dublin time on both sides of the spring change', () => {
    expect(who(dublin, '2026-03-28T08:59:00Z')).toBe('UA1'); // still the shift of 27 March, index 26
    expect(
      iso(handoffsBetween(dublin, new Date('2026-03-28T00:00:00Z'), new Date('2026-03-31T00:00:00Z')).map((handoff) => handoff.at)),
    ).toEqual(['2026-03-28T09:00:00.000Z', '2026-03-29T08:00:00.000Z', '2026-03-30T08:00:00.000Z']);
  });

  it('hands off at 09:00 Dublin time on both sides of the autumn change', () => {
    expect(
      iso(handoffsBetween(dublin, new Date('2026-10-24T00:00:00Z'), new Date('2026-10-27T00:00:00Z')).map((handoff) => handoff.at)),
    ).toEqual(['2026-10-24T08:00:00.000Z', '2026-10-25T09:00:00.000Z', '2026-10-26T09:00:00.000Z']);
  });

  it('moves a Los Angeles handoff at a missing 02:30 to 03:30 daylight time', () => {
    const la = schedule([layer({ timeZone: 'America/Los_Angeles', members: ['UA1', 'UB2'], handoff: '02:30', starts: '2026-03-01' })]);
    const at = handoffsBetween(la, new Date('2026-03-08T00:00:00Z'), new Date('2026-03-09T00:00:00Z'));
    expect(iso(at.map((handoff) => handoff.at))).toEqual(['2026-03-08T10:30:00.000Z']);
    expect(who(la, '2026-03-08T10:29:00Z')).toBe('UA1');
    expect(who(la, '2026-03-08T10:30:00Z')).toBe('UB2');
  });

  it('hands off a Los Angeles 01:30 handoff at the first 01:30 of 1 November', () => {
    const la = schedule([layer({ timeZone: 'America/Los_Angeles', members: ['UA1', 'UB2'], handoff: '01:30', starts: '2026-10-01' })]);
    const at = handoffsBetween(la, new Date('2026-11-01T00:00:00Z'), new Date('2026-11-02T00:00:00Z'));
    expect(iso(at.map((handoff) => handoff.at))).toEqual(['2026-11-01T08:30:00.000Z']);
  });

  it('keeps a Sydney 09:00-17:00 window at 09:00 local around the April and October changes', () => {
    const sydney = schedule([layer({ timeZone: 'Australia/Sydney', members: ['UA1'], from: '09:00', to: '17:00', starts: '2026-01-01' })]);
    const april = coverageGaps(sydney, new Date('2026-04-04T00:00:00Z'), new Date('2026-04-06T00:00:00Z'));
    expect(april.map((gap) => [gap.from.toISOString(), gap.to.toISOString()])).toEqual([
      ['2026-04-04T06:00:00.000Z', '2026-04-04T23:00:00.000Z'], // 17:00 AEDT to 09:00 AEST
      ['2026-04-05T07:00:00.000Z', '2026-04-05T23:00:00.000Z'],
    ]);
    const october = coverageGaps(sydney, new Date('2026-10-03T00:00:00Z'), new Date('2026-10-05T00:00:00Z'));
    expect(october.map((gap) => [gap.from.toISOString(), gap.to.toISOString()])).toEqual([
      ['2026-10-03T07:00:00.000Z', '2026-10-03T22:00:00.000Z'], // 17:00 AEST to 09:00 AEDT
      ['2026-10-04T06:00:00.000Z', '2026-10-04T22:00:00.000Z'],
    ]);
  });

  it('lets a Dublin night window that crosses the autumn change last nine hours', () => {
    const nights = schedule([layer({ timeZone: 'Europe/Dublin', members: ['UA1'], from: '22:00', to: '06:00', handoff: '22:00' })]);
    const onCall = onCallAt(nights, new Date('2026-10-25T05:30:00Z'));
    expect(onCall?.reason).toMatchObject({
      shiftStart: new Date('2026-10-24T21:00:00Z'),
      shiftEnd: new Date('2026-10-25T06:00:00Z'),
    });
  });

  it('keeps Kolkata windows at their half-hour UTC offset', () => {
    const kolkata = schedule([layer({ timeZone: 'Asia/Kolkata', members: ['UA1'], from: '09:00', to: '18:00', days: ['mon'] })]);
    expect(who(kolkata, '2026-03-02T03:29:00Z')).toBeNull();
    expect(who(kolkata, '2026-03-02T03:30:00Z')).toBe('UA1');
    expect(who(kolkata, '2026-03-02T12:29:00Z')).toBe('UA1');
    expect(who(kolkata, '2026-03-02T12:30:00Z')).toBeNull();
  });

  it('keeps Singapore windows at the same UTC time in January and July', () => {
    const singapore = schedule([layer({ timeZone: 'Asia/Singapore', members: ['UA1'], from: '09:00', to: '18:00' })]);
    for (const day of ['2026-01-15', '2026-07-15']) {
      expect(who(singapore, `${day}T00:59:00Z`)).toBeNull();
      expect(who(singapore, `${day}T01:00:00Z`)).toBe('UA1');
    }
  });
});

describe('rotations', () => {
  it('has nobody before the first handoff and the first member from it', () => {
    const late = schedule([layer({ timeZone: 'Europe/Dublin', members: ['UA1', 'UB2'], starts: '2026-06-01' })]);
    expect(who(late, '2026-06-01T07:59:00Z')).toBeNull();
    expect(who(late, '2026-06-01T08:00:00Z')).toBe('UA1');
  });

  it('counts a three-day rotation in local calendar days', () => {
    const threeDays = schedule([
      layer({
        timeZone: 'America/Los_Angeles',
        members: ['UA1', 'UB2', 'UC3'],
        every: { count: 3, unit: 'day' },
        starts: '2026-03-01',
      }),
    ]);
    expect(who(threeDays, '2026-03-04T16:59:00Z')).toBe('UA1'); // 08:59 PST on day 3
    expect(who(threeDays, '2026-03-04T17:00:00Z')).toBe('UB2');
    expect(who(threeDays, '2026-03-07T17:00:00Z')).toBe('UC3');
    expect(who(threeDays, '2026-03-10T15:59:00Z')).toBe('UC3'); // 08:59 PDT, after the change
    expect(who(threeDays, '2026-03-10T16:00:00Z')).toBe('UA1');
  });

  it('ends a shift at the handoff when the handoff falls inside a window', () => {
    const midday = schedule([layer({ timeZone: 'Asia/Singapore', members: ['UA1', 'UB2'], from: '09:00', to: '18:00', handoff: '13:00' })]);
    expect(onCallAt(midday, new Date('2026-01-06T02:00:00Z'))?.reason).toMatchObject({
      shiftStart: new Date('2026-01-06T01:00:00Z'),
      shiftEnd: new Date('2026-01-06T05:00:00Z'),
    });
  });

  it('lets the first of two overlapping overrides win', () => {
    const covered = schedule(
      [layer({ timeZone: 'Asia/Singapore', members: ['UA1'] })],
      [
        { user: 'UOV1', from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-02-03T00:00:00Z') },
        { user: 'UOV2', from: new Date('2026-02-02T00:00:00Z'), to: new Date('2026-02-04T00:00:00Z') },
      ],
    );
    expect(who(covered, '2026-02-02T12:00:00Z')).toBe('UOV1');
    expect(who(covered, '2026-02-03T12:00:00Z')).toBe('UOV2');
    expect(who(covered, '2026-02-04T00:00:00Z')).toBe('UA1');
  });
});

describe('handoffsBetween', () => {
  const example = exampleSchedule();

  it('lists every change of person on the example in one winter weekday, in order', () => {
    const handoffs = handoffsBetween(example, new Date('2026-03-02T00:00:00Z'), new Date('2026-03-03T00:00:00Z'));
    expect(handoffs.map((h) => [h.at.toISOString(), h.layerName, h.fromUser, h.toUser])).toEqual([
      ['2026-03-02T00:00:00.000Z', 'Weekend', 'U0WEA0001', null],
      ['2026-03-02T01:00:00.000Z', 'APAC', null, 'U0SGA0001'],
      ['2026-03-02T10:00:00.000Z', 'EMEA', 'U0SGA0001', 'U0DUC0003'],
      ['2026-03-02T18:00:00.000Z', 'AMER', 'U0DUC0003', 'U0LAA0001'],
    ]);
  });

  it('reports overrides starting and ending', () => {
    const handoffs = handoffsBetween(example, new Date('2026-12-24T12:00:00Z'), new Date('2026-12-27T12:00:00Z'));
    expect(
      handoffs.filter((h) => h.fromUser === 'U0OVR0001' || h.toUser === 'U0OVR0001').map((h) => [h.at.toISOString(), h.fromUser, h.toUser]),
    ).toEqual([
      ['2026-12-24T17:00:00.000Z', 'U0DUC0003', 'U0OVR0001'],
      ['2026-12-27T09:00:00.000Z', 'U0OVR0001', 'U0WEB0002'],
    ]);
  });

  it('skips a boundary where the same person stays on call', () => {
    const twoHubs = schedule([
      layer({ name: 'Early', timeZone: 'Europe/Dublin', members: ['UA1'], from: '06:00', to: '12:00', handoff: '06:00' }),
      layer({ name: 'Late', timeZone: 'Europe/Dublin', members: ['UA1'], from: '12:00', to: '18:00', handoff: '12:00' }),
    ]);
    const handoffs = handoffsBetween(twoHubs, new Date('2026-01-12T00:00:00Z'), new Date('2026-01-13T00:00:00Z'));
    expect(iso(handoffs.map((h) => h.at))).toEqual(['2026-01-12T06:00:00.000Z', '2026-01-12T18:00:00.000Z']);
  });

  it('includes a change exactly at the start and excludes one exactly at the end', () => {
    const handoffs = handoffsBetween(example, new Date('2026-03-02T01:00:00Z'), new Date('2026-03-02T10:00:00Z'));
    expect(iso(handoffs.map((h) => h.at))).toEqual(['2026-03-02T01:00:00.000Z']);
  });
});

describe('coverageGaps', () => {
  const example = exampleSchedule();

  it('finds the Monday gap of the example, an hour longer once Dublin is on summer time', () => {
    const gaps = coverageGaps(example, new Date('2026-03-16T00:00:00Z'), new Date('2026-04-07T00:00:00Z'));
    expect(gaps.map((gap) => [gap.from.toISOString(), gap.to.toISOString()])).toEqual([
      ['2026-03-16T00:00:00.000Z', '2026-03-16T01:00:00.000Z'],
      ['2026-03-23T00:00:00.000Z', '2026-03-23T01:00:00.000Z'],
      ['2026-03-29T23:00:00.000Z', '2026-03-30T01:00:00.000Z'],
      ['2026-04-05T23:00:00.000Z', '2026-04-06T01:00:00.000Z'],
    ]);
  });

  it('clips a gap to the range asked about', () => {
    const gaps = coverageGaps(example, new Date('2026-03-16T00:30:00Z'), new Date('2026-03-16T12:00:00Z'));
    expect(gaps).toEqual([{ from: new Date('2026-03-16T00:30:00Z'), to: new Date('2026-03-16T01:00:00Z') }]);
  });
});

describe('onCallLoad', () => {
  it('counts shifts, hours and out-of-hours hours per person over four weeks of the example', () => {
    const load = onCallLoad(exampleSchedule(), new Date('2026-03-02T00:00:00Z'), new Date('2026-03-30T00:00:00Z'));
    const byUser = new Map(load.map((entry) => [entry.userId, entry]));
    expect(byUser.get('U0SGA0001')).toEqual({ userId: 'U0SGA0001', shifts: 10, hours: 90, outOfHoursHours: 0 });
    expect(byUser.get('U0DUA0001')).toMatchObject({ shifts: 5, hours: 40, outOfHoursHours: 0 });
    expect(byUser.get('U0WEA0001')?.outOfHoursHours).toBe(byUser.get('U0WEA0001')?.hours);
    expect(load.map((entry) => entry.userId)).toHaveLength(9);
  });

  it("measures out-of-hours time in the layer zone and an override in the person's home zone", () => {
    const nights = schedule(
      [layer({ timeZone: 'Asia/Kolkata', members: ['UA1', 'UB2'], from: '09:00', to: '21:00', every: { count: 1, unit: 'week' } })],
      [{ user: 'UB2', from: new Date('2026-01-05T03:30:00Z'), to: new Date('2026-01-05T04:30:00Z') }],
    );
    // Monday 5 January 2026 in Kolkata: UB2 covers 09:00-10:00, UA1 10:00-21:00.
    const load = onCallLoad(nights, new Date('2026-01-05T00:00:00Z'), new Date('2026-01-06T00:00:00Z'));
    expect(load).toEqual([
      { userId: 'UA1', shifts: 1, hours: 11, outOfHoursHours: 3 },
      { userId: 'UB2', shifts: 1, hours: 1, outOfHoursHours: 0 },
    ]);
  });
});

describe('resolving e-mails before the maths', () => {
  const dublin = layer({ timeZone: 'Europe/Dublin', members: [] });
  const definition: ScheduleDefinition = {
    id: 'd',
    name: 'D',
    layers: [
      {
        ...dublin,
        rotation: {
          ...dublin.rotation,
          members: [
            { kind: 'user', userId: 'UA1' },
            { kind: 'email', email: 'b@example.com' },
          ],
        },
      },
    ],
    overrides: [{ user: { kind: 'email', email: 'c@example.com' }, from: new Date(0), to: new Date(1) }],
  };

  it('lists each e-mail to look up once', () => {
    expect(emailsToResolve(definition)).toEqual(['b@example.com', 'c@example.com']);
  });

  it('swaps e-mails for user ids, or names the ones it could not resolve', () => {
    const resolved = resolveSchedule(
      definition,
      new Map([
        ['b@example.com', 'UB2'],
        ['c@example.com', 'UC3'],
      ]),
    );
    expect(resolved.ok && resolved.schedule.layers[0]?.rotation.members).toEqual(['UA1', 'UB2']);
    expect(resolved.ok && resolved.schedule.overrides[0]?.user).toBe('UC3');
    expect(resolveSchedule(definition, new Map([['b@example.com', 'UB2']]))).toEqual({ ok: false, unresolvedEmails: ['c@example.com'] });
  });
});
