/** The CyberTipline modal's state as Slack submits it, read into an {@link NcmecDraft}. Pure. */
import { z } from 'zod';
import { NCMEC_ACTION_ID } from '../../blocks/ncmec-modal.js';
import type { NcmecDraft } from '../../domain/ncmec.js';

const element = z
  .object({
    value: z.string().nullish(),
    selected_option: z.object({ value: z.string() }).nullish(),
    selected_options: z.array(z.object({ value: z.string() })).nullish(),
    selected_date_time: z.number().nullish(),
  })
  .partial();
const viewState = z.record(z.string(), z.object({ [NCMEC_ACTION_ID]: element }).partial());

export function readNcmecForm(values: unknown): { ok: true; draft: NcmecDraft } | { ok: false; errors: Record<string, string> } {
  const parsed = viewState.safeParse(values);
  if (!parsed.success) return { ok: false, errors: { incident_type: 'This form arrived incomplete. Please close it and try again.' } };
  const get = (field: string) => parsed.data[field]?.[NCMEC_ACTION_ID];
  const text = (field: string) => get(field)?.selected_option?.value ?? get(field)?.value ?? null;
  const at = (field: string) => {
    const seconds = get(field)?.selected_date_time;
    return typeof seconds === 'number' ? new Date(seconds * 1000) : null;
  };
  return {
    ok: true,
    draft: {
      incidentType: text('incident_type'),
      escalateReason: text('escalate_reason'),
      annotations: (get('annotations')?.selected_options ?? []).map((o) => o.value),
      incidentAt: at('incident_at'),
      incidentAtDescription: text('incident_at_description'),
      agencyName: text('agency_name'),
      caseNumber: text('case_number'),
      reportId: text('report_id'),
      submittedAt: at('submitted_at'),
    },
  };
}
