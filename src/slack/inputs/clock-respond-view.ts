/** The "Mark responded" modal's state as Slack submits it, read into plain fields and checked. Pure. */
import { z } from 'zod';
import { CLOCK_RESPOND_ACTION_ID, CLOCK_RESPOND_BLOCKS, RESPONSE_NOTE_MAX } from '../../blocks/clock-respond-modal.js';

const element = <T extends z.ZodType>(shape: T) => z.object({ [CLOCK_RESPOND_ACTION_ID]: shape }).partial();
const viewState = z
  .object({
    [CLOCK_RESPOND_BLOCKS.at]: element(z.object({ selected_date_time: z.number().nullish() })),
    [CLOCK_RESPOND_BLOCKS.what]: element(z.object({ value: z.string().nullish() })),
    [CLOCK_RESPOND_BLOCKS.evidence]: element(z.object({ value: z.string().nullish() })),
  })
  .partial();

export interface ClockResponseForm {
  at: Date;
  note: string;
  evidence: string | null;
}

/** Slack's picker has minutes: a time picked in the current minute is not the future. */
const PICKER_SLACK_MS = 60_000;

/** Reads the modal: when (not ahead of now), what (required), an http(s) evidence link (optional). Errors are keyed by block id. */
export function readClockResponseForm(
  values: unknown,
  now: Date,
): { ok: true; form: ClockResponseForm } | { ok: false; errors: Record<string, string> } {
  const parsed = viewState.safeParse(values);
  if (!parsed.success)
    return { ok: false, errors: { [CLOCK_RESPOND_BLOCKS.what]: 'This form arrived incomplete. Please close it and try again.' } };
  const state = parsed.data;
  const seconds = state[CLOCK_RESPOND_BLOCKS.at]?.value?.selected_date_time ?? null;
  const note = state[CLOCK_RESPOND_BLOCKS.what]?.value?.value?.trim() ?? '';
  const evidence = state[CLOCK_RESPOND_BLOCKS.evidence]?.value?.value?.trim() || null;
  const errors: Record<string, string> = {};
  if (seconds === null) errors[CLOCK_RESPOND_BLOCKS.at] = 'Say when the response was given.';
  else if (seconds * 1000 > now.getTime() + PICKER_SLACK_MS)
    errors[CLOCK_RESPOND_BLOCKS.at] = 'That time is still ahead: record a response once it is given.';
  if (!note) errors[CLOCK_RESPOND_BLOCKS.what] = 'Say what was done, for the record.';
  else if (note.length > RESPONSE_NOTE_MAX) errors[CLOCK_RESPOND_BLOCKS.what] = `At most ${RESPONSE_NOTE_MAX} characters.`;
  if (evidence && !/^https?:\/\/[^\s<>|]+$/i.test(evidence))
    errors[CLOCK_RESPOND_BLOCKS.evidence] = 'A web link (https://…), or leave it empty.';
  if (Object.keys(errors).length || seconds === null) return { ok: false, errors };
  const at = Math.min(seconds * 1000, now.getTime());
  return { ok: true, form: { at: new Date(at), note, evidence } };
}
