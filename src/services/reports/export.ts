import type { Database } from '../../db/client.js';
import {
  deadlinesOfIncidents,
  type IncidentMetricsRow,
  incidentMetricsPageDeclaredBetween,
  incidentNumberSpanDeclaredBetween,
} from '../../db/repos/record-queries.js';
import { memberIncidentIds } from '../../db/repos/incidents.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { readDayRange } from '../../domain/digest-period.js';
import { UserError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';
import { clockCountsByIncident, INCIDENTS_CSV_HEADER, incidentsCsvRows, orderColumnsByIncident } from './incident-csv.js';
import { DEFAULT_REGULATORY, type RegulatoryConfig } from '../../config-file/regulatory.js';
import { answeredClocksOf, ordersOfIncidents } from '../../db/repos/orders.js';
import { orderTimes } from '../../domain/orders.js';

export interface ExportDeps {
  db: Database;
  slack: Pick<SlackGateway, 'openDm' | 'uploadFile'>;
  logger: Logger;
  clock: Clock;
  /** Admins see every private incident's details in `/incident export`; others only those they are in. */
  admins: readonly string[];
  /** Which clocks say an order was given effect (`regulatory:`); unset: the defaults. */
  regulatory?: RegulatoryConfig | undefined;
}

/**
 * What the CSV API answers: the CSV as a stream of text pieces (header first, then one piece per
 * page of incidents), or which query values were wrong. `rows` counts the incidents written so far.
 */
export type IncidentsCsvAnswer =
  | { ok: true; filename: string; chunks: AsyncIterable<string>; rows(): number }
  | { ok: false; problems: string[] };

/** Incidents per page of the CSV: a page's rows, clocks and orders are all that is held at once. */
const CSV_PAGE_SIZE = 500;

/**
 * Incidents declared from `from` to `to` (both YYYY-MM-DD, UTC days, both included) as CSV.
 * With a `reader` (a Slack user), the private incidents they are not in (and they are no admin)
 * keep only their facts: severity, category, commander and hub are blank. Without one (the
 * bearer-token API for analysts), the CSV is the `incident_metrics` view's.
 *
 * The CSV streams (issue 26): the incidents are read by number a page at a time (keyset, within
 * the period's lowest and highest number), each page with its memberships, clocks and orders, and
 * written before the next is read; the bytes are the same as the header and the lines of every row at once.
 * The span is read before the header, so a database that does not answer fails before any byte.
 */
export async function incidentsCsvFor(
  deps: Pick<ExportDeps, 'db'> & Partial<Pick<ExportDeps, 'admins' | 'regulatory'>> & { pageSize?: number },
  from: string | undefined,
  to: string | undefined,
  reader?: string,
): Promise<IncidentsCsvAnswer> {
  const pageSize = deps.pageSize ?? CSV_PAGE_SIZE;
  const range = readDayRange(from, to);
  if (!range.ok) return range;
  const period = range.period;
  const span = await incidentNumberSpanDeclaredBetween(deps.db, period.from, period.to);
  const hidesPrivate = reader !== undefined && !(deps.admins ?? []).includes(reader);
  const regulatory = deps.regulatory ?? DEFAULT_REGULATORY;
  const kinds = { receipt: regulatory.receiptConfirmedBy, effect: regulatory.effectGivenBy };
  let written = 0;

  async function pageCsv(rows: readonly IncidentMetricsRow[]): Promise<string> {
    const ids = rows.map((r) => r.incidentId);
    const hiddenIncidentIds = new Set<string>();
    if (hidesPrivate) {
      const privateIds = rows.filter((row) => row.private).map((row) => row.incidentId);
      const member = await memberIncidentIds(deps.db, reader, privateIds);
      for (const id of privateIds) if (!member.has(id)) hiddenIncidentIds.add(id);
    }
    const clocks = clockCountsByIncident(await deadlinesOfIncidents(deps.db, ids));
    const orders = await ordersOfIncidents(deps.db, ids);
    const answered = await answeredClocksOf(
      deps.db,
      orders.map((o) => o.incidentId),
    );
    const orderColumns = orderColumnsByIncident(
      orders.map((o) => ({ ...o, effectGiven: orderTimes(o, answered.get(o.incidentId) ?? [], kinds).effectGiven })),
    );
    return incidentsCsvRows(rows, { hiddenIncidentIds }, clocks, orderColumns);
  }

  async function* chunks(): AsyncGenerator<string> {
    yield INCIDENTS_CSV_HEADER;
    if (span === null) return;
    let after = span.first - 1;
    for (;;) {
      const rows = await incidentMetricsPageDeclaredBetween(deps.db, { ...period, after, last: span.last, limit: pageSize });
      const lastRow = rows.at(-1);
      if (lastRow === undefined) return;
      const text = await pageCsv(rows);
      written += rows.length;
      yield text;
      if (rows.length < pageSize) return;
      after = lastRow.number;
    }
  }

  return { ok: true, filename: `incidents-${range.fromText}-to-${range.toText}.csv`, chunks: chunks(), rows: () => written };
}

/**
 * `/incident export <from> <to>`: the same CSV, uploaded to the requester's DM with the app
 * (a file in a channel would show every title to everyone there). Audited: who took the record out.
 */
export async function exportIncidentsToDm(deps: ExportDeps, input: { userId: string; args: string }): Promise<string> {
  const [from, to, ...rest] = input.args.split(/\s+/).filter((w) => w !== '');
  const answer =
    rest.length > 0
      ? { ok: false as const, problems: ['expected two dates, from and to'] }
      : await incidentsCsvFor(deps, from, to, input.userId);
  if (!answer.ok) {
    throw new UserError(
      'bad_export_range',
      `Use \`/incident export <from> <to>\` with dates YYYY-MM-DD (UTC days, both included): ${answer.problems.join('; ')}.`,
    );
  }
  // Slack's upload needs the file's length before its bytes: the pages are gathered as bytes
  // (the CSV's size, not the rows' objects), then sent as one file.
  const pieces: Buffer[] = [];
  for await (const chunk of answer.chunks) pieces.push(Buffer.from(chunk, 'utf8'));
  const rows = answer.rows();
  const dm = await deps.slack.openDm(input.userId);
  const { fileId } = await deps.slack.uploadFile({
    channelId: dm,
    filename: answer.filename,
    title: `Incidents ${from} to ${to}`,
    content: Buffer.concat(pieces),
    initialComment: `:bar_chart: ${rows} incident${rows === 1 ? '' : 's'} declared ${from} to ${to} (UTC days). Private incidents are listed as (private); the details of those you are not in are blank.`,
  });
  await addAuditRecord(deps.db, {
    at: deps.clock(),
    actorId: input.userId,
    action: 'record.export',
    details: { from, to, rows, fileId },
  });
  deps.logger.info({ userId: input.userId, rows, fileId }, 'incident export sent');
  return `Sent the CSV of ${rows} incident${rows === 1 ? '' : 's'} (${from} to ${to}) to your DM with me.`;
}
