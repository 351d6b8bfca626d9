/**
 * The reconciler at scale: 100,000 pending scheduled actions, each with its delayed BullMQ job,
 * reconciled by the real `reconcileActions` (Postgres pages of 5,000, one Lua look-up per page),
 * on a database and a BullMQ prefix of the bench's own on the shared Postgres and Redis. Then the
 * same after Redis lost every job (all 100,000 enqueued again). Target: under 5 s for the first.
 * Rewrites the `reconcile` section of BENCHMARKS.md.
 *
 * Knobs (env): BENCH_RECONCILE_ROWS (100000), BENCH_NO_WRITE=1 (do not touch BENCHMARKS.md).
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { listPendingActions } from '../src/db/repos/scheduled-actions.js';
import { createActionQueue } from '../src/jobs/action-queue.js';
import { reconcileActions } from '../src/jobs/reconciler.js';
import { createMetrics } from '../src/metrics.js';
import { ensureTestInfrastructure, ADMIN_DATABASE_URL, TEST_REDIS_URL } from '../tests/support/infra.js';
import { flushPrefix } from '../tests/support/meridian-harness.js';
import { createTestDatabase, testQueuePrefix } from '../tests/support/test-database.js';
import { describeMachine, machineLines, writeSection } from './report.js';

const ROWS = Number(process.env.BENCH_RECONCILE_ROWS ?? 100_000);
const TARGET_MS = 5000;
const BENCHMARKS_FILE = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

async function main(): Promise<void> {
  await ensureTestInfrastructure();
  const machine = await describeMachine(ADMIN_DATABASE_URL, TEST_REDIS_URL);
  const database = await createTestDatabase(import.meta.url);
  const prefix = testQueuePrefix(import.meta.url);
  await flushPrefix(prefix);
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const logger = pino({ level: 'silent' });
  const queue = createActionQueue({ connection: redis, prefix, logger });
  try {
    // Due over the next 30 days: pending, none overdue (the normal state of a busy deployment).
    // Whole milliseconds, as the app writes them (JS dates): the keyset pages compare JS dates.
    const t0 = performance.now();
    await database.db.execute(sql`
      insert into scheduled_actions (id, kind, due_at, data, status)
      select 'sa-' || gen_random_uuid(), 'update-reminder', date_trunc('milliseconds', now()) + (g * interval '25 seconds') + interval '1 hour', '{}'::jsonb, 'pending'
      from generate_series(1, ${ROWS}) as g`);
    let enqueued = 0;
    for (let page = await listPendingActions(database.db, { limit: 5000 }); page.length > 0; ) {
      await queue.add(page);
      enqueued += page.length;
      if (page.length < 5000) break;
      page = await listPendingActions(database.db, { limit: 5000, after: page[page.length - 1] });
    }
    console.log(`seeded ${ROWS} rows and ${enqueued} delayed jobs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const deps = { db: database.db, queue, logger, metrics: createMetrics(), clock: () => new Date() };
    const runs: number[] = [];
    let report = await reconcileActions(deps);
    for (let i = 0; i < 3; i += 1) {
      const start = performance.now();
      report = await reconcileActions(deps);
      runs.push(performance.now() - start);
    }
    if (report.pending !== ROWS || report.reenqueued !== 0) throw new Error(`unexpected report ${JSON.stringify(report)}`);
    const steadyMs = Math.min(...runs);

    await flushPrefix(prefix);
    const lostStart = performance.now();
    const lost = await reconcileActions(deps);
    const lostMs = performance.now() - lostStart;
    if (lost.reenqueued !== ROWS) throw new Error(`expected ${ROWS} re-enqueued, got ${JSON.stringify(lost)}`);

    const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const lines = [
      `| Pass | Pending rows | Time | Rows/s |`,
      `| --- | ---: | ---: | ---: |`,
      `| every job present (best of 3; runs ${runs.map(fmt).join(', ')}) | ${ROWS} | ${fmt(steadyMs)} | ${Math.round(ROWS / (steadyMs / 1000))} |`,
      `| Redis lost every job (all enqueued again) | ${ROWS} | ${fmt(lostMs)} | ${Math.round(ROWS / (lostMs / 1000))} |`,
      '',
      `Target: ${ROWS} pending actions with their jobs reconciled in under ${TARGET_MS / 1000} s: **${steadyMs < TARGET_MS ? 'met' : 'missed'}**.`,
      '',
      'Method: `bench/reconcile-bench.ts`. Rows inserted with one `generate_series`, jobs added through the real',
      '`createActionQueue`; then the real `reconcileActions` (pages of 5,000 rows by keyset on the pending index,',
      'one Lua script per page that answers missing / delayed / failed / other for every id), on the shared',
      'Postgres and Redis with a database and prefix of its own.',
    ];
    console.log(lines.join('\n'));
    if (process.env.BENCH_NO_WRITE !== '1') {
      writeSection(BENCHMARKS_FILE, 'reconcile', ['## Reconciler at scale', '', ...machineLines(machine), '', ...lines].join('\n'));
      console.log('BENCHMARKS.md: reconcile section rewritten');
    }
    if (steadyMs >= TARGET_MS) process.exitCode = 1;
  } finally {
    await queue.close();
    await flushPrefix(prefix);
    redis.disconnect();
    await database.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
