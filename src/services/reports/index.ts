import { exportIncidentsToDm, incidentsCsvFor, type ExportDeps, type IncidentsCsvAnswer } from './export.js';

export type ReportDeps = ExportDeps;

/** The record for leads and analysts: the CSV export (Slack and HTTP). */
export interface ReportServices {
  /** `/incident export <from> <to>`: the CSV to the requester's DM; returns the words for them. */
  exportToDm(input: { userId: string; args: string }): Promise<string>;
  /** GET /api/incidents.csv */
  csv(from: string | undefined, to: string | undefined): Promise<IncidentsCsvAnswer>;
}

export function createReportServices(deps: ReportDeps): ReportServices {
  return {
    exportToDm: (input) => exportIncidentsToDm(deps, input),
    csv: (from, to) => incidentsCsvFor(deps, from, to),
  };
}
