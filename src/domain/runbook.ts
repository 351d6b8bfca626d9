/**
 * A category's runbook as ticked in an incident: each step's state is the latest
 * `runbook_step` timeline entry for its index. Pure.
 */

/** The timeline kind recording a tick or an untick. */
export const RUNBOOK_STEP_KIND = 'runbook_step';
/** The timeline kind recording where the checklist was posted. */
export const RUNBOOK_POSTED_KIND = 'runbook_posted';

export interface RunbookStepState {
  readonly index: number;
  readonly text: string;
  readonly doneBy: string | null;
  readonly doneAt: Date | null;
}

/** What a `runbook_step` entry carries. */
export interface RunbookTick {
  readonly at: Date;
  readonly actorId: string | null;
  readonly data: Record<string, unknown>;
}

/** Each step with who ticked it and when; entries must be oldest first. */
export function runbookState(steps: readonly string[], ticks: readonly RunbookTick[]): RunbookStepState[] {
  const state: RunbookStepState[] = steps.map((text, index) => ({ index, text, doneBy: null, doneAt: null }));
  for (const tick of ticks) {
    const index = tick.data.stepIndex;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= state.length) continue;
    const step = state[index] as RunbookStepState;
    state[index] = tick.data.done === true ? { ...step, doneBy: tick.actorId, doneAt: tick.at } : { ...step, doneBy: null, doneAt: null };
  }
  return state;
}

/** How many steps are done, of how many. */
export function runbookProgress(state: readonly RunbookStepState[]): { done: number; total: number } {
  return { done: state.filter((s) => s.doneAt !== null).length, total: state.length };
}
