/** What `/incident deadline …` asks for, read but not yet applied (parsed in `src/slack/inputs/deadline-command.ts`). */
import type { WhenInput } from './when-input.js';

/** When an order arrived, for a kind's clock that runs from receipt: a time, or a span ago. */
export type ReceivedWhen = { readonly kind: 'when'; readonly when: WhenInput } | { readonly kind: 'ago'; readonly minutes: number };

/**
 * When the clock is due: a time, a span from now, or a kind of the catalog (due its hours from
 * now, or from `received`: the TCO hour runs from receipt of the order, not from when it is typed).
 */
export type DeadlineWhen =
  | { readonly kind: 'when'; readonly when: WhenInput }
  | { readonly kind: 'in'; readonly minutes: number }
  | { readonly kind: 'kind'; readonly kindId: string; readonly received?: ReceivedWhen };

/**
 * `rest` is what follows the keyword: the service reads a clock's name off its front when one
 * matches (`pause tco waiting for clarification`), since only it knows the incident's clocks.
 */
export type DeadlineCommand =
  | { readonly op: 'set'; readonly when: DeadlineWhen; readonly label?: string }
  | { readonly op: 'clear'; readonly rest: string }
  | { readonly op: 'pause'; readonly rest: string }
  | { readonly op: 'resume'; readonly rest: string }
  | { readonly op: 'extend'; readonly name?: string; readonly minutes: number; readonly reason: string }
  | { readonly op: 'error'; readonly error: string };
