import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { MIGRATIONS_FOLDER, openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { ADMIN_DATABASE_URL } from './infra.js';

const urlOf = (name: string): string => {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

/**
 * The migrated template every test file's database is copied from: named after a hash of the
 * migration files, so a changed migration makes a new template and two checkouts with the same
 * migrations share one. Not `mt_...`: an orphan sweep (this one, or an older checkout's) leaves it alone.
 */
export function templateDatabaseName(): string {
  const hash = createHash('sha1');
  for (const file of readdirSync(MIGRATIONS_FOLDER, { recursive: true, encoding: 'utf8' }).sort()) {
    hash.update(file);
    try {
      hash.update(readFileSync(path.join(MIGRATIONS_FOLDER, file)));
    } catch {
      /* a folder */
    }
  }
  return `tpl_meridian_${hash.digest('hex').slice(0, 16)}`;
}

/**
 * Migrates once into the template database (the global setup calls it), unless a run with the
 * same migrations already did. It is built under a name of this process's own and renamed when
 * complete, so a parallel run never copies a half-migrated template; with no connection left on
 * it, `create database ... template` may copy it.
 */
export async function ensureTemplateDatabase(): Promise<string> {
  const template = templateDatabaseName();
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    const exists = async (name: string) => (await admin`select 1 from pg_database where datname = ${name}`).length > 0;
    if (await exists(template)) return template;
    // Random as well: the `default` and `cluster` projects' global setups run in one process.
    const building = `${template}_${randomBytes(3).toString('hex')}_${process.pid}`;
    await admin.unsafe(`drop database if exists "${building}" with (force)`);
    await admin.unsafe(`create database "${building}"`);
    const handle = await openDatabase({ url: urlOf(building), dataDir: '/nonexistent', maxConnections: 1 });
    try {
      await handle.migrate();
    } finally {
      await handle.close();
    }
    try {
      await admin.unsafe(`alter database "${building}" rename to "${template}"`);
    } catch (err) {
      await admin.unsafe(`drop database if exists "${building}" with (force)`);
      if (!(await exists(template))) throw err; // a parallel run finished first otherwise
    }
    return template;
  } finally {
    await admin.end({ timeout: 2 });
  }
}

/**
 * A database of its own for one test file, named after the file, copied from the migrated
 * template (a file copy, about 20x faster than migrating; the template is built on first use when
 * no global setup did). Drizzle's generated SQL names the `public` schema, so isolation is by
 * database, not schema.
 */
export async function createTestDatabase(fileUrl: string): Promise<DatabaseHandle & { url: string; name: string; drop(): Promise<void> }> {
  const name = testScopeName(fileUrl, 'mt');
  const template = await ensureTemplateDatabase();
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await copyTemplate(admin, name, template);
  } finally {
    await admin.end({ timeout: 2 });
  }
  const url = new URL(urlOf(name));
  const handle = await openDatabase({ url: url.toString(), dataDir: '/nonexistent', maxConnections: 5 });
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

/** `create database ... template`, retried while another session briefly holds the template (Postgres refuses then). */
async function copyTemplate(admin: postgres.Sql, name: string, template: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.unsafe(`create database "${name}" template "${template}"`);
      return;
    } catch (err) {
      if (attempt >= 50 || !String((err as Error).message).includes('being accessed by other users')) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Drops test databases whose process is gone (a run that was killed before its clean-up). */
export async function dropOrphanTestDatabases(): Promise<void> {
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    // mt_<file>_<hash>_<pid>, and a template half-built by a killed run (tpl_meridian_<hash>_<random>_<pid>).
    // The patterns are parameters: in a tagged template, '\\_' would reach Postgres as a bare '_' (any character).
    const rows = await admin<{ datname: string }[]>`
      select datname from pg_database where datname like ${'mt\\_%'} or datname like ${'tpl\\_meridian\\_%\\_%'}`;
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
