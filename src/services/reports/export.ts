import type { Database } from '../../db/client.js';
import { incidentMetricsDeclaredBetween } from '../../db/repos/record-queries.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { readDayRange } from '../../domain/digest-period.js';
import { UserError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';
import { incidentsCsv } from './incident-csv.js';

export interface ExportDeps {
  db: Database;
  slack: Pick<SlackGateway, 'openDm' | 'uploadFile'>;
  logger: Logger;
  clock: Clock;
}

/** What the CSV API answers: the CSV, or which query values were wrong. */
export type IncidentsCsvAnswer = { ok: true; csv: string; filename: string; rows: number } | { ok: false; problems: string[] };

/** Incidents declared from `from` to `to` (both YYYY-MM-DD, UTC days, both included) as CSV. */
export async function incidentsCsvFor(
  deps: Pick<ExportDeps, 'db'>,
  from: string | undefined,
  to: string | undefined,
): Promise<IncidentsCsvAnswer> {
  const range = readDayRange(from, to);
  if (!range.ok) return range;
  const rows = await incidentMetricsDeclaredBetween(deps.db, range.period.from, range.period.to);
  return { ok: true, csv: incidentsCsv(rows), filename: `incidents-${range.fromText}-to-${range.toText}.csv`, rows: rows.length };
}

/**
 * `/incident export <from> <to>`: the same CSV, uploaded to the requester's DM with the app
 * (a file in a channel would show every title to everyone there). Audited: who took the record out.
 */
export async function exportIncidentsToDm(deps: ExportDeps, input: { userId: string; args: string }): Promise<string> {
  const [from, to, ...rest] = input.args.split(/\s+/).filter((w) => w !== '');
  const answer =
    rest.length > 0 ? { ok: false as const, problems: ['expected two dates, from and to'] } : await incidentsCsvFor(deps, from, to);
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
    initialComment: `:bar_chart: ${answer.rows} incident${answer.rows === 1 ? '' : 's'} declared ${from} to ${to} (UTC days). Private incidents are listed as (private).`,
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
