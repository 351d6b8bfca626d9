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

/** A short, stable, identifier-safe name for the test file (database name, Redis prefix). */
export function testScopeName(fileUrl: string, kind: string): string {
  const file = path.basename(fileURLToPath(fileUrl)).replace(/\.test\.ts$/, '').replace(/[^a-z0-9]+/gi, '_').toLowerCase();
  // The process id keeps two runs of the same file (two terminals, a bench and a test) apart.
  const hash = createHash('sha1').update(`${fileUrl}:${process.pid}`).digest('hex').slice(0, 8);
  return `${kind}_${file.slice(0, 40)}_${hash}`;
}

/** A BullMQ prefix of its own for the test file; the hash tag keeps Redis Cluster happy. */
export function testQueuePrefix(fileUrl: string): string {
  return `{${testScopeName(fileUrl, 'mq')}}`;
}
