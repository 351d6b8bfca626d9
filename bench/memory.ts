/**
 * Memory: the bot's resident set after 1,000 open incidents and their pending actions, against
 * the 250 MB target. Prints the figures and rewrites the `memory` section of BENCHMARKS.md.
 *
 * The real bot (bench/memory-sut.ts: startMeridian, role 'all', with config/meridian.example.yaml:
 * follow-the-sun schedule, the urgent policy for SEV2, hourly update reminders) runs in a child
 * process with --expose-gc; this process runs the fake Slack and declares the incidents one
 * after another through signed view submissions of the declare modal (bench/declare.ts), as one
 * person (the per-person limits are lifted). Then it waits until every incident has its channel
 * and card, a pending escalation step and a pending update reminder, and no action that is due
 * is still pending; then the child collects garbage and reports process.memoryUsage(). The same
 * figures are taken once before the first declaration, for the growth.
 *
 * Knobs (env): BENCH_MEMORY_INCIDENTS (1000), BENCH_NO_WRITE=1 (do not touch BENCHMARKS.md),
 * BENCH_LOG_LEVEL (the bot's pino level).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { and, count, countDistinct, eq, isNotNull, lte } from 'drizzle-orm';
import { incidents, scheduledActions } from '../src/db/schema/index.js';
import { startFakeSlack, type FakeSlack } from '../tests/fakes/fake-slack.js';
import { ADMIN_DATABASE_URL, ensureTestInfrastructure, TEST_REDIS_URL } from '../tests/support/infra.js';
import { BOT_TOKEN, flushPrefix, SIGNING_SECRET } from '../tests/support/meridian-harness.js';
import { createTestDatabase, testQueuePrefix } from '../tests/support/test-database.js';
import { forkTs, type Child } from './child.js';
import { runSequentialDeclarations } from './declare.js';
import { keepAliveAgent } from './load.js';
import type { FromMemorySut, MemoryFigures, MemorySutConfig, ToMemorySut } from './memory-sut.js';
import { describeMachine, machineLines, writeSection } from './report.js';
import { markdownTable, table } from './stats.js';

const INCIDENTS = Number(process.env.BENCH_MEMORY_INCIDENTS ?? 1000);
const RSS_TARGET_MB = 250;
const SETTLE_TIMEOUT_MS = 180_000;
const CONFIG_FILE = fileURLToPath(new URL('../config/meridian.example.yaml', import.meta.url));
const BENCHMARKS_FILE = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

type Database = Awaited<ReturnType<typeof createTestDatabase>>['db'];

interface Settled {
  withChannelAndCard: number;
  pendingByKind: Record<string, number>;
  withPendingStep: number;
  withPendingReminder: number;
  dueButPending: number;
}

async function settledState(db: Database): Promise<Settled> {
  const [cards] = await db
    .select({ n: count() })
    .from(incidents)
    .where(and(isNotNull(incidents.channelId), isNotNull(incidents.cardTs)));
  const pending = await db
    .select({ kind: scheduledActions.kind, n: count(), incidents: countDistinct(scheduledActions.incidentId) })
    .from(scheduledActions)
    .where(eq(scheduledActions.status, 'pending'))
    .groupBy(scheduledActions.kind);
  const [due] = await db
    .select({ n: count() })
    .from(scheduledActions)
    .where(and(eq(scheduledActions.status, 'pending'), lte(scheduledActions.dueAt, new Date())));
  return {
    withChannelAndCard: cards?.n ?? 0,
    pendingByKind: Object.fromEntries(pending.map((p) => [p.kind, p.n])),
    withPendingStep: pending.find((p) => p.kind === 'escalation-step')?.incidents ?? 0,
    withPendingReminder: pending.find((p) => p.kind === 'update-reminder')?.incidents ?? 0,
    dueButPending: due?.n ?? 0,
  };
}

/** Adds the people and the user group the example config names, so their DMs and invites succeed. */
function seedConfigPeople(fake: FakeSlack): void {
  const ids = [
    'U0ADMIN001',
    'U0LEAD0001',
    'U0SGA0001',
    'U0SGB0002',
    'U0DUA0001',
    'U0DUB0002',
    'U0DUC0003',
    'U0LAA0001',
    'U0LAB0002',
    'U0WEA0001',
    'U0WEB0002',
    'U0OVR0001',
  ];
  for (const id of ids) {
    if (!fake.state.users.has(id)) fake.addUser({ id, name: id.toLowerCase(), realName: `Example ${id}` });
  }
  fake.addUsergroup('S0TNSLEAD1', ['U0LEAD0001', 'U0ADMIN001']);
}

async function main(): Promise<void> {
  await ensureTestInfrastructure();
  const machine = await describeMachine(ADMIN_DATABASE_URL, TEST_REDIS_URL);
  let fake: FakeSlack | undefined;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let bot: Child<ToMemorySut, FromMemorySut> | undefined;
  const queuePrefix = testQueuePrefix(import.meta.url);
  const started = Date.now();
  try {
    fake = await startFakeSlack({ token: BOT_TOKEN });
    seedConfigPeople(fake);
    const feedChannelId = fake.addChannel({ name: 'incidents-feed', botIsMember: true });
    database = await createTestDatabase(import.meta.url);
    await flushPrefix(queuePrefix);
    const cfg: MemorySutConfig = {
      signingSecret: SIGNING_SECRET,
      botToken: BOT_TOKEN,
      slackApiUrl: fake.url,
      databaseUrl: database.url,
      redisUrl: TEST_REDIS_URL,
      queuePrefix,
      feedChannelId,
      configFile: CONFIG_FILE,
    };
    bot = forkTs<ToMemorySut, FromMemorySut>(new URL('./memory-sut.ts', import.meta.url), {
      name: 'meridian-memory',
      env: { BENCH_MEMORY_SUT: JSON.stringify(cfg), NODE_OPTIONS: [process.env.NODE_OPTIONS, '--expose-gc'].filter(Boolean).join(' ') },
    });
    const ready = await bot.next('ready');
    const memory = async (): Promise<MemoryFigures> => {
      const answer = bot!.next('memory');
      bot!.send({ type: 'memory' });
      return answer;
    };
    const atStart = await memory();

    console.log(`memory: declaring ${INCIDENTS} incidents one after another ...`);
    const declareStarted = Date.now();
    const { samples, failures } = await runSequentialDeclarations({
      fake,
      agent: keepAliveAgent(),
      eventsUrl: `http://127.0.0.1:${ready.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      count: INCIDENTS,
      label: 'm',
    });
    const declareS = (Date.now() - declareStarted) / 1000;

    const settleStarted = Date.now();
    let state = await settledState(database.db);
    const settled = (s: Settled) =>
      s.withChannelAndCard >= samples.length &&
      s.withPendingStep >= samples.length &&
      s.withPendingReminder >= samples.length &&
      s.dueButPending === 0;
    while (!settled(state) && Date.now() - settleStarted < SETTLE_TIMEOUT_MS) {
      await sleep(500);
      state = await settledState(database.db);
    }
    const settleS = (Date.now() - settleStarted) / 1000;
    const after = await memory();

    const pendingTotal = Object.values(state.pendingByKind).reduce((s, n) => s + n, 0);
    const complete = failures.length === 0 && settled(state);
    const met = complete && after.collected && after.rssMb < RSS_TARGET_MB;
    const header = ['bot process', 'at start (no incidents)', `after ${samples.length.toLocaleString('en-US')} incidents`, 'growth'];
    const row = (label: string, pick: (m: MemoryFigures) => number) => [
      label,
      `${pick(atStart).toFixed(1)} MB`,
      `${pick(after).toFixed(1)} MB`,
      `${(pick(after) - pick(atStart)).toFixed(1)} MB`,
    ];
    const rows = [
      row('RSS', (m) => m.rssMb),
      row('heap used', (m) => m.heapUsedMb),
      row('heap total', (m) => m.heapTotalMb),
      row('external (buffers, native objects)', (m) => m.externalMb),
    ];
    const pendingText = Object.entries(state.pendingByKind)
      .sort()
      .map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`)
      .join(', ');
    const describe = [
      `The real bot (\`startMeridian\`, role \`all\`: Slack edge, workers, reconciler) in a child process with \`--expose-gc\`, config \`config/meridian.example.yaml\` (follow-the-sun schedule; SEV2 pages through the \`urgent\` policy and wants an update every 60 min), against the zero-latency fake Slack in the bench process. ${samples.length.toLocaleString('en-US')} SEV2 incidents declared one after another through signed view submissions of the declare modal (${declareS.toFixed(0)} s${failures.length ? `; ${failures.length} refused or failed` : ''}), then ${settleS.toFixed(1)} s until every incident had its channel and card (${state.withChannelAndCard.toLocaleString('en-US')}), a pending escalation step (${state.withPendingStep.toLocaleString('en-US')}) and a pending update reminder (${state.withPendingReminder.toLocaleString('en-US')}), with no due action left pending (${state.dueButPending}). Then two full garbage collections (${after.collected ? 'done' : 'NOT available: figures include garbage'}) and \`process.memoryUsage()\` of the bot process; "at start" is the same, taken right after start-up, when pages the start-up touched (migrations, transpiling the sources under tsx) may still be resident, so RSS can shrink from there. Whole run ${((Date.now() - started) / 1000).toFixed(0)} s.`,
      '',
      `Pending actions at the measurement: ${pendingTotal.toLocaleString('en-US')} rows and as many delayed BullMQ jobs in Redis (${pendingText}).`,
    ];
    const verdict = `- RSS after ${samples.length.toLocaleString('en-US')} incidents under ${RSS_TARGET_MB} MB: ${met ? 'MET' : 'MISSED'} (${after.rssMb.toFixed(1)} MB${complete ? '' : '; the run did not complete: see above'}; heap used ${after.heapUsedMb.toFixed(1)} MB)`;
    const markdown = [...describe, '', markdownTable(header, rows), '', verdict].join('\n');
    console.log(`\n${table(header, rows)}\n\n${verdict}\n\n${describe.join('\n')}\n`);
    if (failures.length) console.log(`declarations refused or failed:\n${failures.slice(0, 10).join('\n')}`);
    if (process.env.BENCH_NO_WRITE !== '1') {
      writeSection(
        BENCHMARKS_FILE,
        'memory',
        [`## Memory: the bot with 1,000 open incidents`, '', ...machineLines(machine), '', markdown].join('\n'),
      );
      console.log('BENCHMARKS.md: memory section rewritten');
    }
    if (!complete) process.exitCode = 1;
  } finally {
    await bot?.stop({ type: 'stop' }).catch(() => {});
    await flushPrefix(queuePrefix).catch(() => {});
    await database?.drop().catch((err: unknown) => console.error('could not drop the bench database', err));
    await fake?.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
