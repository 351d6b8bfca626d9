/** The Art. 18 modal's state as Slack submits it, read into an {@link Art18Draft}. Pure. */
import { z } from 'zod';
import { ART18_ACTION_ID } from '../../blocks/art18-modal.js';
import type { Art18Draft } from '../../domain/art18.js';

const element = z.object({ value: z.string().nullish(), selected_date_time: z.number().nullish() }).partial();
const viewState = z.record(z.string(), z.object({ [ART18_ACTION_ID]: element }).partial());

export function readArt18Form(values: unknown): { ok: true; draft: Art18Draft } | { ok: false; errors: Record<string, string> } {
  const parsed = viewState.safeParse(values);
  if (!parsed.success) return { ok: false, errors: { suspected_offence: 'This form arrived incomplete. Please close it and try again.' } };
  const get = (field: string) => parsed.data[field]?.[ART18_ACTION_ID];
  const at = (field: string) => {
    const seconds = get(field)?.selected_date_time;
    return typeof seconds === 'number' ? new Date(seconds * 1000) : null;
  };
  return {
    ok: true,
    draft: {
      suspectedOffence: get('suspected_offence')?.value ?? null,
      memberStates: get('member_states')?.value ?? null,
      awareAt: at('aware_at'),
      authority: get('authority')?.value ?? null,
      informedAt: at('informed_at'),
    },
  };
}
