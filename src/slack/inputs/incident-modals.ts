import { z } from 'zod';
import { INCIDENT_TEXT_MAX } from '../../blocks/incident-modals.js';
import type { IncidentModal, IncidentModalFields } from '../../services/incident/index.js';

const text = z.object({ value: z.object({ value: z.string().nullish() }) }).optional();
/** A text input no longer than the modal's own `max_length` (a hand-built submission skips the modal). */
const textUpTo = (max: number) =>
  z.object({ value: z.object({ value: z.string().max(max, `Keep this under ${max} characters.`).nullish() }) }).optional();
const selected = z.object({ value: z.object({ selected_option: z.object({ value: z.string() }).nullish() }) }).optional();
const user = z.object({ value: z.object({ selected_user: z.string().nullish() }) }).optional();
const datetime = z.object({ value: z.object({ selected_date_time: z.number().nullish() }) }).optional();

const schemas = {
  severity: z.object({ severity: selected, reason: text }),
  update: z.object({ status: selected, known: text, doing: text, next_update: datetime }),
  role: z.object({ role: selected, user }),
  resolve: z.object({ resolution: text, mitigation: text, follow_ups: text }),
};

const M = INCIDENT_TEXT_MAX;
const lengths = {
  severity: z.object({ reason: textUpTo(M.reason) }),
  update: z.object({ known: textUpTo(M.known), doing: textUpTo(M.doing) }),
  role: z.object({}),
  resolve: z.object({ resolution: textUpTo(M.resolution), mitigation: textUpTo(M.mitigation), follow_ups: textUpTo(M.follow_ups) }),
};

/**
 * The text fields of one of the incident modals that are longer than the modal allows, each
 * with its inline error (keyed by block id). Empty when every value fits.
 */
export function incidentModalLengthErrors(modal: IncidentModal, values: unknown): Record<string, string> {
  const r = lengths[modal].safeParse(values);
  const errors: Record<string, string> = {};
  if (r.success) return errors;
  for (const issue of r.error.issues) {
    const block = issue.path[0];
    if (issue.code === 'too_big' && typeof block === 'string') errors[block] ??= issue.message;
  }
  return errors;
}

const v = (s: string | null | undefined) => (s ?? undefined) || undefined;

/** Reads view.state.values of one of the incident modals; null when its shape is not Slack's. */
export function parseIncidentModal(modal: IncidentModal, values: unknown): IncidentModalFields | null {
  switch (modal) {
    case 'severity': {
      const r = schemas.severity.safeParse(values);
      return r.success
        ? { modal, severity: v(r.data.severity?.value.selected_option?.value), reason: v(r.data.reason?.value.value) }
        : null;
    }
    case 'update': {
      const r = schemas.update.safeParse(values);
      if (!r.success) return null;
      const at = r.data.next_update?.value.selected_date_time;
      return {
        modal,
        status: v(r.data.status?.value.selected_option?.value),
        known: v(r.data.known?.value.value),
        doing: v(r.data.doing?.value.value),
        nextUpdateAt: typeof at === 'number' ? new Date(at * 1000) : undefined,
      };
    }
    case 'role': {
      const r = schemas.role.safeParse(values);
      return r.success ? { modal, role: v(r.data.role?.value.selected_option?.value), userId: v(r.data.user?.value.selected_user) } : null;
    }
    case 'resolve': {
      const r = schemas.resolve.safeParse(values);
      return r.success
        ? {
            modal,
            resolution: v(r.data.resolution?.value.value),
            mitigation: v(r.data.mitigation?.value.value),
            followUps: v(r.data.follow_ups?.value.value),
          }
        : null;
    }
  }
}

const metadata = z.object({ incidentId: z.string().uuid() });

export function parseIncidentModalMetadata(raw: string | undefined): string | null {
  try {
    const r = metadata.safeParse(JSON.parse(raw || '{}'));
    return r.success ? r.data.incidentId : null;
  } catch {
    return null;
  }
}
