/**
 * GET /api/incidents.csv?from=YYYY-MM-DD&to=YYYY-MM-DD: the incidents declared on those UTC days
 * (both included) as CSV, for spreadsheets and BI tools. Bearer REPORTS_API_TOKEN; unset: 404.
 */
import type { CustomRoute } from '@slack/bolt';
import type { Logger } from '../log.js';
import type { IncidentsCsvAnswer } from '../services/reports/export.js';
import { bearerAllowed, reply } from './reply.js';

export interface ExportRouteDeps {
  token: string | undefined;
  csv(from: string | undefined, to: string | undefined): Promise<IncidentsCsvAnswer>;
  logger: Logger;
}

export function incidentsCsvRoute(deps: ExportRouteDeps): CustomRoute {
  return {
    path: '/api/incidents.csv',
    method: ['GET'],
    handler: async (req, res) => {
      if (!bearerAllowed(req, res, deps.token, 'The CSV export is off: set REPORTS_API_TOKEN.\n')) return;
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      try {
        const answer = await deps.csv(query.get('from') ?? undefined, query.get('to') ?? undefined);
        if (!answer.ok) return reply(res, 400, `${answer.problems.join('\n')}\n`);
        deps.logger.info({ rows: answer.rows }, 'incident CSV served');
        return reply(res, 200, answer.csv, {
          'content-type': 'text/csv; charset=utf-8; header=present',
          'content-disposition': `attachment; filename="${answer.filename}"`,
        });
      } catch (err) {
        deps.logger.error({ err }, 'building the incident CSV failed');
        return reply(res, 500, 'The export could not be built right now; try again in a minute.\n');
      }
    },
  };
}
