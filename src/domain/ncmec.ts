/**
 * The CyberTipline report (18 U.S.C. 2258A) as NCMEC's API names its fields
 * (report.cybertip.org/ispws/documentation; typed in Johannes-Andersen/Cybertipline-Tools
 * `src/types/reportDetails`). Meridian prepares the packet; the analyst submits it and uploads
 * files through NCMEC. Meridian never holds the material. Pure.
 */

/** NCMEC's incident types (`Constants/IncidentType.ts`), as the API spells them. */
export const NCMEC_INCIDENT_TYPES = [
  'Child Pornography (possession, manufacture, and distribution)',
  'Child Sex Trafficking',
  'Child Sex Tourism',
  'Child Sexual Molestation',
  'Misleading Domain Name',
  'Misleading Words or Digital Images on the Internet',
  'Online Enticement of Children for Sexual Acts',
  'Unsolicited Obscene Material Sent to a Child',
] as const;

/** `reportAnnotations` (`Constants/ReportAnnotation.ts`). */
export const NCMEC_ANNOTATIONS = ['sextortion', 'csamSolicitation', 'minorToMinorInteraction', 'spam'] as const;
export type NcmecAnnotation = (typeof NCMEC_ANNOTATIONS)[number];

/** The preservation duty: one year from the report (18 U.S.C. 2258A(h)(1)). */
export const NCMEC_PRESERVATION_KIND = 'ncmec-report-preservation';

export interface NcmecDraft {
  /** An index into {@link NCMEC_INCIDENT_TYPES}, as the form's option value. */
  incidentType?: string | null;
  escalateReason?: string | null;
  annotations?: readonly string[];
  incidentAt?: Date | null;
  incidentAtDescription?: string | null;
  agencyName?: string | null;
  caseNumber?: string | null;
  reportId?: string | null;
  submittedAt?: Date | null;
}

export interface NcmecForm {
  incidentType: (typeof NCMEC_INCIDENT_TYPES)[number];
  escalateReason: string | null;
  annotations: NcmecAnnotation[];
  incidentAt: Date;
  incidentAtDescription: string | null;
  lawEnforcement: { agencyName: string; caseNumber: string | null } | null;
  /** Set once NCMEC accepted the report: its id and when it was submitted. */
  submission: { reportId: string; submittedAt: Date } | null;
}

const TEXT_MAX = 300;
const PICKER_SLACK_MS = 60_000;

/** Checks the form; errors keyed by field (the modal's block ids). */
export function checkNcmecForm(
  draft: NcmecDraft,
  now: Date,
): { ok: true; form: NcmecForm } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const text = (v: string | null | undefined) => v?.trim() ?? '';
  const type = NCMEC_INCIDENT_TYPES[Number(text(draft.incidentType) || Number.NaN)];
  if (!type) errors.incident_type = "Pick NCMEC's incident type.";
  const annotations = (draft.annotations ?? []).filter((a): a is NcmecAnnotation => (NCMEC_ANNOTATIONS as readonly string[]).includes(a));
  if (annotations.length !== (draft.annotations ?? []).length) errors.annotations = 'Unknown annotation.';
  const ahead = (at: Date | null | undefined) => !!at && at.getTime() > now.getTime() + PICKER_SLACK_MS;
  if (!draft.incidentAt) errors.incident_at = 'Say when the incident happened (date, time and zone are sent).';
  else if (ahead(draft.incidentAt)) errors.incident_at = 'That time is still ahead.';
  for (const [field, value] of [
    ['escalate_reason', draft.escalateReason],
    ['incident_at_description', draft.incidentAtDescription],
    ['agency_name', draft.agencyName],
    ['case_number', draft.caseNumber],
  ] as const)
    if (text(value).length > TEXT_MAX) errors[field] = `At most ${TEXT_MAX} characters.`;
  if (text(draft.caseNumber) && !text(draft.agencyName)) errors.agency_name = 'Name the agency the case number belongs to.';
  const reportId = text(draft.reportId);
  if (reportId && !/^[A-Za-z0-9-]{1,40}$/.test(reportId))
    errors.report_id = "NCMEC's report id: digits (letters and - allowed), at most 40.";
  if (draft.submittedAt && !reportId) errors.report_id = 'Give the report id NCMEC returned with the submission time.';
  if (ahead(draft.submittedAt)) errors.submitted_at = 'That time is still ahead.';
  else if (draft.submittedAt && draft.incidentAt && draft.submittedAt < draft.incidentAt)
    errors.submitted_at = 'The report cannot be submitted before the incident happened.';
  if (Object.keys(errors).length || !type || !draft.incidentAt) return { ok: false, errors };
  const agency = text(draft.agencyName);
  return {
    ok: true,
    form: {
      incidentType: type,
      escalateReason: text(draft.escalateReason) || null,
      annotations,
      incidentAt: draft.incidentAt,
      incidentAtDescription: text(draft.incidentAtDescription) || null,
      lawEnforcement: agency ? { agencyName: agency, caseNumber: text(draft.caseNumber) || null } : null,
      submission: reportId ? { reportId, submittedAt: draft.submittedAt ?? now } : null,
    },
  };
}

/** The end of the preservation: the same instant one calendar year after submission (UTC). */
export function preservationUntil(submittedAt: Date): Date {
  const until = new Date(submittedAt);
  until.setUTCFullYear(until.getUTCFullYear() + 1);
  return until;
}

/**
 * The packet in NCMEC's field names: `incidentSummary` (incidentType, escalateToHighPriority,
 * reportAnnotations, incidentDateTime with its zone, incidentDateTimeDescription) and
 * `lawEnforcement` when the case began as a request. No content, no personal data of the
 * reporter: the analyst adds those in NCMEC's own form.
 */
export function ncmecPacket(form: NcmecForm, incident: { ref: string }, preparedAt: Date): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    incidentType: form.incidentType,
    ...(form.escalateReason ? { escalateToHighPriority: form.escalateReason } : {}),
    ...(form.annotations.length ? { reportAnnotations: Object.fromEntries(form.annotations.map((a) => [a, true])) } : {}),
    incidentDateTime: form.incidentAt.toISOString(),
    ...(form.incidentAtDescription ? { incidentDateTimeDescription: form.incidentAtDescription } : {}),
  };
  const report: Record<string, unknown> = { incidentSummary: summary };
  if (form.lawEnforcement)
    report.lawEnforcement = {
      agencyName: form.lawEnforcement.agencyName,
      ...(form.lawEnforcement.caseNumber ? { caseNumber: form.lawEnforcement.caseNumber } : {}),
      reportedToLe: true,
    };
  return {
    report,
    meridian: {
      incident: incident.ref,
      preparedAt: preparedAt.toISOString(),
      note: 'Meridian does not upload content: attach files and reporter details in the CyberTipline.',
    },
  };
}
