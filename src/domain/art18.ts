/**
 * DSA Art. 18: a suspicion of a criminal offence involving a threat to the life or safety of
 * persons is reported "promptly" to the law enforcement or judicial authorities of the Member
 * State(s) concerned, or to Europol when none can be identified. Pure.
 */
import { memberStateOf } from './orders.js';

/** The clock kind of the "promptly" target; a `deadlines:` entry with this id replaces the built-in one. */
export const ART18_KIND = 'dsa-art18-notification';

export interface Art18Draft {
  suspectedOffence?: string | null;
  /** Member State codes, or `Europol`. */
  memberStates?: string | null;
  awareAt?: Date | null;
  authority?: string | null;
  informedAt?: Date | null;
}

export interface Art18Notice {
  suspectedOffence: string;
  memberStates: string[];
  /** No Member State could be identified: Europol (Art. 18(2)). */
  europol: boolean;
  awareAt: Date;
  authority: string | null;
  informedAt: Date | null;
}

const PICKER_SLACK_MS = 60_000;

export function checkArt18(
  draft: Art18Draft,
  now: Date,
): { ok: true; notice: Art18Notice } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const text = (v: string | null | undefined) => v?.trim() ?? '';
  const offence = text(draft.suspectedOffence);
  if (!offence) errors.suspected_offence = 'Say which offence is suspected (the threat to life or safety).';
  else if (offence.length > 500) errors.suspected_offence = 'At most 500 characters.';
  const words = text(draft.memberStates)
    .split(/[\s,;]+/)
    .filter(Boolean);
  const europol = words.length === 1 && words[0]?.toLowerCase() === 'europol';
  const codes: string[] = [];
  if (words.length === 0) errors.member_states = 'List the Member States concerned (DE, FR), or Europol when none can be identified.';
  else if (!europol)
    for (const word of words) {
      const code = memberStateOf(word);
      if (!code) {
        errors.member_states = `"${word.slice(0, 10)}" is not an EU Member State code; list codes (DE, FR) or write Europol.`;
        break;
      }
      if (!codes.includes(code)) codes.push(code);
    }
  const ahead = (at: Date | null | undefined) => !!at && at.getTime() > now.getTime() + PICKER_SLACK_MS;
  if (!draft.awareAt) errors.aware_at = 'Say when the suspicion arose (the "promptly" clock runs from it).';
  else if (ahead(draft.awareAt)) errors.aware_at = 'That time is still ahead.';
  const authority = text(draft.authority);
  if (authority.length > 200) errors.authority = 'At most 200 characters.';
  if (ahead(draft.informedAt)) errors.informed_at = 'That time is still ahead.';
  else if (draft.informedAt && draft.awareAt && draft.informedAt < draft.awareAt)
    errors.informed_at = 'The authority cannot be informed before the suspicion arose.';
  if (draft.informedAt && !authority) errors.authority = 'Name the authority that was informed.';
  if (Object.keys(errors).length || !draft.awareAt) return { ok: false, errors };
  return {
    ok: true,
    notice: {
      suspectedOffence: offence,
      memberStates: codes,
      europol,
      awareAt: draft.awareAt,
      authority: authority || null,
      informedAt: draft.informedAt ?? null,
    },
  };
}
