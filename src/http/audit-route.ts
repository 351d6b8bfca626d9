/**
 * GET /api/audit?from=YYYY-MM-DD&to=YYYY-MM-DD&format=csv|jsonl: the audit log of those UTC days
 * (both included), for an auditor or a SIEM (issue 24; columns in docs/audit-export.md). Bearer
 * AUDIT_API_TOKEN; unset: 404.
 */
import type { CustomRoute } from '@slack/bolt';
import type { Logger } from '../log.js';
import type { AuditExportAnswer } from '../services/retention/audit-export.js';
import { bearerAllowed, reply } from './reply.js';

export function auditExportRoute(deps: {
  token: string | undefined;
  exportAudit(query: { from: string | undefined; to: string | undefined; format: string | undefined }): Promise<AuditExportAnswer>;
  logger: Logger;
}): CustomRoute {
  return {
    path: '/api/audit',
    method: ['GET'],
    handler: async (req, res) => {
      if (!bearerAllowed(req, res, deps.token, 'The audit export is off: set AUDIT_API_TOKEN.\n')) return;
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const value = (key: string) => query.get(key) ?? undefined;
      try {
        const answer = await deps.exportAudit({ from: value('from'), to: value('to'), format: value('format') });
        if (!answer.ok) return reply(res, 400, `${answer.problems.join('\n')}\n`);
        deps.logger.info({ rows: answer.rows }, 'audit export served');
        return reply(res, 200, answer.body, {
          'content-type': answer.contentType,
          'content-disposition': `attachment; filename="${answer.filename}"`,
        });
      } catch (err) {
        deps.logger.error({ err }, 'building the audit export failed');
        return reply(res, 500, 'The export could not be built right now; try again in a minute.\n');
      }
    },
  };
}
