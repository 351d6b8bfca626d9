import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITIES } from '../../src/config-file/defaults.js';
import { SEVERITIES } from '../../src/domain/severity.js';
import {
  DEFAULT_UPDATE_EVERY_MINUTES,
  nextUpdateDue,
  replanOnSeverityChange,
  updateEveryMinutesFor,
} from '../../src/domain/update-cadence.js';

const declaredAt = new Date('2026-03-02T12:00:00Z');
const at = (iso: string) => new Date(iso);

describe('updateEveryMinutesFor', () => {
  it('defaults to 30, 60 and 240 minutes for SEV1 to SEV3 and none for SEV4', () => {
    expect(SEVERITIES.map((s) => updateEveryMinutesFor(s))).toEqual([30, 60, 240, null]);
  });

  it('agrees with the config file defaults', () => {
    for (const severity of SEVERITIES) {
      expect(DEFAULT_UPDATE_EVERY_MINUTES[severity]).toBe(DEFAULT_SEVERITIES[severity].updateEveryMinutes);
    }
  });

  it('uses the configured cadence, including an explicit none', () => {
    const severities = { sev1: { updateEveryMinutes: 15 }, sev2: { updateEveryMinutes: null } };
    expect(updateEveryMinutesFor('sev1', severities)).toBe(15);
    expect(updateEveryMinutesFor('sev2', severities)).toBeNull();
    expect(updateEveryMinutesFor('sev3', severities)).toBe(240);
  });
});

describe('nextUpdateDue', () => {
  it('is one cadence after the declaration when nobody has posted an update', () => {
    expect(nextUpdateDue({ updateEveryMinutes: 30, lastUpdateAt: declaredAt, now: declaredAt })).toEqual(at('2026-03-02T12:30:00Z'));
  });

  it('is one cadence after the last update', () => {
    const now = at('2026-03-02T13:05:00Z');
    expect(nextUpdateDue({ updateEveryMinutes: 60, lastUpdateAt: at('2026-03-02T13:00:00Z'), now })).toEqual(at('2026-03-02T14:00:00Z'));
  });

  it('is now when the update is already overdue', () => {
    const now = at('2026-03-02T13:10:00Z');
    expect(nextUpdateDue({ updateEveryMinutes: 30, lastUpdateAt: declaredAt, now })).toEqual(now);
  });

  it('is exactly the due time when now is the due time', () => {
    const now = at('2026-03-02T12:30:00Z');
    expect(nextUpdateDue({ updateEveryMinutes: 30, lastUpdateAt: declaredAt, now })).toEqual(now);
  });

  it('counts from the last reminder when it came after the last update', () => {
    const now = at('2026-03-02T12:31:00Z');
    const lastReminderAt = at('2026-03-02T12:30:00Z');
    expect(nextUpdateDue({ updateEveryMinutes: 30, lastUpdateAt: declaredAt, lastReminderAt, now })).toEqual(at('2026-03-02T13:00:00Z'));
  });

  it('counts from the last update when it came after the last reminder', () => {
    const now = at('2026-03-02T12:45:00Z');
    const args = { updateEveryMinutes: 30, lastUpdateAt: at('2026-03-02T12:40:00Z'), lastReminderAt: at('2026-03-02T12:30:00Z'), now };
    expect(nextUpdateDue(args)).toEqual(at('2026-03-02T13:10:00Z'));
  });

  it('is null when the severity asks for no updates', () => {
    expect(nextUpdateDue({ updateEveryMinutes: null, lastUpdateAt: declaredAt, now: declaredAt })).toBeNull();
  });

  it('accepts fractional minutes', () => {
    expect(nextUpdateDue({ updateEveryMinutes: 0.5, lastUpdateAt: declaredAt, now: declaredAt })).toEqual(at('2026-03-02T12:00:30Z'));
  });

  it('refuses a cadence that is zero, negative or not a number', () => {
    for (const bad of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => nextUpdateDue({ updateEveryMinutes: bad, lastUpdateAt: declaredAt, now: declaredAt })).toThrow(RangeError);
    }
  });

  it('refuses invalid dates', () => {
    const bad = new Date(Number.NaN);
    expect(() => nextUpdateDue({ updateEveryMinutes: 30, lastUpdateAt: bad, now: declaredAt })).toThrow(/lastUpdateAt/);
    expect(() => nextUpdateDue({ updateEveryMinutes: 30, lastUpdateAt: declaredAt, now: bad })).toThrow(/now/);
    expect(() => nextUpdateDue({ updateEveryMinutes: 30, lastUpdateAt: declaredAt, lastReminderAt: bad, now: declaredAt })).toThrow(
      /lastReminderAt/,
    );
  });

  it('is never before now and never later than one cadence after now', () => {
    const instant = fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 });
    fc.assert(
      fc.property(instant, instant, fc.integer({ min: 1, max: 10_000 }), (last, now, minutes) => {
        const lastUpdateAt = new Date(Math.min(last, now));
        const due = nextUpdateDue({ updateEveryMinutes: minutes, lastUpdateAt, now: new Date(now) });
        expect(due).not.toBeNull();
        expect(due!.getTime()).toBeGreaterThanOrEqual(now);
        expect(due!.getTime()).toBeLessThanOrEqual(now + minutes * 60_000);
      }),
    );
  });
});

describe('replanOnSeverityChange', () => {
  it('makes an update due now when raising SEV3 to SEV1 two hours after the last update', () => {
    const now = at('2026-03-02T14:00:00Z');
    expect(replanOnSeverityChange({ from: 'sev3', to: 'sev1', lastUpdateAt: declaredAt, now })).toEqual({
      updateEveryMinutes: 30,
      dueAt: now,
      changed: true,
    });
  });

  it('brings the reminder forward when raising SEV2 to SEV1 soon after an update', () => {
    const now = at('2026-03-02T12:10:00Z');
    expect(replanOnSeverityChange({ from: 'sev2', to: 'sev1', lastUpdateAt: declaredAt, now })).toEqual({
      updateEveryMinutes: 30,
      dueAt: at('2026-03-02T12:30:00Z'),
      changed: true,
    });
  });

  it('pushes the reminder out when lowering SEV1 to SEV3', () => {
    const now = at('2026-03-02T12:20:00Z');
    expect(replanOnSeverityChange({ from: 'sev1', to: 'sev3', lastUpdateAt: declaredAt, now })).toEqual({
      updateEveryMinutes: 240,
      dueAt: at('2026-03-02T16:00:00Z'),
      changed: true,
    });
  });

  it('drops reminders when lowering to SEV4', () => {
    const now = at('2026-03-02T12:20:00Z');
    expect(replanOnSeverityChange({ from: 'sev2', to: 'sev4', lastUpdateAt: declaredAt, now })).toEqual({
      updateEveryMinutes: null,
      dueAt: null,
      changed: true,
    });
  });

  it('starts reminders when raising SEV4, counting from the last update', () => {
    const now = at('2026-03-02T12:20:00Z');
    expect(replanOnSeverityChange({ from: 'sev4', to: 'sev3', lastUpdateAt: declaredAt, now })).toEqual({
      updateEveryMinutes: 240,
      dueAt: at('2026-03-02T16:00:00Z'),
      changed: true,
    });
  });

  it('counts from the last reminder when it is the latest', () => {
    const now = at('2026-03-02T16:10:00Z');
    const lastReminderAt = at('2026-03-02T16:00:00Z');
    expect(replanOnSeverityChange({ from: 'sev3', to: 'sev1', lastUpdateAt: declaredAt, lastReminderAt, now })).toEqual({
      updateEveryMinutes: 30,
      dueAt: at('2026-03-02T16:30:00Z'),
      changed: true,
    });
  });

  it('keeps the pending reminder when both severities have the same configured cadence', () => {
    const severities = { sev1: { updateEveryMinutes: 30 }, sev2: { updateEveryMinutes: 30 } };
    const now = at('2026-03-02T12:10:00Z');
    expect(replanOnSeverityChange({ from: 'sev2', to: 'sev1', lastUpdateAt: declaredAt, now, severities })).toEqual({
      updateEveryMinutes: 30,
      dueAt: at('2026-03-02T12:30:00Z'),
      changed: false,
    });
  });

  it('reports no change between two severities that both ask for no updates', () => {
    const severities = { sev3: { updateEveryMinutes: null } };
    expect(replanOnSeverityChange({ from: 'sev3', to: 'sev4', lastUpdateAt: declaredAt, now: declaredAt, severities })).toEqual({
      updateEveryMinutes: null,
      dueAt: null,
      changed: false,
    });
  });
});
