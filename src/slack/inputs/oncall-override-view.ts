/** The override modal's state as Slack submits it, read into plain fields and checked. Pure. */
import { z } from 'zod';
import { isSlackUserId } from '../../domain/slack-user.js';
import { OVERRIDE_ACTION_ID, OVERRIDE_BLOCKS, OVERRIDE_REASON_MAX } from '../../blocks/oncall-override-modal.js';
import type { OverrideForm } from '../../services/oncall/deps.js';

/** Longest override we accept; anything longer is a typo, or belongs in the config file. */
export const OVERRIDE_MAX_DAYS = 90;

const element = <T extends z.ZodType>(shape: T) => z.object({ [OVERRIDE_ACTION_ID]: shape }).partial();
const viewState = z
  .object({
    [OVERRIDE_BLOCKS.schedule]: element(z.object({ selected_option: z.object({ value: z.string() }).nullish() })),
    [OVERRIDE_BLOCKS.user]: element(z.object({ selected_user: z.string().nullish() })),
    [OVERRIDE_BLOCKS.from]: element(z.object({ selected_date_time: z.number().nullish() })),
    [OVERRIDE_BLOCKS.to]: element(z.object({ selected_date_time: z.number().nullish() })),
    [OVERRIDE_BLOCKS.reason]: element(z.object({ value: z.string().nullish() })),
  })
  .partial();

export type OverrideFormResult =
  | { readonly ok: true; readonly form: OverrideForm }
  | { readonly ok: false; readonly errors: Record<string, string> };

/**
 * Reads the modal's `state.values` and checks what needs no database: every field present, `to`
 * after `from`, not entirely in the past, not absurdly long. Errors are keyed by block id.
 */
export function readOverrideForm(values: unknown, now: Date): OverrideFormResult {
  const parsed = viewState.safeParse(values);
  if (!parsed.success)
    return { ok: false, errors: { [OVERRIDE_BLOCKS.schedule]: 'This form arrived incomplete. Please close it and try again.' } };
  const state = parsed.data;
  const scheduleId = state.schedule?.value?.selected_option?.value ?? null;
  const userId = state.user?.value?.selected_user ?? null;
  const fromSeconds = state.from?.value?.selected_date_time ?? null;
  const toSeconds = state.to?.value?.selected_date_time ?? null;
  const reason = state.reason?.value?.value?.trim() || null;
  const errors: Record<string, string> = {};
  // The modal's max_length, checked again: a hand-built submission skips the modal.
  if (reason && reason.length > OVERRIDE_REASON_MAX)
    errors[OVERRIDE_BLOCKS.reason] = `Keep the reason under ${OVERRIDE_REASON_MAX} characters.`;
  if (!scheduleId) errors[OVERRIDE_BLOCKS.schedule] = 'Choose a schedule.';
  if (!isSlackUserId(userId)) errors[OVERRIDE_BLOCKS.user] = 'Choose who covers.';
  if (fromSeconds === null) errors[OVERRIDE_BLOCKS.from] = 'Choose when the cover starts.';
  if (toSeconds === null) errors[OVERRIDE_BLOCKS.to] = 'Choose when the cover ends.';
  if (fromSeconds !== null && toSeconds !== null) {
    if (toSeconds <= fromSeconds) errors[OVERRIDE_BLOCKS.to] = 'The end must be after the start.';
    else if (toSeconds * 1000 <= now.getTime())
      errors[OVERRIDE_BLOCKS.to] = 'This cover is entirely in the past; choose an end in the future.';
    else if (toSeconds - fromSeconds > OVERRIDE_MAX_DAYS * 86_400)
      errors[OVERRIDE_BLOCKS.to] = `An override can last at most ${OVERRIDE_MAX_DAYS} days.`;
  }
  if (Object.keys(errors).length > 0 || !scheduleId || !userId || fromSeconds === null || toSeconds === null) return { ok: false, errors };
  return { ok: true, form: { scheduleId, userId, from: new Date(fromSeconds * 1000), to: new Date(toSeconds * 1000), reason } };
}
