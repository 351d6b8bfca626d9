import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/db/client.js';
import { createTestDatabase } from '../support/test-database.js';

async function tableNames(handle: { db: { execute: (q: ReturnType<typeof sql>) => Promise<unknown> } }): Promise<string[]> {
  const result = (await handle.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  )) as unknown;
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  return (rows as Array<{ table_name: string }>).map((r) => r.table_name);
}

describe('migrations', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('the same migrations build the same tables on real Postgres and on embedded PGlite', async () => {
    const pg = await createTestDatabase(import.meta.url);
    const dir = mkdtempSync(path.join(tmpdir(), 'meridian-pglite-'));
    dirs.push(dir);
    const lite = await openDatabase({ dataDir: dir });
    try {
      await lite.migrate();
      const [a, b] = [await tableNames(pg), await tableNames(lite)];
      expect(a).toContain('incidents');
      expect(a).toContain('scheduled_actions');
      expect(b).toEqual(a);
    } finally {
      await pg.drop();
      await lite.close();
    }
  });

  it('running the migrations twice is harmless', async () => {
    const pg = await createTestDatabase(import.meta.url);
    try {
      await pg.migrate();
      expect(await tableNames(pg)).toContain('incidents');
    } finally {
      await pg.drop();
    }
  });
});
