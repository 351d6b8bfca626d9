/** The "Add follow-up" modal's state as Slack submits it, read into plain fields. Pure; the service checks them. */
import { z } from 'zod';
import { FOLLOW_UP_ACTION_ID, FOLLOW_UP_BLOCKS } from '../../blocks/follow-ups.js';

const element = <T extends z.ZodType>(shape: T) => z.object({ [FOLLOW_UP_ACTION_ID]: shape }).partial();
const viewState = z
  .object({
    [FOLLOW_UP_BLOCKS.title]: element(z.object({ value: z.string().nullish() })),
    [FOLLOW_UP_BLOCKS.owner]: element(z.object({ selected_user: z.string().nullish() })),
    [FOLLOW_UP_BLOCKS.team]: element(z.object({ selected_option: z.object({ value: z.string() }).nullish() })),
    [FOLLOW_UP_BLOCKS.due]: element(z.object({ selected_date: z.string().nullish() })),
  })
  .partial();

export interface FollowUpForm {
  title: string;
  ownerId: string | null;
  teamId: string | null;
  dueDay: string | null;
}

export function readFollowUpForm(values: unknown): { ok: true; form: FollowUpForm } | { ok: false; errors: Record<string, string> } {
  const parsed = viewState.safeParse(values);
  if (!parsed.success)
    return { ok: false, errors: { [FOLLOW_UP_BLOCKS.title]: 'This form arrived incomplete. Please close it and try again.' } };
  const s = parsed.data;
  return {
    ok: true,
    form: {
      title: s[FOLLOW_UP_BLOCKS.title]?.value?.value?.trim() ?? '',
      ownerId: s[FOLLOW_UP_BLOCKS.owner]?.value?.selected_user ?? null,
      teamId: s[FOLLOW_UP_BLOCKS.team]?.value?.selected_option?.value ?? null,
      dueDay: s[FOLLOW_UP_BLOCKS.due]?.value?.selected_date ?? null,
    },
  };
}

/** The incident id the modal carries in its private metadata. */
export function followUpIncidentId(raw: string | undefined): string {
  return metadataField(raw, 'incidentId');
}

/** The follow-up id the edit modal carries in its private metadata. */
export function editedFollowUpId(raw: string | undefined): string {
  return metadataField(raw, 'followUpId');
}

function metadataField(raw: string | undefined, key: 'incidentId' | 'followUpId'): string {
  try {
    const parsed: unknown = JSON.parse(raw || '{}');
    const id = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[key] : undefined;
    return typeof id === 'string' ? id : '';
  } catch {
    return '';
  }
}
