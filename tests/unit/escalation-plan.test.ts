import { describe, expect, it } from 'vitest';
import { nextStep, planAfterResolution, stepAt, totalSteps, type EscalationPolicy } from '../../src/domain/escalation-plan.js';

const urgent: EscalationPolicy<string> = {
  steps: [
    { targets: ['schedule:tns'], waitMinutes: 5 },
    { targets: ['user:U0LEAD0001', 'usergroup:S0TNSLEAD1'], waitMinutes: 10 },
  ],
  repeat: 2,
};
const once: EscalationPolicy<string> = { steps: [{ targets: ['schedule:tns'], waitMinutes: 30 }], repeat: 0 };
const now = new Date('2026-03-02T12:00:00Z');

describe('stepAt', () => {
  it('walks the steps of the first round in order', () => {
    expect(stepAt(urgent, 0)).toEqual({ stepNumber: 0, round: 0, stepIndex: 0, targets: ['schedule:tns'], waitMs: 300_000 });
    expect(stepAt(urgent, 1)).toEqual({
      stepNumber: 1,
      round: 0,
      stepIndex: 1,
      targets: ['user:U0LEAD0001', 'usergroup:S0TNSLEAD1'],
      waitMs: 600_000,
    });
  });

  it('runs the list again for each repeat', () => {
    expect(stepAt(urgent, 2)).toMatchObject({ round: 1, stepIndex: 0 });
    expect(stepAt(urgent, 5)).toMatchObject({ round: 2, stepIndex: 1 });
  });

  it('is exhausted after the list and all its repeats', () => {
    expect(totalSteps(urgent)).toBe(6);
    expect(stepAt(urgent, 6)).toBe('exhausted');
    expect(stepAt(once, 1)).toBe('exhausted');
  });

  it('lists every step of every round exactly once, in order', () => {
    const planned = Array.from({ length: totalSteps(urgent) + 1 }, (_, n) => stepAt(urgent, n));
    expect(planned.map((step) => (step === 'exhausted' ? step : `${step.round}.${step.stepIndex}`))).toEqual([
      '0.0',
      '0.1',
      '1.0',
      '1.1',
      '2.0',
      '2.1',
      'exhausted',
    ]);
  });

  it('turns fractional minutes into whole milliseconds', () => {
    const quick: EscalationPolicy<string> = { steps: [{ targets: ['x'], waitMinutes: 0.05 }], repeat: 0 };
    expect(stepAt(quick, 0)).toMatchObject({ waitMs: 3_000 });
  });

  it('treats a policy without steps as exhausted from the start', () => {
    expect(stepAt({ steps: [], repeat: 3 }, 0)).toBe('exhausted');
  });

  it('refuses a negative or fractional step number', () => {
    expect(() => stepAt(urgent, -1)).toThrow(RangeError);
    expect(() => stepAt(urgent, 1.5)).toThrow(RangeError);
  });
});

describe('nextStep', () => {
  it('gives the step after, across a round boundary', () => {
    expect(nextStep(urgent, 1)).toMatchObject({ stepNumber: 2, round: 1, stepIndex: 0 });
  });

  it('is exhausted after the last step of the last round', () => {
    expect(nextStep(urgent, 5)).toBe('exhausted');
    expect(nextStep(once, 0)).toBe('exhausted');
  });
});

describe('planAfterResolution', () => {
  it('waits out the step when someone was notified', () => {
    expect(planAfterResolution(urgent, 0, 1, now)).toEqual({
      dueAt: new Date('2026-03-02T12:05:00Z'),
      action: { kind: 'step', stepNumber: 1 },
    });
  });

  it('moves on at once when the step reached nobody', () => {
    expect(planAfterResolution(urgent, 1, 0, now)).toEqual({ dueAt: now, action: { kind: 'step', stepNumber: 2 } });
  });

  it('alerts the feed after the wait of the last step of the last round', () => {
    expect(planAfterResolution(urgent, 5, 2, now)).toEqual({
      dueAt: new Date('2026-03-02T12:10:00Z'),
      action: { kind: 'unacknowledged' },
    });
    expect(planAfterResolution(once, 0, 1, now)).toEqual({
      dueAt: new Date('2026-03-02T12:30:00Z'),
      action: { kind: 'unacknowledged' },
    });
  });

  it('alerts the feed at once when the last step reached nobody', () => {
    expect(planAfterResolution(once, 0, 0, now)).toEqual({ dueAt: now, action: { kind: 'unacknowledged' } });
  });

  it('alerts the feed at once when asked about a step past the end', () => {
    expect(planAfterResolution(urgent, 9, 1, now)).toEqual({ dueAt: now, action: { kind: 'unacknowledged' } });
  });
});
