/**
 * The DSA transparency figures from the record: `/incident transparency <period>` (the CSVs to the
 * requester's DM and a short summary) and GET /api/transparency.csv. No incident is named, so
 * private incidents are counted like the others.
 */
import { stringify } from 'csv-stringify/sync';
import { noticesReceivedBetween, ordersReceivedBetween } from '../../db/repos/orders.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { formatDuration } from '../../domain/duration.js';
import {
  NOTICE_COLUMNS,
  ORDER_COLUMNS,
  readTransparencyPeriod,
  type TransparencyPeriod,
  type TransparencyTables,
  transparencyChartOption,
  transparencyTables,
} from '../../domain/transparency.js';
import { UserError } from '../../errors.js';
import type { RegulatoryDeps } from './deps.js';
import { renderChartPng } from '../reports/digest-chart.js';
import { withClockTimes } from './orders.js';

export type TransparencyPart = 'orders' | 'notices';
export const TRANSPARENCY_PARTS: readonly TransparencyPart[] = ['orders', 'notices'];

/** What the CSV API answers: the CSV, or what was wrong with the query. */
export type TransparencyCsvAnswer = { ok: true; csv: string; filename: string } | { ok: false; problems: string[] };

/** The period's tables, computed from the orders (with their clocks' times) and the intake reports. */
export async function transparencyFor(
  deps: Pick<RegulatoryDeps, 'db' | 'meridian'>,
  period: TransparencyPeriod,
): Promise<TransparencyTables> {
  const orders = await withClockTimes(deps, await ordersReceivedBetween(deps.db, period.from, period.to));
  const counted = orders.map((o) => ({
    orderType: o.orderType,
    contentType: o.contentType,
    memberState: o.memberState,
    receivedAt: o.receivedAt,
    receiptConfirmedAt: o.times.receiptConfirmedAt,
    effectGivenAt: o.times.effectGivenAt,
  }));
  return transparencyTables(period, counted, await noticesReceivedBetween(deps.db, period.from, period.to));
}

/** RFC 4180, UTF-8, CRLF; the header bare, every data cell quoted (see incident-csv.ts on spreadsheet formulas). */
export function tableCsv(columns: readonly string[], rows: readonly string[][]): string {
  return (
    stringify([[...columns]], { record_delimiter: 'windows' }) +
    stringify(rows as string[][], { record_delimiter: 'windows', quoted: true, quoted_empty: true })
  );
}

export function partCsv(tables: TransparencyTables, part: TransparencyPart): string {
  return part === 'orders' ? tableCsv(ORDER_COLUMNS, tables.orders) : tableCsv(NOTICE_COLUMNS, tables.notices);
}

/** GET /api/transparency.csv?period=2026-H1&part=orders|notices */
export async function transparencyCsv(
  deps: Pick<RegulatoryDeps, 'db' | 'meridian'>,
  periodText: string | undefined,
  partText: string | undefined,
): Promise<TransparencyCsvAnswer> {
  const problems: string[] = [];
  const read = readTransparencyPeriod(periodText ?? '');
  if (!read.ok) problems.push(`period: ${read.problem}`);
  const part = (partText ?? 'orders') as TransparencyPart;
  if (!TRANSPARENCY_PARTS.includes(part)) problems.push(`part: expected orders or notices, got "${String(partText).slice(0, 20)}"`);
  if (!read.ok || problems.length) return { ok: false, problems };
  const tables = await transparencyFor(deps, read.period);
  return { ok: true, csv: partCsv(tables, part), filename: `transparency-${read.period.label}-${part}.csv` };
}

const span = (ms: number | null) => (ms === null ? 'n/a' : formatDuration(ms));

/** The short summary posted with the files. */
export function transparencySummary(label: string, tables: TransparencyTables): string {
  const s = tables.summary;
  const share = s.notices ? ` (${Math.round((s.trustedFlaggerNotices / s.notices) * 100)}% from trusted flaggers)` : '';
  return [
    `:bar_chart: *DSA transparency figures, ${label}* (Art. 15(1)(a) and (b); counsel confirms before publication)`,
    `• Orders: ${s.orders} (${s.byOrderType.act} to act, ${s.byOrderType.information} to provide information)`,
    `• Median time to confirm receipt: ${span(s.medianReceiptMs)}; to give effect: ${span(s.medianEffectMs)}`,
    `• Notices: ${s.notices}${share}; median time to action: ${span(s.medianActionMs)}`,
  ].join('\n');
}

/** `/incident transparency 2026-H1|2026-H2|2026|<from> <to>`: both CSVs to the requester's DM; the summary is the reply. Audited. */
export async function transparencyToDm(deps: RegulatoryDeps, input: { userId: string; args: string }): Promise<string> {
  const read = readTransparencyPeriod(input.args);
  if (!read.ok)
    throw new UserError(
      'bad_transparency_period',
      `Use \`/incident transparency 2026-H1\` (or 2026-H2, 2026, or <from> <to> as YYYY-MM-DD): ${read.problem}.`,
    );
  const { period } = read;
  const tables = await transparencyFor(deps, period);
  const summary = transparencySummary(period.label, tables);
  const dm = await deps.slack.openDm(input.userId);
  const files: string[] = [];
  for (const part of TRANSPARENCY_PARTS) {
    const { fileId } = await deps.slack.uploadFile({
      channelId: dm,
      filename: `transparency-${period.label}-${part}.csv`,
      title: `Transparency ${period.label}: ${part}`,
      content: partCsv(tables, part),
      ...(part === 'orders' ? { initialComment: summary } : {}),
    });
    files.push(fileId);
  }
  const chart = await uploadTransparencyChart(deps, dm, period.label, tables);
  if (chart) files.push(chart);
  await addAuditRecord(deps.db, {
    at: deps.clock(),
    actorId: input.userId,
    action: 'record.transparency',
    details: { period: period.label, files },
  });
  return `${summary}\nThe CSVs (orders, notices)${chart ? ' and a chart' : ''} are in your DM with me.${chart ? '' : ' (The chart could not be drawn this time.)'}`;
}

/**
 * The summary's chart (orders by Member State and by content type, the medians) as a PNG in the
 * DM, drawn the way the digest draws its chart. A chart that cannot be drawn or uploaded does not
 * hold back the figures: logged, and undefined.
 */
async function uploadTransparencyChart(
  deps: RegulatoryDeps,
  channelId: string,
  label: string,
  tables: TransparencyTables,
): Promise<string | undefined> {
  try {
    const png = await renderChartPng(transparencyChartOption(label, tables));
    const { fileId } = await deps.slack.uploadFile({
      channelId,
      filename: `transparency-${label}.png`,
      title: `Transparency ${label}: chart`,
      content: png,
    });
    return fileId;
  } catch (err) {
    deps.logger.warn({ err }, 'transparency chart not drawn');
    return undefined;
  }
}
