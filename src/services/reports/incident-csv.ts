/**
 * The incidents of a period as CSV (RFC 4180, CRLF), for `/incident export` and
 * GET /api/incidents.csv. The figures are the `incident_metrics` view's, so a spreadsheet and a
 * SQL query agree; a private incident's title is `(private)` there already.
 */
import { stringify } from 'csv-stringify/sync';
import type { IncidentMetricsRow } from '../../db/repos/record-queries.js';

/** The header row, in this order: tools that read the export by position rely on it. */
export const INCIDENT_CSV_COLUMNS = [
  'number',
  'title',
  'severity',
  'category',
  'private',
  'status',
  'declared_at',
  'acknowledged_at',
  'mitigated_at',
  'resolved_at',
  'time_to_acknowledge_s',
  'time_to_mitigate_s',
  'time_to_resolve_s',
  'deadline_at',
  'responded_at',
  'deadline_met',
  'commander',
  'hub',
  // Appended, so readers by position keep working: severity above is the current one.
  'declared_severity',
  'peak_severity',
  // Appended: every response clock of the incident, not only the earliest the deadline_* columns show.
  'deadlines',
  'deadlines_met',
  'deadlines_missed',
] as const;

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); a
 * leading `'` makes it text. Tab and carriage return too, as OWASP advises.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text as a spreadsheet will show it, never run it. */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

const iso = (at: Date | null): string => (at === null ? '' : at.toISOString().replace(/\.\d{3}Z$/, 'Z'));
const whole = (n: number | null): string => (n === null ? '' : String(Math.trunc(n)));
const bool = (b: boolean | null): string => (b === null ? '' : String(b));

/**
 * Which private incidents' details the reader may not see: their severity, category, commander
 * and hub are blank (the title is `(private)` for everyone). Counted, never described.
 */
export interface CsvAudience {
  hiddenIncidentIds: ReadonlySet<string>;
}

/** An incident's clocks: how many, how many met, how many missed (running ones are neither). */
export interface ClockCounts {
  readonly total: number;
  readonly met: number;
  readonly missed: number;
}

const EVERYTHING_VISIBLE: CsvAudience = { hiddenIncidentIds: new Set() };
const NO_CLOCKS: ClockCounts = { total: 0, met: 0, missed: 0 };

/** Counts per incident id from the clocks' outcomes (`met`: true, false, or null while running). */
export function clockCountsByIncident(clocks: readonly { incidentId: string; met: boolean | null }[]): Map<string, ClockCounts> {
  const counts = new Map<string, ClockCounts>();
  for (const clock of clocks) {
    const c = counts.get(clock.incidentId) ?? NO_CLOCKS;
    counts.set(clock.incidentId, {
      total: c.total + 1,
      met: c.met + (clock.met === true ? 1 : 0),
      missed: c.missed + (clock.met === false ? 1 : 0),
    });
  }
  return counts;
}

function cells(row: IncidentMetricsRow, audience: CsvAudience, clocks: ClockCounts): string[] {
  const hidden = row.private && audience.hiddenIncidentIds.has(row.incidentId);
  const shown = (text: string | null): string => (hidden ? '' : (text ?? ''));
  return [
    String(row.number),
    row.private ? '(private)' : row.title,
    shown(row.severity),
    shown(row.category),
    bool(row.private),
    row.status,
    iso(row.declaredAt),
    iso(row.acknowledgedAt),
    iso(row.mitigatedAt),
    iso(row.resolvedAt),
    whole(row.timeToAcknowledgeS),
    whole(row.timeToMitigateS),
    whole(row.timeToResolveS),
    iso(row.deadlineAt),
    iso(row.respondedAt),
    bool(row.deadlineMet),
    shown(row.commander),
    shown(row.hub),
    shown(row.declaredSeverity),
    shown(row.peakSeverity),
    String(clocks.total),
    String(clocks.met),
    String(clocks.missed),
  ].map(neutraliseFormula);
}

/**
 * The CSV text: the header, then one line per incident, CRLF line ends, every data cell quoted.
 * Quoting only where RFC 4180 needs it (`,`, `"`, a newline) is not enough: Excel in `;`-separator
 * locales (German, French, Dutch) splits an unquoted `x;=HYPERLINK(…);y` at `;` and runs the
 * formula; a quoted cell stays one cell of text (OWASP's CSV-injection guidance). The header is
 * our own fixed text, so it stays bare for tools that compare it.
 */
export function incidentsCsv(
  rows: readonly IncidentMetricsRow[],
  audience: CsvAudience = EVERYTHING_VISIBLE,
  clocks: ReadonlyMap<string, ClockCounts> = new Map(),
): string {
  const header = stringify([[...INCIDENT_CSV_COLUMNS]], { record_delimiter: 'windows' });
  return (
    header +
    stringify(
      rows.map((row) => cells(row, audience, clocks.get(row.incidentId) ?? NO_CLOCKS)),
      { record_delimiter: 'windows', quoted: true, quoted_empty: true },
    )
  );
}
