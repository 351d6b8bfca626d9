/**
 * A year of record (issue 26): what the hot read paths cost on a database holding 0, 10,000 and
 * 100,000 incidents of one year (bench/seed-year.ts: 20 timeline entries, 1.5 clocks, 3 intake
 * reports, ... per incident), each figure against the same path on the empty database in the
 * same run. Prints a table and rewrites the `record` section of BENCHMARKS.md.
 *
 * - `/incident report` for a week, a month and a year, App Home for a person who sees about 500
 *   open incidents, `/incident list`, `/incident deadlines`, `/incident intake`: p95 of 20 runs
 *   after 2 warm-ups, through the real services and renderers (bench/record-paths.ts);
 * - the CSV export of a year (bench/record-export.ts, a fresh process): first byte, RSS growth;
 * - declare-to-card p95: the real bot (bench/sut.ts) against the fake Slack, sequential
 *   declarations into a copy of each database.
 *
 * Seeded databases are kept between runs, named after the migrations and the size (`bench_year_*`);
 * BENCH_RECORD_RESEED=1 writes them again.
 *
 * Knobs (env): BENCH_RECORD_SIZES (0,10000,100000), BENCH_RECORD_QUICK=1 (0,10000),
 * BENCH_RECORD_RUNS (20), BENCH_RECORD_DECLARATIONS (30; 0 skips), BENCH_NO_WRITE=1.
 */
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { loadMeridianConfig } from '../src/config-file/load.js';
import { openDatabase } from '../src/db/client.js';
import { startFakeSlack } from '../tests/fakes/fake-slack.js';
import { ADMIN_DATABASE_URL, ensureTestInfrastructure, TEST_REDIS_URL } from '../tests/support/infra.js';
import { BOT_TOKEN, flushPrefix, SIGNING_SECRET } from '../tests/support/meridian-harness.js';
import { ensureTemplateDatabase, testQueuePrefix } from '../tests/support/test-database.js';
import { forkTs } from './child.js';
import { runSequentialDeclarations } from './declare.js';
import { keepAliveAgent } from './load.js';
import { hotPaths } from './record-paths.js';
import { describeMachine, machineLines, writeSection } from './report.js';
import { SEED_TEAM, SEED_VERSION, SEED_VIEWER, seedYear } from './seed-year.js';
import { markdownTable, ms, summarize } from './stats.js';
import type { FromSut, SutConfig, ToSut } from './sut.js';

const QUICK = process.env.BENCH_RECORD_QUICK === '1';
const SIZES = (process.env.BENCH_RECORD_SIZES ?? (QUICK ? '0,10000' : '0,10000,100000')).split(',').map(Number);
const RUNS = Number(process.env.BENCH_RECORD_RUNS ?? 20);
const DECLARATIONS = Number(process.env.BENCH_RECORD_DECLARATIONS ?? 30);
/** The end of the seeded year: fixed, so a kept database stays valid. */
const NOW = new Date('2026-12-07T12:00:00Z');
const BENCHMARKS_FILE = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const CONFIG_FILE = fileURLToPath(new URL('../config/meridian.example.yaml', import.meta.url));
const TARGETS: Record<string, number> = {
  '/incident report weekly': 1000,
  '/incident report monthly': 1000,
  '/incident report <a year>': 3000,
  'App Home': 200,
  '/incident list': 200,
  '/incident deadlines': 200,
  '/incident intake': 200,
};
const EXPORT_FIRST_BYTE_TARGET_MS = 1000;
const EXPORT_RSS_TARGET_MB = 50;
const DECLARE_RATIO_TARGET = 1.2;

const urlOf = (name: string) => {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

/** The kept database of `size` incidents (seeded on first use), named after the migrations. */
async function yearDatabase(admin: postgres.Sql, size: number): Promise<string> {
  const template = await ensureTemplateDatabase();
  const name = `bench_year_v${SEED_VERSION}_${size}_${template.slice(-16)}`;
  const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
  if (exists && process.env.BENCH_RECORD_RESEED !== '1') return name;
  const building = `${name}_building`;
  await admin.unsafe(`drop database if exists "${building}" with (force)`);
  await admin.unsafe(`create database "${building}" template "${template}"`);
  if (size > 0) {
    const started = performance.now();
    const sql = postgres(urlOf(building), { max: 1, onnotice: () => {} });
    try {
      const done = await seedYear(sql, { incidents: size, now: NOW });
      console.log(`  seeded ${size} incidents in ${((performance.now() - started) / 1000).toFixed(1)} s:`);
      for (const d of done) console.log(`    ${d.table.padEnd(22)} ${String(d.rows).padStart(9)} rows ${String(d.ms).padStart(7)} ms`);
    } finally {
      await sql.end({ timeout: 5 });
    }
  }
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`alter database "${building}" rename to "${name}"`);
  return name;
}

interface PathFigure {
  p50: number;
  p95: number;
  /** What the path returned (rows, blocks): shows a broken path. */
  size: number;
}

async function measurePaths(url: string): Promise<Map<string, PathFigure>> {
  const loaded = await loadMeridianConfig(CONFIG_FILE);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const handle = await openDatabase({ url, dataDir: '/nonexistent', maxConnections: 10 });
  const figures = new Map<string, PathFigure>();
  try {
    for (const path of hotPaths({ db: handle.db, meridian: loaded.config, now: NOW, teamId: SEED_TEAM, viewer: SEED_VIEWER })) {
      let size = 0;
      for (let i = 0; i < 2; i++) size = await path.run();
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        await path.run();
        samples.push(performance.now() - started);
      }
      const s = summarize(samples);
      figures.set(path.name, { p50: s.p50, p95: s.p95, size });
      console.log(`    ${path.name.padEnd(28)} p50 ${ms(s.p50).padStart(9)}  p95 ${ms(s.p95).padStart(9)} ms  (${size})`);
    }
  } finally {
    await handle.close();
  }
  return figures;
}

interface ExportFigure {
  firstByteMs: number;
  /** The header and the first page of incidents (the CSV streams a page at a time). */
  firstPageMs: number;
  totalMs: number;
  bytes: number;
  rssGrowthMB: number;
  streams: boolean;
}

async function measureExport(url: string): Promise<ExportFigure> {
  const script = fileURLToPath(new URL('./record-export.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...process.execArgv, '--expose-gc', script, url, NOW.toISOString(), SEED_VIEWER],
    {
      maxBuffer: 1 << 20,
    },
  );
  const figure = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ExportFigure;
  console.log(
    `    CSV export of a year: first byte ${ms(figure.firstByteMs, 0)} ms, first page ${ms(figure.firstPageMs, 0)} ms, whole ${ms(figure.totalMs, 0)} ms, ${figure.bytes} bytes, RSS +${ms(figure.rssGrowthMB, 1)} MB`,
  );
  return figure;
}

/** Declare-to-card p95 of the real bot on a copy of `database`. */
async function measureDeclare(admin: postgres.Sql, database: string, label: string): Promise<{ p95: number; p50: number; n: number }> {
  const copy = `${database}_declare`;
  await admin.unsafe(`drop database if exists "${copy}" with (force)`);
  await admin.unsafe(`create database "${copy}" template "${database}"`);
  // The bot syncs its own config (no schedules) and refuses to drop the seeded one: it is not the bot's.
  const copySql = postgres(urlOf(copy), { max: 1, onnotice: () => {} });
  await copySql`delete from schedules`.finally(() => copySql.end({ timeout: 5 }));
  const fake = await startFakeSlack({ token: BOT_TOKEN });
  const queuePrefix = testQueuePrefix(`${import.meta.url}-${label}`);
  await flushPrefix(queuePrefix);
  const cfg: SutConfig = {
    kind: 'meridian',
    signingSecret: SIGNING_SECRET,
    botToken: BOT_TOKEN,
    slackApiUrl: fake.url,
    databaseUrl: urlOf(copy),
    redisUrl: TEST_REDIS_URL,
    queuePrefix,
    feedChannelId: fake.addChannel({ name: 'incidents-feed', botIsMember: true }),
  };
  const child = forkTs<ToSut, FromSut>(new URL('./sut.ts', import.meta.url), {
    name: 'meridian',
    env: { BENCH_SUT_CONFIG: JSON.stringify(cfg) },
  });
  const agent = keepAliveAgent();
  try {
    const ready = await child.next('ready');
    const eventsUrl = `http://127.0.0.1:${ready.port}/slack/events`;
    const opts = { fake, agent, eventsUrl, signingSecret: SIGNING_SECRET };
    await runSequentialDeclarations({ ...opts, count: 5, label: `warm${label}` });
    const { samples, failures } = await runSequentialDeclarations({ ...opts, count: DECLARATIONS, label: `rec${label}` });
    if (failures.length) throw new Error(`declarations failed: ${failures.slice(0, 3).join('\n')}`);
    const s = summarize(samples.map((x) => x.toCardMs));
    console.log(`    declare-to-card: p50 ${ms(s.p50, 0)} ms, p95 ${ms(s.p95, 0)} ms (${s.count})`);
    return { p95: s.p95, p50: s.p50, n: s.count };
  } finally {
    await child.stop({ type: 'stop' });
    agent.destroy();
    await fake.close();
    await flushPrefix(queuePrefix).catch(() => {});
    await admin.unsafe(`drop database if exists "${copy}" with (force)`);
  }
}

interface SizeFigures {
  size: number;
  paths: Map<string, PathFigure>;
  exportYear: ExportFigure;
  declare?: { p95: number; p50: number; n: number };
}

const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

function render(results: SizeFigures[], machine: string[], load: string): string {
  const sizes = results.map((r) => r.size);
  const largest = results.at(-1);
  const head = [
    'path (p95, ms)',
    ...sizes.map((n) => `${n.toLocaleString('en')} incidents`),
    `x empty (${largest?.size.toLocaleString('en')})`,
    'target',
    'verdict',
  ];
  const rows: string[][] = [];
  for (const name of Object.keys(TARGETS)) {
    const p95s = results.map((r) => r.paths.get(name)?.p95 ?? Number.NaN);
    const last = p95s.at(-1) ?? Number.NaN;
    const target = TARGETS[name] ?? Number.NaN;
    rows.push([name, ...p95s.map((x) => ms(x, 1)), ms(last / (p95s[0] ?? Number.NaN), 1), `< ${target}`, verdict(last < target)]);
  }
  const firstBytes = results.map((r) => r.exportYear.firstByteMs);
  rows.push([
    'CSV export of a year: first byte',
    ...firstBytes.map((x) => ms(x, 0)),
    ms((firstBytes.at(-1) ?? 0) / (firstBytes[0] ?? 1), 1),
    `< ${EXPORT_FIRST_BYTE_TARGET_MS}`,
    verdict((firstBytes.at(-1) ?? Number.POSITIVE_INFINITY) < EXPORT_FIRST_BYTE_TARGET_MS),
  ]);
  const rss = results.map((r) => r.exportYear.rssGrowthMB);
  rows.push([
    'CSV export of a year: RSS growth (MB)',
    ...rss.map((x) => ms(x, 1)),
    '',
    `< ${EXPORT_RSS_TARGET_MB}`,
    verdict((rss.at(-1) ?? Number.POSITIVE_INFINITY) < EXPORT_RSS_TARGET_MB),
  ]);
  if (results.every((r) => r.declare)) {
    const p95s = results.map((r) => r.declare?.p95 ?? Number.NaN);
    const ratio = (p95s.at(-1) ?? Number.NaN) / (p95s[0] ?? Number.NaN);
    rows.push([
      'declare-to-card',
      ...p95s.map((x) => ms(x, 0)),
      ms(ratio, 2),
      `<= ${DECLARE_RATIO_TARGET}x empty`,
      verdict(ratio <= DECLARE_RATIO_TARGET),
    ]);
  }
  const sizesRow = results.map(
    (r) => `${r.size}: list ${r.paths.get('/incident list')?.size ?? 0} blocks, CSV ${r.exportYear.bytes} bytes`,
  );
  return [
    '## A year of record (bench/record.ts)',
    '',
    `Each path on a database of 0, 10,000 and 100,000 incidents declared over one year (\`bench/seed-year.ts\`; per incident 20 timeline entries, 1.5 clocks, 3 intake reports, 0.6 follow-ups, 0.1 orders, 1.2 pages), p95 of ${RUNS} runs after 2 warm-ups, through the real services and renderers (Slack stubbed). App Home, list and deadlines are read as a person who sees about 500 open incidents. Declare-to-card: the real bot against the fake Slack, ${DECLARATIONS} sequential declarations into a copy of each database.`,
    '',
    markdownTable(head, rows),
    '',
    `Sizes (a broken path shows here): ${sizesRow.join('; ')}.`,
    '',
    `Load while measuring: ${load}.`,
    '',
    ...machine,
  ].join('\n');
}

async function main(): Promise<void> {
  await ensureTestInfrastructure();
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  const results: SizeFigures[] = [];
  const loads: string[] = [];
  try {
    for (const size of SIZES) {
      console.log(`record bench: ${size} incidents`);
      const name = await yearDatabase(admin, size);
      const { loadavg } = await import('node:os');
      loads.push(loadavg()[0]?.toFixed(1) ?? '?');
      const paths = await measurePaths(urlOf(name));
      const exportYear = await measureExport(urlOf(name));
      const declare = DECLARATIONS > 0 ? await measureDeclare(admin, name, String(size)) : undefined;
      results.push({ size, paths, exportYear, ...(declare ? { declare } : {}) });
    }
    const machine = machineLines(await describeMachine(ADMIN_DATABASE_URL, TEST_REDIS_URL));
    const body = render(results, machine, `1-minute load average ${loads.join(', ')} at the start of each size (2 cores)`);
    console.log(body);
    if (process.env.BENCH_NO_WRITE !== '1') writeSection(BENCHMARKS_FILE, 'record', body);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

await main();
