/**
 * The plans of the hot read paths (issue 26): each runs through the real repository function on a
 * seeded year, with sequential scans disabled, and Postgres's auto_explain hands every plan back as
 * a notice. A plan that still scans a large table sequentially has no index to use: its cost grows
 * with the whole history, not with the period or the page it reads; so does a full scan of an index.
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_TEAM, SEED_VIEWER, seedYear } from '../../bench/seed-year.js';
import type { Database } from '../../src/db/client.js';
import { openClocksVisibleTo } from '../../src/db/repos/clocks.js';
import { openPagesOfUser } from '../../src/db/repos/escalations.js';
import { countOpenIncidentsVisibleTo, listOpenIncidentsVisibleTo } from '../../src/db/repos/incidents.js';
import { ordersReceivedBetween } from '../../src/db/repos/orders.js';
import {
  countIncidentsDeclaredBetween,
  deadlineCountsDueBetween,
  digestIncidentsDeclaredBetween,
  incidentMetricsDeclaredBetween,
  incidentMetricsPageDeclaredBetween,
  incidentNumberSpanDeclaredBetween,
  pagesBetween,
} from '../../src/db/repos/record-queries.js';
import { listPendingReports } from '../../src/db/repos/intake-reports.js';
import * as schema from '../../src/db/schema/index.js';
import { incidentsCsvFor } from '../../src/services/reports/export.js';
import { createTestDatabase } from '../support/test-database.js';

const NOW = new Date('2026-12-07T12:00:00Z');
const WEEK_AGO = new Date(NOW.getTime() - 7 * 86_400_000);
const YEAR_AGO = new Date(NOW.getTime() - 365 * 86_400_000);
const LARGE_TABLES = [
  'incidents',
  'timeline_entries',
  'pages',
  'incident_clocks',
  'intake_reports',
  'follow_up_actions',
  'orders',
  'audit_log',
];

describe('hot queries use an index on every large table', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: postgres.Sql;
  let db: Database;
  const plans: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(import.meta.url);
    // One connection, so the session's settings hold for every query.
    client = postgres(database.url, { max: 1, onnotice: (n) => void plans.push(String(n.message)), connection: { jit: 'off' } });
    await seedYear(client, { incidents: 300, now: NOW, open: 40, pendingReports: 20 });
    await client.unsafe(`load 'auto_explain'`);
    await client.unsafe('set auto_explain.log_min_duration = 0; set auto_explain.log_level = notice; set enable_seqscan = off');
    db = drizzle(client, { schema }) as unknown as Database;
  });
  afterAll(async () => {
    await client?.end({ timeout: 5 });
    await database?.drop();
  });

  /**
   * Runs `query` and returns the large tables its plans read whole: a sequential scan, or an index
   * scan with no index condition on an index that is not partial (a full index scan, which the
   * planner picks when sequential scans are off and nothing narrower exists).
   */
  async function fullScansOf(query: () => Promise<unknown>): Promise<string[]> {
    const partial = new Set(
      (await client`select indexrelid::regclass::text as name from pg_index where indpred is not null`).map((r) => String(r.name)),
    );
    plans.length = 0;
    await query();
    expect(plans.length).toBeGreaterThan(0);
    const full: string[] = [];
    for (const plan of plans) {
      const lines = plan.split('\n');
      lines.forEach((line, i) => {
        const scan = /(Seq Scan|Index Scan using (\S+)|Index Only Scan using (\S+)) on (\w+)/.exec(line);
        if (!scan) return;
        const table = scan[4] ?? '';
        const index = scan[2] ?? scan[3];
        const indent = line.search(/\S/);
        const details: string[] = [];
        for (const next of lines.slice(i + 1)) {
          if (next.search(/\S/) <= indent || next.includes('->')) break;
          details.push(next);
        }
        const bounded = index !== undefined && (partial.has(index) || details.some((d) => d.includes('Index Cond:')));
        if (!bounded && LARGE_TABLES.includes(table)) full.push(table);
      });
    }
    return [...new Set(full)];
  }

  const cases: Array<[string, () => Promise<unknown>]> = [
    ['the week of a report: its declarations', () => digestIncidentsDeclaredBetween(db, WEEK_AGO, NOW)],
    ['the week of a report: declared since', () => countIncidentsDeclaredBetween(db, WEEK_AGO, NOW)],
    ['the CSV export of a week', () => incidentMetricsDeclaredBetween(db, WEEK_AGO, NOW)],
    ['the week of a report: its pages', () => pagesBetween(db, WEEK_AGO, NOW)],
    ['the week of a report: its deadlines', () => deadlineCountsDueBetween(db, WEEK_AGO, NOW)],
    ['the week of a report: its orders', () => ordersReceivedBetween(db, WEEK_AGO, NOW)],
    ['/incident list and App Home: the open incidents', () => listOpenIncidentsVisibleTo(db, SEED_TEAM, { userId: SEED_VIEWER })],
    ['/incident list: their count', () => countOpenIncidentsVisibleTo(db, SEED_TEAM, { userId: SEED_VIEWER })],
    ['/incident deadlines', () => openClocksVisibleTo(db, SEED_TEAM, SEED_VIEWER, false)],
    ['/incident intake', () => listPendingReports(db, 30)],
    ['App Home: the viewer’s open pages', () => openPagesOfUser(db, 'U0SGA0001')],
    ['the CSV of a year: its span of numbers', () => incidentNumberSpanDeclaredBetween(db, YEAR_AGO, NOW)],
    [
      'the CSV of a year: one page',
      () => incidentMetricsPageDeclaredBetween(db, { from: YEAR_AGO, to: NOW, after: 100, last: 300, limit: 50 }),
    ],
  ];
  it('the digest reads the same incidents and figures as the incident_metrics view', async () => {
    const from = new Date(NOW.getTime() - 366 * 86_400_000);
    const fromView = (await incidentMetricsDeclaredBetween(db, from, NOW)).map((r) => ({
      number: r.number,
      title: r.title,
      private: r.private,
      severity: r.severity,
      declaredSeverity: r.declaredSeverity,
      peakSeverity: r.peakSeverity,
      category: r.category,
      status: r.status,
      declaredAt: r.declaredAt,
      resolvedAt: r.resolvedAt,
      timeToAcknowledgeS: r.timeToAcknowledgeS,
      timeToMitigateS: r.timeToMitigateS,
      timeToResolveS: r.timeToResolveS,
      hub: r.hub,
    }));
    const read = (await digestIncidentsDeclaredBetween(db, from, NOW)).sort((a, b) => a.number - b.number);
    expect(fromView.length).toBe(300);
    const varied = (pick: (r: (typeof fromView)[number]) => unknown) => new Set(fromView.map(pick)).size;
    // The seed's year varies what the set-based query computes: hubs, open and resolved, private titles.
    expect(varied((r) => r.hub)).toBeGreaterThan(2);
    expect(varied((r) => r.timeToResolveS === null)).toBe(2);
    expect(varied((r) => r.private)).toBe(2);
    expect(read).toEqual(fromView);
    expect(await countIncidentsDeclaredBetween(db, from, NOW)).toBe(300);
  });

  for (const [name, query] of cases) {
    it(`${name} reads no large table whole`, async () => {
      expect(await fullScansOf(query)).toEqual([]);
    });
  }

  it('the check can fail: a query with no index to use is caught', async () => {
    expect(await fullScansOf(() => client`select count(*) from timeline_entries where text like '%queue%'`)).toEqual(['timeline_entries']);
    expect(await fullScansOf(() => client`select * from incidents where title like 'Seeded%' order by number limit 5`)).toEqual([
      'incidents',
    ]);
  });

  it('the CSV of a year read in pages of 7 is byte for byte the CSV read in one page, private details hidden alike', async () => {
    const csvOf = async (pageSize: number) => {
      const answer = await incidentsCsvFor({ db, admins: [], pageSize }, '2025-12-08', '2026-12-07', SEED_VIEWER);
      if (!answer.ok) throw new Error(answer.problems.join('; '));
      const pieces: string[] = [];
      for await (const piece of answer.chunks) pieces.push(piece);
      return { pieces, rows: answer.rows() };
    };
    const paged = await csvOf(7);
    const whole = await csvOf(100_000);
    expect(whole.pieces).toHaveLength(2); // the header, then every incident at once
    expect(paged.pieces.length).toBeGreaterThan(40); // 300 incidents: the header, then pages of 7
    expect(paged.pieces.join('')).toBe(whole.pieces.join(''));
    expect(paged.rows).toBe(whole.rows);
    const lines = paged.pieces
      .join('')
      .split('\r\n')
      .filter((line) => line !== '');
    expect(lines).toHaveLength(paged.rows + 1);
    expect(paged.rows).toBeGreaterThan(250);
    const numbers = lines.slice(1).map((line) => Number(JSON.parse(line.split(',')[0] ?? '')));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    // Some private incidents the viewer is not in: severity and category blank, the title (private).
    expect(lines.some((line) => line.includes('"(private)","","","true"'))).toBe(true);
  });
});
