import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import * as schema from './schema/index.js';

type Schema = typeof schema;

/** The database, whichever driver sits under it (postgres.js or embedded PGlite). */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Repositories accept either, so a use case can run them inside its own transaction. */
export type Db = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  /** One connection: a transaction blocks every other query until it ends (PGlite). */
  singleConnection: boolean;
  /** Applies pending drizzle migrations; safe to call from several replicas at once. */
  migrate(): Promise<void>;
  /** Round trip used by /healthz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/** Arbitrary constant: replicas starting together take turns applying migrations. */
const MIGRATION_LOCK_KEY = 4_242_001;

/** Connects to Postgres at `url`, or opens the embedded PGlite database under `dataDir`. */
export async function openDatabase(opts: { url?: string; dataDir: string; maxConnections?: number }): Promise<DatabaseHandle> {
  return opts.url ? openPostgres(opts.url, opts.maxConnections ?? 10) : openPglite(opts.dataDir);
}

async function openPostgres(url: string, max: number): Promise<DatabaseHandle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  // The driver waits up to 20 s before it reconnects after failed attempts (3^n/100 s, counted
  // over the whole pool), so a 5 s Postgres restart kept requests failing for many seconds after it
  // was back: retry within a second instead (a refused connect is cheap).
  // JIT off: the analytics views' laterals are costed high enough to cross jit_above_cost, and
  // compiling them took 1.5 to 3 s of a report that runs in tens of milliseconds without it
  // (issue 26, BENCHMARKS.md "A year of record"); our queries are short and run once.
  const client = postgres(url, {
    max,
    onnotice: () => {},
    connect_timeout: 5,
    backoff: (retries) => Math.min(0.05 * 2 ** retries, 1),
    connection: { jit: 'off' },
  });
  // drizzle() types the database with its driver's result kind; repositories take the driver-neutral PgDatabase, which TS will not widen to.
  const db = drizzle(client, { schema }) as unknown as Database;
  return {
    db,
    kind: 'postgres',
    singleConnection: false,
    async migrate() {
      // One dedicated connection holds the advisory lock for the whole migration.
      const one = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await one`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migrate(drizzle(one), { migrationsFolder: MIGRATIONS_FOLDER });
        await one`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
      } finally {
        await one.end({ timeout: 5 });
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  // "Seen before" needs trigram similarity: PGlite ships pg_trgm as a loadable extension.
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const dir = path.resolve(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir, { extensions: { pg_trgm } });
  // As above: the PGlite result kind is not assignable to the neutral one, though the class is the same PgDatabase.
  const db = drizzle(client, { schema }) as unknown as Database;
  let closed = false;
  return {
    db,
    kind: 'pglite',
    singleConnection: true,
    async migrate() {
      await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}
