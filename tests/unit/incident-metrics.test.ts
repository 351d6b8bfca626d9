import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/domain/duration.js';
import { responseTimes } from '../../src/domain/incident-metrics.js';

const declaredAt = new Date('2026-03-02T12:00:00Z');
const at = (iso: string) => new Date(iso);

describe('responseTimes', () => {
  it('measures each milestone from the declaration', () => {
    expect(
      responseTimes({
        declaredAt,
        acknowledgedAt: at('2026-03-02T12:03:12Z'),
        mitigatedAt: at('2026-03-02T13:04:00Z'),
        resolvedAt: at('2026-03-04T15:00:00Z'),
      }),
    ).toEqual({ timeToAcknowledgeMs: 192_000, timeToMitigateMs: 3_840_000, timeToResolveMs: 183_600_000 });
  });

  it('answers null for milestones that have not happened', () => {
    expect(responseTimes({ declaredAt, acknowledgedAt: null, mitigatedAt: null, resolvedAt: null })).toEqual({
      timeToAcknowledgeMs: null,
      timeToMitigateMs: null,
      timeToResolveMs: null,
    });
  });

  it('counts an incident resolved without a mitigation phase as mitigated when it was resolved', () => {
    const times = responseTimes({ declaredAt, acknowledgedAt: null, mitigatedAt: null, resolvedAt: at('2026-03-02T12:45:00Z') });
    expect(times.timeToMitigateMs).toBe(45 * 60_000);
    expect(times.timeToResolveMs).toBe(45 * 60_000);
  });

  it('measures a mitigated but unresolved incident up to its mitigation only', () => {
    const times = responseTimes({ declaredAt, acknowledgedAt: declaredAt, mitigatedAt: at('2026-03-02T12:20:00Z'), resolvedAt: null });
    expect(times).toEqual({ timeToAcknowledgeMs: 0, timeToMitigateMs: 20 * 60_000, timeToResolveMs: null });
  });

  it('counts a milestone stamped before the declaration as immediate', () => {
    const times = responseTimes({ declaredAt, acknowledgedAt: at('2026-03-02T11:59:59Z'), mitigatedAt: null, resolvedAt: null });
    expect(times.timeToAcknowledgeMs).toBe(0);
  });
});

describe('formatDuration', () => {
  const cases: [number, string][] = [
    [0, '0 s'],
    [999, '0 s'],
    [1_000, '1 s'],
    [45_000, '45 s'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [65_000, '1 min 05 s'],
    [192_000, '3 min 12 s'],
    [3_599_999, '59 min 59 s'],
    [3_600_000, '1 h'],
    [3_840_000, '1 h 04 min'],
    [3_845_000, '1 h 04 min'],
    [23 * 3_600_000 + 59 * 60_000, '23 h 59 min'],
    [86_400_000, '1 d'],
    [2 * 86_400_000 + 3 * 3_600_000, '2 d 3 h'],
    [2 * 86_400_000 + 3 * 3_600_000 + 59 * 60_000, '2 d 3 h'],
    [400 * 86_400_000, '400 d'],
  ];

  it.each(cases)('writes %d ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('refuses negative, infinite and non-numbers', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => formatDuration(bad)).toThrow(RangeError);
  });

  it('always writes one or two units, the second smaller than the first', () => {
    const units = ['d', 'h', 'min', 's'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000 * 86_400_000 }), (ms) => {
        const text = formatDuration(ms);
        const match = /^(\d+) (d|h|min|s)(?: (\d{1,2}) (d|h|min|s))?$/.exec(text);
        expect(match, text).not.toBeNull();
        if (match?.[4]) expect(units.indexOf(match[4])).toBe(units.indexOf(match[2]!) + 1);
      }),
    );
  });

  it('never grows when the duration shrinks', () => {
    const toMs = (text: string) => {
      const factor: Record<string, number> = { d: 86_400_000, h: 3_600_000, min: 60_000, s: 1_000 };
      const parts = text.split(' ');
      let total = 0;
      for (let i = 0; i < parts.length; i += 2) total += Number(parts[i]) * factor[parts[i + 1]!]!;
      return total;
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 * 86_400_000 }), (ms) => {
        expect(toMs(formatDuration(ms))).toBeLessThanOrEqual(ms);
      }),
    );
  });
});
