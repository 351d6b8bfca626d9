/**
 * GET /api/incidents.csv?from=YYYY-MM-DD&to=YYYY-MM-DD: the incidents declared on those UTC days
 * (both included) as CSV, for spreadsheets and BI tools. Bearer REPORTS_API_TOKEN; unset: 404.
 * The CSV streams a page of incidents at a time, with backpressure (issue 26): a year's first
 * byte leaves before its last incident is read. A failure after the first byte can no longer be
 * a 500: the response is cut short (no final chunk), which a client sees as a failed download.
 */
import type { CustomRoute } from '@slack/bolt';
import type { Logger } from '../log.js';
import type { IncidentsCsvAnswer } from '../services/reports/export.js';
import { bearerAllowed, reply, replyStream } from './reply.js';

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
      let answer: IncidentsCsvAnswer;
      try {
        answer = await deps.csv(query.get('from') ?? undefined, query.get('to') ?? undefined);
      } catch (err) {
        deps.logger.error({ err }, 'building the incident CSV failed');
        return reply(res, 500, 'The export could not be built right now; try again in a minute.\n');
      }
      if (!answer.ok) return reply(res, 400, `${answer.problems.join('\n')}\n`);
      try {
        await replyStream(res, 200, answer.chunks, {
          'content-type': 'text/csv; charset=utf-8; header=present',
          'content-disposition': `attachment; filename="${answer.filename}"`,
        });
        deps.logger.info({ rows: answer.rows() }, 'incident CSV served');
      } catch (err) {
        deps.logger.error({ err, rows: answer.rows() }, 'streaming the incident CSV failed; the response was cut short');
      }
    },
  };
}
