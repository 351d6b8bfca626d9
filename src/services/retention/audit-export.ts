/**
 * The audit log for a period, for an auditor or a SIEM (issue 24): CSV or JSON Lines with the
 * columns documented in docs/audit-export.md. Each export is itself audited.
 */
import type { Database } from '../../db/client.js';
import { auditRecordsBetween, type ExportedAuditRecord } from '../../db/repos/audit.js';
import { addAuditRecord } from '../../db/repos/record.js';
import { readDayRange } from '../../domain/digest-period.js';
import { neutraliseFormula } from '../reports/incident-csv.js';
import type { Clock } from '../types.js';

/** The documented columns, in order (docs/audit-export.md). */
export const AUDIT_EXPORT_COLUMNS = ['id', 'at', 'incident_id', 'incident_number', 'actor_id', 'action', 'outcome', 'details'] as const;

export type AuditExportAnswer =
  | { ok: true; body: string; contentType: string; filename: string; rows: number }
  | { ok: false; problems: string[] };

function fieldsOf(r: ExportedAuditRecord) {
  return {
    id: r.id,
    at: r.at.toISOString(),
    incident_id: r.incidentId,
    incident_number: r.incidentNumber,
    actor_id: r.actorId,
    action: r.action,
    outcome: r.outcome,
    details: r.details,
  };
}

/** RFC 4180: every cell quoted, quotes doubled; text a spreadsheet would run is made inert. */
function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return `"${neutraliseFormula(text).replaceAll('"', '""')}"`;
}

export async function exportAuditLog(
  deps: { db: Database; clock: Clock },
  query: { from: string | undefined; to: string | undefined; format: string | undefined },
): Promise<AuditExportAnswer> {
  const range = readDayRange(query.from, query.to);
  const format = query.format ?? 'csv';
  const problems = [
    ...(range.ok ? [] : range.problems),
    ...(format === 'csv' || format === 'jsonl' ? [] : ['format: expected csv or jsonl']),
  ];
  if (!range.ok || problems.length) return { ok: false, problems };
  const rows = (await auditRecordsBetween(deps.db, range.period.from, range.period.to)).map(fieldsOf);
  await addAuditRecord(deps.db, {
    at: deps.clock(),
    actorId: null,
    action: 'audit.export',
    details: { from: range.fromText, to: range.toText, format, rows: rows.length },
  });
  const name = `audit-${range.fromText}-to-${range.toText}.${format}`;
  if (format === 'jsonl')
    return {
      ok: true,
      body: rows.map((r) => `${JSON.stringify(r)}\n`).join(''),
      contentType: 'application/x-ndjson; charset=utf-8',
      filename: name,
      rows: rows.length,
    };
  const lines = [AUDIT_EXPORT_COLUMNS.join(','), ...rows.map((r) => AUDIT_EXPORT_COLUMNS.map((c) => csvCell(r[c])).join(','))];
  return {
    ok: true,
    body: `${lines.join('\r\n')}\r\n`,
    contentType: 'text/csv; charset=utf-8; header=present',
    filename: name,
    rows: rows.length,
  };
}
