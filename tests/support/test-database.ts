import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { ADMIN_DATABASE_URL } from './infra.js';

/**
 * A database of its own for one test file, named after the file, created fresh and migrated.
 * Drizzle's generated SQL names the `public` schema, so isolation is by database, not schema.
 */
export async function createTestDatabase(fileUrl: string): Promise<DatabaseHandle & { url: string; name: string; drop(): Promise<void> }> {
  const name = testScopeName(fileUrl, 'mt');
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 2 });
  }
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), dataDir: '/nonexistent', maxConnections: 5 });
  await handle.migrate();
  return {
    ...handle,
    url: url.toString(),
    name,
    /** Closes this handle and drops the database (other pools on it are cut off). */
    async drop() {
      await handle.close();
      const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin.end({ timeout: 2 });
      }
    },
  };
}

/** Drops test databases whose process is gone (a run that was killed before its clean-up). */
export async function dropOrphanTestDatabases(): Promise<void> {
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin<{ datname: string }[]>`select datname from pg_database where datname like 'mt\_%'`;
    for (const { datname } of rows) {
      const pid = Number(datname.split('_').pop());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
      await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await admin.end({ timeout: 2 });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A short, stable, identifier-safe name for the test file (database name, Redis prefix). */
export function testScopeName(fileUrl: string, kind: string): string {
  const file = path
    .basename(fileURLToPath(fileUrl))
    .replace(/\.test\.ts$/, '')
    .replace(/[^a-z0-9]+/gi, '_')
    .toLowerCase();
  const hash = createHash('sha1').update(fileUrl).digest('hex').slice(0, 6);
  // The process id keeps two runs of the same file (two terminals, a bench and a test) apart,
  // and lets the global setup drop what a killed run left behind.
  return `${kind}_${file.slice(0, 36)}_${hash}_${process.pid}`;
}

/** A BullMQ prefix of its own for the test file; the hash tag keeps Redis Cluster happy. */
export function testQueuePrefix(fileUrl: string): string {
  return `{${testScopeName(fileUrl, 'mq')}}`;
}
