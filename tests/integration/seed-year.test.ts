import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_RATIOS, SEED_TEAM, SEED_VIEWER, seedYear } from '../../bench/seed-year.js';
import { listOpenIncidents } from '../../src/services/list-incidents.js';
import { createTestDatabase } from '../support/test-database.js';

const NOW = new Date('2026-12-07T12:00:00Z');
const INCIDENTS = 200;

describe('the seeding tool (bench/seed-year.ts)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sql: postgres.Sql;
  let written: Awaited<ReturnType<typeof seedYear>>;

  beforeAll(async () => {
    database = await createTestDatabase(import.meta.url);
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    written = await seedYear(sql, { incidents: INCIDENTS, now: NOW, open: 30, pendingReports: 10 });
  });
  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    await database?.drop();
  });

  const countOf = async (table: string) => Number((await sql.unsafe(`select count(*)::int as n from ${table}`))[0]?.n);

  it('writes each table in the proportions of a year, and says how many rows it wrote', async () => {
    const expected: Record<string, number> = {
      incidents: INCIDENTS,
      timeline_entries: INCIDENTS * SEED_RATIOS.timeline_entries,
      incident_clocks: INCIDENTS * SEED_RATIOS.incident_clocks,
      intake_reports: INCIDENTS * SEED_RATIOS.intake_reports,
      follow_up_actions: INCIDENTS * SEED_RATIOS.follow_up_actions,
      orders: INCIDENTS * SEED_RATIOS.orders,
      pages: INCIDENTS * SEED_RATIOS.pages,
      legal_holds: INCIDENTS * SEED_RATIOS.legal_holds,
      incident_search_text: INCIDENTS,
      incident_roles: INCIDENTS,
    };
    for (const [table, rows] of Object.entries(expected)) {
      expect(await countOf(table), table).toBe(rows);
      expect(written.find((w) => w.table === table)?.rows, table).toBe(rows);
    }
  });

  it('spreads incidents over the year before now, across categories, severities, hubs and privacy', async () => {
    const [span] = await sql`select min(declared_at) as first, max(declared_at) as last,
      count(distinct category)::int as categories, count(distinct severity)::int as severities,
      count(*) filter (where is_private)::int as private from incidents`;
    expect(new Date(span?.last).getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(NOW.getTime() - new Date(span?.first).getTime()).toBeGreaterThan(360 * 86_400_000);
    expect(span?.categories).toBe(9);
    expect(span?.severities).toBe(4);
    expect(span?.private).toBeGreaterThan(0);
    const hubs = await sql`select distinct layer from page_log order by 1`;
    expect(hubs.map((h) => h.layer)).toEqual(['AMER', 'APAC', 'EMEA', 'Weekend']);
    expect(await countOf(`intake_reports where status = 'pending'`)).toBe(10);
    expect(await countOf(`incidents where status in ('investigating', 'mitigated')`)).toBe(30);
  });

  it('leaves no row naming an incident that does not exist (the seed skips the foreign-key triggers)', async () => {
    for (const table of [
      'timeline_entries',
      'incident_clocks',
      'follow_up_actions',
      'orders',
      'pages',
      'legal_holds',
      'incident_members',
    ]) {
      expect(await countOf(`${table} t where not exists (select 1 from incidents i where i.id = t.incident_id)`), table).toBe(0);
    }
    expect(await countOf('pages p where not exists (select 1 from escalations e where e.id = p.escalation_id)')).toBe(0);
  });

  it('gives the bench its viewer: the open public incidents and their own private ones, listed by the real service', async () => {
    const visible = await countOf(`incidents i where status in ('investigating', 'mitigated') and (not is_private
      or exists (select 1 from incident_members m where m.incident_id = i.id and m.user_id = '${SEED_VIEWER}'))`);
    const page = await listOpenIncidents({ db: database.db }, { teamId: SEED_TEAM, userId: SEED_VIEWER });
    expect(page.total).toBe(visible);
    expect(visible).toBeGreaterThan(20);
    expect(visible).toBeLessThan(30);
  });

  it('a declaration after the seed gets the next incident number, and a second seed with another tag adds to the first', async () => {
    const [next] = await sql`insert into incidents (idempotency_key, team_id, title, severity, category, declared_by, declared_at)
      values ('after-seed', ${SEED_TEAM}, 'After', 'sev3', 'other', 'U0X', now()) returning number`;
    expect(next?.number).toBe(INCIDENTS + 1);
    await seedYear(sql, { incidents: 20, now: NOW, tag: 'second' });
    expect(await countOf('incidents')).toBe(INCIDENTS + 1 + 20);
  });
});
