/**
 * The hot read paths of a year of record, each doing what its command or event does up to the
 * Slack call (the services and renderers of the real bot; Slack itself is a stub that keeps what
 * it was given): `/incident report` for a week, a month and a year, App Home, `/incident list`,
 * `/incident deadlines`, `/incident intake`, and the CSV export.
 */
import type { Database } from '../src/db/client.js';
import { incidentListMessage } from '../src/blocks/incident-list.js';
import { deadlinesListMessage } from '../src/blocks/clock-messages.js';
import type { MeridianConfig } from '../src/config-file/types.js';
import { openClocksVisibleTo } from '../src/db/repos/clocks.js';
import { createLogger } from '../src/log.js';
import { createHomeServices } from '../src/services/home/index.js';
import { pendingReports } from '../src/services/intake/decide.js';
import type { IntakeDeps } from '../src/services/intake/deps.js';
import { listOpenIncidents } from '../src/services/list-incidents.js';
import { createDigestServices, type DigestDeps } from '../src/services/reports/digest.js';
import { incidentsCsvFor } from '../src/services/reports/export.js';
import { scopeOf } from '../src/services/reports/digest-scope.js';
import type { SlackGateway } from '../src/slack-api/gateway.js';

export interface HotPath {
  name: string;
  /** Runs the path once; returns a size of what the user would get (rows, blocks, bytes), so a broken path shows. */
  run(): Promise<number>;
}

/** One day before `now`, as YYYY-MM-DD, and the day a year before it. */
export function yearRange(now: Date): { from: string; to: string } {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return { from: day(new Date(now.getTime() - 365 * 86_400_000)), to: day(now) };
}

export function hotPaths(opts: { db: Database; meridian: MeridianConfig; now: Date; teamId: string; viewer: string }): HotPath[] {
  const { db, meridian, now, teamId, viewer } = opts;
  const clock = () => now;
  const logger = createLogger('silent');
  const catalog = { severities: meridian.severities, categories: meridian.categories, deadlines: meridian.deadlines ?? [], holdDuties: [] };
  let published: { blocks?: unknown[] } | undefined;
  const slack = {
    publishHome: async (_user: string, view: { blocks?: unknown[] }) => {
      published = view;
    },
  } as unknown as SlackGateway;
  const digests = createDigestServices({ db, catalog, reports: undefined, logger, clock } as unknown as DigestDeps);
  const home = createHomeServices({ db, slack, catalog, meridian, logger, clock });
  const intakeDeps = { db, clock } as unknown as IntakeDeps;
  const year = yearRange(now);
  const report = (args: string) => async () => {
    const built = await digests.build(scopeOf(args, undefined, now));
    return built.digest.total.now;
  };
  return [
    { name: '/incident report weekly', run: report('weekly') },
    { name: '/incident report monthly', run: report('monthly') },
    { name: '/incident report <a year>', run: report(`${year.from} ${year.to}`) },
    {
      name: 'App Home',
      run: async () => {
        await home.publish({ userId: viewer, teamId });
        return published?.blocks?.length ?? 0;
      },
    },
    {
      name: '/incident list',
      run: async () => {
        const page = await listOpenIncidents({ db }, { teamId, userId: viewer });
        return incidentListMessage(page, catalog, now).blocks?.length ?? 0;
      },
    },
    {
      name: '/incident deadlines',
      run: async () => {
        const open = await openClocksVisibleTo(db, teamId, viewer, false);
        return deadlinesListMessage(open.rows, open.total, now).blocks?.length ?? 0;
      },
    },
    {
      name: '/incident intake',
      run: async () => (await pendingReports(intakeDeps, async () => {}, { userId: viewer })).blocks?.length ?? 0,
    },
  ];
}

/**
 * The CSV of a year, as `/incident export` and GET /api/incidents.csv read it for a non-admin
 * reader, each piece dropped once counted (as a socket would take it); returns its length in
 * characters, when its first piece (the header, sent once the period's span is read) and when its
 * first page of incidents was ready (`performance.now()`).
 */
export async function exportYear(opts: {
  db: Database;
  now: Date;
  reader: string;
}): Promise<{ length: number; firstByteAt: number; firstPageAt: number }> {
  const { from, to } = yearRange(opts.now);
  const answer = await incidentsCsvFor({ db: opts.db, admins: [] }, from, to, opts.reader);
  if (!answer.ok) throw new Error(answer.problems.join('; '));
  let length = 0;
  const ready: number[] = [];
  for await (const chunk of answer.chunks) {
    if (ready.length < 2) ready.push(performance.now());
    length += chunk.length;
  }
  const [firstByteAt = Number.NaN, firstPageAt = firstByteAt] = ready;
  return { length, firstByteAt, firstPageAt };
}
