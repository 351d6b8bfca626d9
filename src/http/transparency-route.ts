/**
 * GET /api/transparency.csv?period=2026-H1[&part=orders|notices]: the DSA transparency tables
 * (orders by content type x Member State with the medians; notices) as CSV. Bearer
 * REPORTS_API_TOKEN; unset: 404. No incident is named.
 */
import type { CustomRoute } from '@slack/bolt';
import type { Logger } from '../log.js';
import type { TransparencyCsvAnswer } from '../services/regulatory/transparency.js';
import { bearerAllowed, reply } from './reply.js';

export interface TransparencyRouteDeps {
  token: string | undefined;
  csv(period: string | undefined, part: string | undefined): Promise<TransparencyCsvAnswer>;
  logger: Logger;
}

export function transparencyCsvRoute(deps: TransparencyRouteDeps): CustomRoute {
  return {
    path: '/api/transparency.csv',
    method: ['GET'],
    handler: async (req, res) => {
      if (!bearerAllowed(req, res, deps.token, 'The transparency export is off: set REPORTS_API_TOKEN.\n')) return;
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      try {
        const answer = await deps.csv(query.get('period') ?? undefined, query.get('part') ?? undefined);
        if (!answer.ok) return reply(res, 400, `${answer.problems.join('\n')}\n`);
        deps.logger.info({ file: answer.filename }, 'transparency CSV served');
        return reply(res, 200, answer.csv, {
          'content-type': 'text/csv; charset=utf-8; header=present',
          'content-disposition': `attachment; filename="${answer.filename}"`,
        });
      } catch (err) {
        deps.logger.error({ err }, 'building the transparency CSV failed');
        return reply(res, 500, 'The report could not be built right now; try again in a minute.\n');
      }
    },
  };
}
