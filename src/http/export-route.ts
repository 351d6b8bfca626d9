/**
 * GET /api/incidents.csv?from=YYYY-MM-DD&to=YYYY-MM-DD: the incidents declared on those UTC days
 * (both included) as CSV, for spreadsheets and BI tools. Bearer REPORTS_API_TOKEN; unset: 404.
 */
import { timingSafeEqual } from 'node:crypto';
import type { CustomRoute } from '@slack/bolt';
import type { Logger } from '../log.js';
import type { IncidentsCsvAnswer } from '../services/reports/export.js';

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
      const send = (status: number, body: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
        res.end(body);
      };
      if (!deps.token) return send(404, 'The CSV export is off: set REPORTS_API_TOKEN.\n');
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (!sameSecret(given, deps.token)) return send(401, 'A valid bearer token is required.\n', { 'www-authenticate': 'Bearer' });
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      try {
        const answer = await deps.csv(query.get('from') ?? undefined, query.get('to') ?? undefined);
        if (!answer.ok) return send(400, `${answer.problems.join('\n')}\n`);
        deps.logger.info({ rows: answer.rows }, 'incident CSV served');
        return send(200, answer.csv, {
          'content-type': 'text/csv; charset=utf-8; header=present',
          'content-disposition': `attachment; filename="${answer.filename}"`,
        });
      } catch (err) {
        deps.logger.error({ err }, 'building the incident CSV failed');
        return send(500, 'The export could not be built right now; try again in a minute.\n');
      }
    },
  };
}

function sameSecret(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}
