import { describe, expect, it } from 'vitest';
import { mayBeRedelivered } from '../../src/domain/scheduled-action.js';

const due = new Date('2026-12-01T09:00:00Z');
const at = (ms: number) => new Date(due.getTime() + ms);

describe('mayBeRedelivered: when a scheduled message looks for its tagged copy first', () => {
  it('a run on time with no failure behind it posts without looking', () => {
    expect(mayBeRedelivered({ attempts: 0, dueAt: due }, at(150))).toBe(false);
    expect(mayBeRedelivered({ attempts: 0, dueAt: due }, at(2_000))).toBe(false);
  });
  it('a run after a recorded failure looks, however punctual', () => {
    expect(mayBeRedelivered({ attempts: 1, dueAt: due }, at(0))).toBe(true);
  });
  it('a run later than a lock expiry could make it (a crashed worker’s job handed on) looks', () => {
    expect(mayBeRedelivered({ attempts: 0, dueAt: due }, at(2_001))).toBe(true);
    expect(mayBeRedelivered({ attempts: 0, dueAt: due }, at(10_500), 10_000)).toBe(true);
  });
});
