import type { DigestServices } from './digest.js';
import { exportIncidentsToDm, incidentsCsvFor, type ExportDeps, type IncidentsCsvAnswer } from './export.js';

export type ReportDeps = ExportDeps & { digests: Pick<DigestServices, 'report'> };

/** The record for leads and analysts: the CSV export (Slack and HTTP) and digests on demand. */
export interface ReportServices {
  /** `/incident export <from> <to>`: the CSV to the requester's DM; returns the words for them. */
  exportToDm(input: { userId: string; args: string }): Promise<string>;
  /** GET /api/incidents.csv */
  csv(from: string | undefined, to: string | undefined): Promise<IncidentsCsvAnswer>;
  /** `/incident report [weekly|monthly|<from> <to>]`: posted in the reports channel, else shown to the caller only. */
  digest(input: { userId: string; channelId: string; args: string }): Promise<string | null>;
}

export function createReportServices(deps: ReportDeps): ReportServices {
  return {
    exportToDm: (input) => exportIncidentsToDm(deps, input),
    csv: (from, to) => incidentsCsvFor(deps, from, to),
    digest: (input) => deps.digests.report(input),
  };
}
