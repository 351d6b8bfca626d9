/** What `/incident deadline …` asks for, read but not yet applied (parsed in `src/slack/inputs/deadline-command.ts`). */
import type { WhenInput } from './when-input.js';

/** When the clock is due: a time, a span from now, or a kind of the catalog (due its hours from now). */
export type DeadlineWhen =
  | { readonly kind: 'when'; readonly when: WhenInput }
  | { readonly kind: 'in'; readonly minutes: number }
  | { readonly kind: 'kind'; readonly kindId: string };

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
