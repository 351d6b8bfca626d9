import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import type { Database } from '../../src/db/client.js';
import { escalations, incidents } from '../../src/db/schema/index.js';
import { isPageDm, STEP_USERS } from '../durability/support.js';
import type { FakeSlack } from '../fakes/fake-slack.js';
import { declareState, eventually, type Harness } from '../support/meridian-harness.js';
import { freePort } from '../support/ports.js';
import { redisAnswers } from '../support/infra.js';

const run = promisify(execFile);

/**
 * The fault suite's time scale. Production reconciles every minute and backs a page off from
 * 0.5 s doubling over 8 attempts (about a minute in all); the suite reconciles every 5 s and
 * backs off at a quarter (JOB_BACKOFF_SCALE), so a 20 s outage spends a page's retries and is
 * recovered by the reconciler, as a two-minute outage is in production. The production scale is a
 * benchmark figure: bench/slack-outage-long.ts (FAULTS_RECONCILE_MS=60000, FAULTS_BACKOFF_SCALE=1,
 * FAULTS_SLACK_OUTAGE_S=120).
 */
export const FAULTS_RECONCILE_MS = Number(process.env.FAULTS_RECONCILE_MS ?? 5000);
export const FAULTS_BACKOFF_SCALE = process.env.FAULTS_BACKOFF_SCALE ?? '0.25';

export { STEP_USERS };

/**
 * The durability chain (three steps, one person each, no repeat) with the waits of its choosing,
 * so a test can put steps due inside a fault window.
 */
export function faultsYaml(opts: { waitMinutes?: number } = {}): string {
  const wait = opts.waitMinutes ?? 0.02;
  return `
admins: [U0ADMIN001]
# One person declares every incident of a test file.
limits: { declarations_per_user_per_hour: 10000, declarations_per_team_per_hour: 10000 }
escalation_policies:
  - id: chain
    steps:
      - notify: [{ user: ${STEP_USERS[0]} }]
        wait_minutes: ${wait}
      - notify: [{ user: ${STEP_USERS[1]} }]
        wait_minutes: ${wait}
      - notify: [{ user: ${STEP_USERS[2]} }]
        wait_minutes: ${wait}
    repeat: 0
severities:
  sev1: { label: "SEV1 Critical", policy: chain }
  sev2: { label: "SEV2 Major" }
  sev3: { label: "SEV3 Minor" }
  sev4: { label: "SEV4 Low" }
`;
}

export function faultsConfig(opts: { waitMinutes?: number } = {}): MeridianConfig {
  const parsed = parseMeridianConfig(faultsYaml(opts), 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

/** Writes the config for a child bot into `dir`; returns its path (for MERIDIAN_CONFIG). */
export function writeFaultsConfig(dir: string, opts: { waitMinutes?: number } = {}): string {
  const file = path.join(dir, 'meridian.yaml');
  writeFileSync(file, faultsYaml(opts));
  return file;
}

export interface Declared {
  id: string;
  number: number;
}

let seq = 0;
/** The declare modal submitted as Slack would, to `eventsUrl`; the raw answer (200 with inline errors when it failed). */
export async function submitDeclaration(h: Harness, title: string, eventsUrl = h.eventsUrl) {
  seq += 1;
  const saved = h.eventsUrl;
  h.eventsUrl = eventsUrl;
  try {
    return await h.submitView({
      id: `V0FLT${process.pid}${String(seq).padStart(5, '0')}`,
      callback_id: 'declare_incident',
      state: declareState({ title, severity: 'sev1', category: 'harmful-trend' }),
    });
  } finally {
    h.eventsUrl = saved;
  }
}

/** Declares a SEV1 and returns its row, read from `db` (the bot's database, which may not be the harness's). */
export async function declareOn(h: Harness, db: Database, title: string, eventsUrl = h.eventsUrl): Promise<Declared> {
  const reply = await submitDeclaration(h, title, eventsUrl);
  if (reply.status !== 200 || reply.text.includes('response_action'))
    throw new Error(`declaration answered ${reply.status}: ${reply.text}`);
  const row = await eventually(
    async () => (await db.select().from(incidents).where(eq(incidents.title, title)))[0],
    `incident "${title}" to be recorded`,
    10_000,
  );
  return { id: row.id, number: row.number };
}

/** Waits until every escalation of `declared` has run to its end (read from `db`). */
export async function allExhausted(db: Database, declared: readonly Declared[], timeoutMs: number): Promise<void> {
  await eventually(
    async () => {
      for (const incident of declared) {
        const [e] = await db.select().from(escalations).where(eq(escalations.incidentId, incident.id));
        if (e?.status !== 'exhausted') return false;
      }
      return true;
    },
    `${declared.length} escalations to run to their end`,
    timeoutMs,
  );
}

export interface PageTally {
  /** Step pages expected: one per step per incident. */
  expected: number;
  /** Page DMs Slack accepted for those steps. */
  delivered: number;
  /** Steps whose person got no page DM. */
  lost: number;
  /** Extra DMs beyond the first, summed over steps. */
  doubled: number;
  /** Per incident, DMs per step: [1, 1, 1] when all is well. */
  perIncident: Record<string, number[]>;
}

/** Counts, in the fake Slack's calls, the page DMs each step's person got for each incident. */
export function tallyPages(fake: FakeSlack, declared: readonly Declared[]): PageTally {
  const posts = fake.callsTo('chat.postMessage');
  const tally: PageTally = { expected: declared.length * STEP_USERS.length, delivered: 0, lost: 0, doubled: 0, perIncident: {} };
  for (const incident of declared) {
    const counts = STEP_USERS.map((u) => posts.filter((c) => isPageDm(c, incident, u)).length);
    tally.perIncident[`INC-${incident.number}`] = counts;
    for (const n of counts) {
      tally.delivered += n;
      if (n === 0) tally.lost += 1;
      if (n > 1) tally.doubled += n - 1;
    }
  }
  return tally;
}

/** When the page DM of step `step` of `incident` was accepted by Slack (ms epoch), if it was. */
export function pageDeliveredAt(fake: FakeSlack, incident: Declared, step: number): number | undefined {
  return fake.callsTo('chat.postMessage').find((c) => isPageDm(c, incident, STEP_USERS[step]))?.at;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
export { seconds };

// ---------------------------------------------------------------------------------------------
// A private Postgres

export interface PrivatePostgres {
  /** postgres:// URL of the `meridian` database on it. */
  url: string;
  port: number;
  /** `pg_ctl stop -m fast`: sessions are cut (57P01), new connections refused until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its files. */
  destroy(): Promise<void>;
}

function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error(`no PostgreSQL server binaries under ${root}`);
  return path.join(root, versions[0]!, 'bin');
}

async function postgresUid(): Promise<{ uid: number; gid: number }> {
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/**
 * A Postgres server of this test file's own (initdb into a temporary directory, trust auth, a
 * free port, its socket in that directory), so the test can stop and start it. The shared
 * Postgres on 5432 is never touched. initdb and the server refuse to run as root, so as root
 * they run as the `postgres` user, which owns the directory.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'meridian-faults-pg-'));
  const data = path.join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = await postgresUid();
    chownSync(dir, uid, gid);
    chownSync(data, uid, gid);
  }
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]) : run(path.join(bin, tool), args);
  await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const serverOpts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = async () => {
    await pg('pg_ctl', ['-D', data, '-o', serverOpts, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', 'start']);
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    await pg('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);
  };
  await start();
  const admin = postgres(`postgres://postgres@127.0.0.1:${port}/postgres`, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe('create database meridian');
  } finally {
    await admin.end({ timeout: 2 });
  }
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/meridian`,
    port,
    async stop() {
      await stop('fast');
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) await stop('immediate').catch(() => {});
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A private Redis that keeps its data across a restart

export interface DurableRedis {
  url: string;
  port: number;
  /** SIGTERM (Redis finishes its append-only file) and waits until the process is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory: it reloads what it had. */
  start(): Promise<void>;
  client(): Redis;
  destroy(): Promise<void>;
}

/**
 * A redis-server of this test file's own with an append-only file fsynced on every write, so a
 * restart (not a flush) keeps every job. The shared Redis on 6379 is never touched.
 */
export async function startDurableRedis(): Promise<DurableRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'meridian-faults-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let admin: Redis | undefined;
  const answers = () => redisAnswers(url, 500);

  const self: DurableRedis = {
    url,
    port,
    async start() {
      child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--appendonly',
          'yes',
          '--appendfsync',
          'always',
          '--save',
          '',
          '--maxmemory-policy',
          'noeviction',
        ],
        { stdio: 'ignore' },
      );
      await eventually(answers, `redis-server on ${port}`, 10_000);
    },
    async stop() {
      admin?.disconnect();
      admin = undefined;
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await gone;
    },
    client() {
      if (!admin) {
        admin = new Redis(url, { maxRetriesPerRequest: 1 });
        admin.on('error', () => {});
      }
      return admin;
    },
    async destroy() {
      await self.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await self.start();
  return self;
}
