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
  // Appended (issue 23): the incident's authority orders; blank like the details for a hidden private incident.
  'orders',
  'order_legal_bases',
  'order_member_states',
  'order_effect_given',
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

/** An incident's orders as the CSV shows them; every list is `;`-separated. */
export interface OrderColumns {
  readonly count: number;
  /** Distinct legal bases, sorted (`dsa_art9;tco_art3`). */
  readonly legalBases: string;
  /** Distinct issuing Member States, sorted; `other` for an order from outside the EU. */
  readonly memberStates: string;
  /** Each order's effect given, oldest first: yes, partly, no, or pending (not known yet). */
  readonly effectGiven: string;
}

/** An order as the CSV reads it: `effectGiven` already taken from its clocks where the order has none. */
export interface CsvOrder {
  readonly incidentId: string;
  readonly legalBasis: string;
  readonly memberState: string | null;
  readonly effectGiven: string | null;
}

/** The order columns per incident id, from its orders oldest first. */
export function orderColumnsByIncident(orders: readonly CsvOrder[]): Map<string, OrderColumns> {
  const grouped = new Map<string, CsvOrder[]>();
  for (const order of orders) grouped.set(order.incidentId, [...(grouped.get(order.incidentId) ?? []), order]);
  const distinct = (values: readonly string[]) => [...new Set(values)].sort().join(';');
  return new Map(
    [...grouped].map(([incidentId, list]) => [
      incidentId,
      {
        count: list.length,
        legalBases: distinct(list.map((o) => o.legalBasis)),
        memberStates: distinct(list.map((o) => o.memberState ?? 'other')),
        effectGiven: list.map((o) => o.effectGiven ?? 'pending').join(';'),
      },
    ]),
  );
}

const NO_ORDERS: OrderColumns = { count: 0, legalBases: '', memberStates: '', effectGiven: '' };
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

function cells(row: IncidentMetricsRow, audience: CsvAudience, clocks: ClockCounts, orders: OrderColumns): string[] {
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
    shown(String(orders.count)),
    shown(orders.legalBases),
    shown(orders.memberStates),
    shown(orders.effectGiven),
  ].map(neutraliseFormula);
}

/**
 * The CSV's header line; the CSV is it, then one line per incident, CRLF line ends, every data cell quoted.
 * Quoting only where RFC 4180 needs it (`,`, `"`, a newline) is not enough: Excel in `;`-separator
 * locales (German, French, Dutch) splits an unquoted `x;=HYPERLINK(…);y` at `;` and runs the
 * formula; a quoted cell stays one cell of text (OWASP's CSV-injection guidance). The header is
 * our own fixed text, so it stays bare for tools that compare it.
 */
export const INCIDENTS_CSV_HEADER: string = stringify([[...INCIDENT_CSV_COLUMNS]], { record_delimiter: 'windows' });

/**
 * The data lines of some rows (every line CRLF-ended): the CSV of a period is its header, then
 * the lines of each page of its rows one after another (the export streams them, issue 26).
 */
export function incidentsCsvRows(
  rows: readonly IncidentMetricsRow[],
  audience: CsvAudience = EVERYTHING_VISIBLE,
  clocks: ReadonlyMap<string, ClockCounts> = new Map(),
  orders: ReadonlyMap<string, OrderColumns> = new Map(),
): string {
  return stringify(
    rows.map((row) => cells(row, audience, clocks.get(row.incidentId) ?? NO_CLOCKS, orders.get(row.incidentId) ?? NO_ORDERS)),
    { record_delimiter: 'windows', quoted: true, quoted_empty: true },
  );
}
