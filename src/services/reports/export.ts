import type { Database } from '../../db/client.js';
import { deadlinesOfIncidents, incidentMetricsDeclaredBetween } from '../../db/repos/record-queries.js';
import { memberIncidentIds } from '../../db/repos/incidents.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { readDayRange } from '../../domain/digest-period.js';
import { UserError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';
import { clockCountsByIncident, incidentsCsv, orderColumnsByIncident } from './incident-csv.js';
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

/** What the CSV API answers: the CSV, or which query values were wrong. */
export type IncidentsCsvAnswer = { ok: true; csv: string; filename: string; rows: number } | { ok: false; problems: string[] };

/**
 * Incidents declared from `from` to `to` (both YYYY-MM-DD, UTC days, both included) as CSV.
 * With a `reader` (a Slack user), the private incidents they are not in (and they are no admin)
 * keep only their facts: severity, category, commander and hub are blank. Without one (the
 * bearer-token API for analysts), the CSV is the `incident_metrics` view's.
 */
export async function incidentsCsvFor(
  deps: Pick<ExportDeps, 'db'> & Partial<Pick<ExportDeps, 'admins' | 'regulatory'>>,
  from: string | undefined,
  to: string | undefined,
  reader?: string,
): Promise<IncidentsCsvAnswer> {
  const range = readDayRange(from, to);
  if (!range.ok) return range;
  const rows = await incidentMetricsDeclaredBetween(deps.db, range.period.from, range.period.to);
  const hiddenIncidentIds = new Set<string>();
  if (reader !== undefined && !(deps.admins ?? []).includes(reader)) {
    const privateIds = rows.filter((row) => row.private).map((row) => row.incidentId);
    const member = await memberIncidentIds(deps.db, reader, privateIds);
    for (const id of privateIds) if (!member.has(id)) hiddenIncidentIds.add(id);
  }
  const clocks = clockCountsByIncident(
    await deadlinesOfIncidents(
      deps.db,
      rows.map((r) => r.incidentId),
    ),
  );
  const orders = await ordersOfIncidents(
    deps.db,
    rows.map((r) => r.incidentId),
  );
  const answered = await answeredClocksOf(
    deps.db,
    orders.map((o) => o.incidentId),
  );
  const regulatory = deps.regulatory ?? DEFAULT_REGULATORY;
  const kinds = { receipt: regulatory.receiptConfirmedBy, effect: regulatory.effectGivenBy };
  const orderColumns = orderColumnsByIncident(
    orders.map((o) => ({ ...o, effectGiven: orderTimes(o, answered.get(o.incidentId) ?? [], kinds).effectGiven })),
  );
  return {
    ok: true,
    csv: incidentsCsv(rows, { hiddenIncidentIds }, clocks, orderColumns),
    filename: `incidents-${range.fromText}-to-${range.toText}.csv`,
    rows: rows.length,
  };
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
  const dm = await deps.slack.openDm(input.userId);
  const { fileId } = await deps.slack.uploadFile({
    channelId: dm,
    filename: answer.filename,
    title: `Incidents ${from} to ${to}`,
    content: answer.csv,
    initialComment: `:bar_chart: ${answer.rows} incident${answer.rows === 1 ? '' : 's'} declared ${from} to ${to} (UTC days). Private incidents are listed as (private); the details of those you are not in are blank.`,
  });
  await addAuditRecord(deps.db, {
    at: deps.clock(),
    actorId: input.userId,
    action: 'record.export',
    details: { from, to, rows: answer.rows, fileId },
  });
  deps.logger.info({ userId: input.userId, rows: answer.rows, fileId }, 'incident export sent');
  return `Sent the CSV of ${answer.rows} incident${answer.rows === 1 ? '' : 's'} (${from} to ${to}) to your DM with me.`;
}
