import { describe, expect, it } from 'vitest';
import {
  applyTimestamps,
  INCIDENT_STATUSES,
  isIncidentStatus,
  isOpen,
  isTerminal,
  nextStatuses,
  OPEN_STATUSES,
  transition,
  type IncidentStatus,
  type LifecycleTimestamps,
  type TransitionEffects,
} from '../../src/domain/lifecycle.js';

type Expected =
  | { ok: true; kind: TransitionEffects['kind']; sets: TransitionEffects['sets']; clears?: string[]; stops: boolean; restarts?: boolean }
  | { ok: false; code: 'same' | 'terminal' | 'not_allowed'; reason: string };

/** Every ordered pair of statuses, written out so that a change to the rules shows up here. */
const TABLE: Record<IncidentStatus, Record<IncidentStatus, Expected>> = {
  investigating: {
    investigating: { ok: false, code: 'same', reason: 'This incident is already investigating.' },
    mitigated: { ok: true, kind: 'mitigate', sets: 'mitigatedAt', stops: false },
    resolved: { ok: true, kind: 'resolve', sets: 'resolvedAt', stops: true },
    closed: { ok: false, code: 'not_allowed', reason: 'Resolve the incident before closing it.' },
    cancelled: { ok: true, kind: 'cancel', sets: 'closedAt', stops: true },
  },
  mitigated: {
    investigating: {
      ok: false,
      code: 'not_allowed',
      reason: 'A mitigated incident cannot go back to investigating; post an update saying what changed.',
    },
    mitigated: { ok: false, code: 'same', reason: 'This incident is already mitigated.' },
    resolved: { ok: true, kind: 'resolve', sets: 'resolvedAt', stops: true },
    closed: { ok: false, code: 'not_allowed', reason: 'Resolve the incident before closing it.' },
    cancelled: { ok: true, kind: 'cancel', sets: 'closedAt', stops: true },
  },
  resolved: {
    investigating: { ok: true, kind: 'reopen', sets: null, clears: ['resolvedAt'], stops: false, restarts: true },
    mitigated: {
      ok: false,
      code: 'not_allowed',
      reason: 'A resolved incident can only be reopened (back to investigating) or closed.',
    },
    resolved: { ok: false, code: 'same', reason: 'This incident is already resolved.' },
    closed: { ok: true, kind: 'close', sets: 'closedAt', stops: true },
    cancelled: { ok: false, code: 'not_allowed', reason: 'A resolved incident cannot be cancelled; close it instead.' },
  },
  closed: {
    investigating: { ok: false, code: 'terminal', reason: 'A closed incident cannot be reopened; declare a new one.' },
    mitigated: { ok: false, code: 'terminal', reason: 'A closed incident cannot be reopened; declare a new one.' },
    resolved: { ok: false, code: 'terminal', reason: 'A closed incident cannot be reopened; declare a new one.' },
    closed: { ok: false, code: 'same', reason: 'This incident is already closed.' },
    cancelled: { ok: false, code: 'terminal', reason: 'A closed incident cannot be cancelled; it is already over.' },
  },
  cancelled: {
    investigating: { ok: false, code: 'terminal', reason: 'A cancelled incident cannot be reopened; declare a new one.' },
    mitigated: { ok: false, code: 'terminal', reason: 'A cancelled incident cannot be reopened; declare a new one.' },
    resolved: { ok: false, code: 'terminal', reason: 'A cancelled incident cannot be reopened; declare a new one.' },
    closed: { ok: false, code: 'terminal', reason: 'A cancelled incident is already over; there is nothing to close.' },
    cancelled: { ok: false, code: 'same', reason: 'This incident is already cancelled.' },
  },
};

const PAIRS = INCIDENT_STATUSES.flatMap((from) => INCIDENT_STATUSES.map((to) => [from, to] as const));

describe('transition', () => {
  it('has an expectation for every ordered pair of statuses', () => {
    expect(PAIRS).toHaveLength(25);
    for (const [from, to] of PAIRS) expect(TABLE[from][to]).toBeDefined();
  });

  it.each(PAIRS)('from %s to %s answers as the table says', (from, to) => {
    const expected = TABLE[from][to];
    const result = transition(from, to);
    if (expected.ok) {
      expect(result).toEqual({
        ok: true,
        effects: {
          kind: expected.kind,
          from,
          to,
          sets: expected.sets,
          clears: expected.clears ?? [],
          stopsPaging: expected.stops,
          stopsReminders: expected.stops,
          restartsReminders: expected.restarts ?? false,
        },
      });
    } else {
      expect(result).toEqual({ ok: false, code: expected.code, reason: expected.reason });
    }
  });

  it('gives every refusal a sentence that starts with a capital and ends with a full stop', () => {
    for (const [from, to] of PAIRS) {
      const result = transition(from, to);
      if (!result.ok) expect(result.reason).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('stops paging and reminders exactly when the incident stops being open', () => {
    for (const [from, to] of PAIRS) {
      const result = transition(from, to);
      if (result.ok) {
        expect(result.effects.stopsPaging).toBe(!isOpen(to));
        expect(result.effects.stopsReminders).toBe(!isOpen(to));
      }
    }
  });

  it('restarts reminders only when a resolved incident is reopened', () => {
    const restarting = PAIRS.filter(([from, to]) => {
      const result = transition(from, to);
      return result.ok && result.effects.restartsReminders;
    });
    expect(restarting).toEqual([['resolved', 'investigating']]);
  });

  it('never lets a closed or cancelled incident change', () => {
    for (const from of ['closed', 'cancelled'] as const) {
      for (const to of INCIDENT_STATUSES) expect(transition(from, to).ok).toBe(false);
    }
  });
});

describe('statuses', () => {
  it('counts investigating and mitigated as open, and nothing else', () => {
    expect(INCIDENT_STATUSES.filter(isOpen)).toEqual(['investigating', 'mitigated']);
    expect(OPEN_STATUSES).toEqual(['investigating', 'mitigated']);
  });

  it('counts closed and cancelled as terminal, and nothing else', () => {
    expect(INCIDENT_STATUSES.filter(isTerminal)).toEqual(['closed', 'cancelled']);
  });

  it('lists the statuses each status may move to, in lifecycle order', () => {
    expect(nextStatuses('investigating')).toEqual(['mitigated', 'resolved', 'cancelled']);
    expect(nextStatuses('mitigated')).toEqual(['resolved', 'cancelled']);
    expect(nextStatuses('resolved')).toEqual(['investigating', 'closed']);
    expect(nextStatuses('closed')).toEqual([]);
    expect(nextStatuses('cancelled')).toEqual([]);
  });

  it('agrees with transition about which targets are allowed', () => {
    for (const [from, to] of PAIRS) expect(nextStatuses(from).includes(to)).toBe(transition(from, to).ok);
  });

  it('recognises status strings read from the database', () => {
    for (const status of INCIDENT_STATUSES) expect(isIncidentStatus(status)).toBe(true);
    for (const other of ['open', 'Resolved', '', null, undefined, 3]) expect(isIncidentStatus(other)).toBe(false);
  });
});

describe('applyTimestamps', () => {
  const none: LifecycleTimestamps = { mitigatedAt: null, resolvedAt: null, closedAt: null };
  const t1 = new Date('2026-03-02T12:10:00Z');
  const t2 = new Date('2026-03-02T13:00:00Z');
  const t3 = new Date('2026-03-02T15:30:00Z');
  const t4 = new Date('2026-03-03T09:00:00Z');

  function step(timestamps: LifecycleTimestamps, from: IncidentStatus, to: IncidentStatus, at: Date): LifecycleTimestamps {
    const result = transition(from, to);
    if (!result.ok) throw new Error(result.reason);
    return applyTimestamps(timestamps, result.effects, at);
  }

  it('stamps the column of the transition with the time of the change', () => {
    expect(step(none, 'investigating', 'mitigated', t1)).toEqual({ mitigatedAt: t1, resolvedAt: null, closedAt: null });
    expect(step(none, 'investigating', 'resolved', t1)).toEqual({ mitigatedAt: null, resolvedAt: t1, closedAt: null });
    expect(step(none, 'mitigated', 'cancelled', t1)).toEqual({ mitigatedAt: null, resolvedAt: null, closedAt: t1 });
  });

  it('walks the whole lifecycle, stamping each column once', () => {
    let at = step(none, 'investigating', 'mitigated', t1);
    at = step(at, 'mitigated', 'resolved', t2);
    at = step(at, 'resolved', 'closed', t3);
    expect(at).toEqual({ mitigatedAt: t1, resolvedAt: t2, closedAt: t3 });
  });

  it('keeps the first mitigation and the final resolution across a reopen', () => {
    let at = step(none, 'investigating', 'mitigated', t1);
    at = step(at, 'mitigated', 'resolved', t2);
    at = step(at, 'resolved', 'investigating', t3);
    expect(at).toEqual({ mitigatedAt: t1, resolvedAt: null, closedAt: null });
    at = step(at, 'investigating', 'mitigated', t3);
    at = step(at, 'mitigated', 'resolved', t4);
    expect(at).toEqual({ mitigatedAt: t1, resolvedAt: t4, closedAt: null });
  });

  it('leaves the input untouched', () => {
    const before: LifecycleTimestamps = { mitigatedAt: t1, resolvedAt: t2, closedAt: null };
    step(before, 'resolved', 'investigating', t3);
    expect(before).toEqual({ mitigatedAt: t1, resolvedAt: t2, closedAt: null });
  });
});
