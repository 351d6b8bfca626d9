/**
 * Escalation firing lateness against bare BullMQ, and on-call maths throughput. Prints tables
 * and rewrites the `escalation` and `oncall` sections of BENCHMARKS.md.
 *
 * Layout: this process runs the fake Slack (zero latency), the bench's producer and queries,
 * and the bare-BullMQ floor; the real bot (startMeridian) runs in bench/escalation-sut.ts.
 * Phases, one after the other: on-call maths (single thread, before anything else is busy);
 * the floor (N bare delayed jobs spread over the window, no-op worker); Meridian (N escalation
 * steps, same spread, through createActionQueue and the bot's worker).
 *
 * Knobs (env): BENCH_ESC_STEPS (10000), BENCH_ESC_SPREAD_S (180), BENCH_ESC_CONCURRENCY (the
 * bot's worker concurrency; default startMeridian's, 10; the floor's worker uses the same),
 * BENCH_NO_WRITE=1 (do not touch BENCHMARKS.md), BENCH_LOG_LEVEL (the bot's pino level), BENCH_PROFILE=1
 * (a CPU profile of the bot into bench/profiles/escalation/).
 */
import { fileURLToPath } from 'node:url';
import { startFakeSlack, type FakeSlack } from '../tests/fakes/fake-slack.js';
import { ADMIN_DATABASE_URL, ensureTestInfrastructure, TEST_REDIS_URL } from '../tests/support/infra.js';
import { BOT_TOKEN, flushPrefix, SIGNING_SECRET } from '../tests/support/meridian-harness.js';
import { createTestDatabase, testQueuePrefix } from '../tests/support/test-database.js';
import { forkTs, type Child } from './child.js';
import { runFloor, runMeridianPhase, dueTimes, type FloorResult, type MeridianPhaseResult } from './escalation-bench.js';
import type { EscalationSutConfig, FromEscalationSut, ToEscalationSut } from './escalation-sut.js';
import { oncallMarkdown, runOncallBench } from './oncall-bench.js';
import { describeMachine, machineLines, writeSection, type Machine } from './report.js';
import { markdownTable, ms, summarize, table, type Summary } from './stats.js';

const STEPS = Number(process.env.BENCH_ESC_STEPS ?? 10_000);
const SPREAD_S = Number(process.env.BENCH_ESC_SPREAD_S ?? 180);
const CONCURRENCY = process.env.BENCH_ESC_CONCURRENCY ? Number(process.env.BENCH_ESC_CONCURRENCY) : undefined;
const DEFAULT_CONCURRENCY = 10; // startMeridian's default
const LEAD_MS = 6000;
const GRACE_MS = 15_000;
const P99_TARGET_MS = 1000;
const RATIO_TARGET = 2;
const BENCHMARKS_FILE = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

type Mark = Extract<FromEscalationSut, { type: 'mark' }>;

async function main(): Promise<void> {
  await ensureTestInfrastructure();
  const machine = await describeMachine(ADMIN_DATABASE_URL, TEST_REDIS_URL);
  const concurrency = CONCURRENCY ?? DEFAULT_CONCURRENCY;

  console.log('on-call maths ...');
  const oncall = runOncallBench();
  console.log(oncallMarkdown(oncall));

  let fake: FakeSlack | undefined;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let bot: Child<ToEscalationSut, FromEscalationSut> | undefined;
  const queuePrefix = testQueuePrefix(import.meta.url);
  const started = Date.now();
  try {
    fake = await startFakeSlack({ token: BOT_TOKEN });
    const feedChannelId = fake.addChannel({ name: 'incidents-feed', botIsMember: true });
    database = await createTestDatabase(import.meta.url);
    await flushPrefix(queuePrefix);
    const cfg: EscalationSutConfig = {
      signingSecret: SIGNING_SECRET,
      botToken: BOT_TOKEN,
      slackApiUrl: fake.url,
      databaseUrl: database.url,
      redisUrl: TEST_REDIS_URL,
      queuePrefix,
      feedChannelId,
      ...(CONCURRENCY ? { workerConcurrency: CONCURRENCY } : {}),
    };
    bot = forkTs<ToEscalationSut, FromEscalationSut>(new URL('./escalation-sut.ts', import.meta.url), {
      name: 'meridian',
      env: { BENCH_ESCALATION_SUT: JSON.stringify(cfg) },
      ...(process.env.BENCH_PROFILE === '1' ? { cpuProfileDir: fileURLToPath(new URL('./profiles/escalation', import.meta.url)) } : {}),
    });
    await bot.next('ready');
    const mark = async (): Promise<Mark> => {
      const answer = bot!.next('mark');
      bot!.send({ type: 'mark' });
      return answer;
    };

    console.log(`floor: ${STEPS} bare BullMQ delayed jobs over ${SPREAD_S} s, no-op worker, concurrency ${concurrency} ...`);
    const floorStart = Date.now() + 3000;
    const floor = await runFloor({
      redisUrl: TEST_REDIS_URL,
      prefix: queuePrefix,
      dues: dueTimes(floorStart, SPREAD_S * 1000, STEPS),
      concurrency,
      graceMs: GRACE_MS,
    });

    console.log(`meridian: ${STEPS} escalation steps over ${SPREAD_S} s, worker concurrency ${concurrency} ...`);
    await mark();
    const meridian = await runMeridianPhase({
      fake,
      db: database.db,
      redisUrl: TEST_REDIS_URL,
      prefix: queuePrefix,
      steps: STEPS,
      spreadMs: SPREAD_S * 1000,
      leadMs: LEAD_MS,
      graceMs: GRACE_MS,
    });
    const botUse = await mark();

    const report = render({ machine, floor, meridian, botUse, concurrency, wallS: (Date.now() - started) / 1000 });
    console.log(`\n${report.text}\n`);
    if (process.env.BENCH_NO_WRITE !== '1') {
      writeSection(
        BENCHMARKS_FILE,
        'escalation',
        [`## Escalation firing lateness`, '', ...machineLines(machine), '', report.markdown].join('\n'),
      );
      writeSection(BENCHMARKS_FILE, 'oncall', [`## On-call maths`, '', ...machineLines(machine), '', oncallMarkdown(oncall)].join('\n'));
      console.log('BENCHMARKS.md: escalation and oncall sections rewritten');
    }
  } finally {
    await bot?.stop({ type: 'stop' }).catch(() => {});
    await flushPrefix(queuePrefix).catch(() => {});
    await database?.drop().catch((err: unknown) => console.error('could not drop the bench database', err));
    await fake?.close();
  }
}

function render(r: {
  machine: Machine;
  floor: FloorResult;
  meridian: MeridianPhaseResult;
  botUse: Mark;
  concurrency: number;
  wallS: number;
}) {
  const { floor, meridian: m } = r;
  const f = summarize(floor.lateness);
  const dm = summarize(m.dmLateness);
  const handler = summarize(m.handlerLateness);
  const done = summarize(m.doneLateness);
  const ratio = (a: number, b: number) => (Number.isFinite(a) && b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');
  const row = (label: string, pick: (s: Summary) => number): string[] => [
    label,
    ms(pick(f), 1),
    ms(pick(dm), 1),
    ratio(pick(dm), pick(f)),
    ms(pick(handler), 1),
    ms(pick(done), 1),
  ];
  const header = [
    'lateness (ms after due)',
    'bare BullMQ',
    'Meridian: DM at Slack',
    'Meridian / bare',
    'step started (paged_at)',
    'row done',
  ];
  const rows = [
    row('p50', (s) => s.p50),
    row('p95', (s) => s.p95),
    row('p99', (s) => s.p99),
    row('max', (s) => s.max),
    row('mean', (s) => s.mean),
    ['measured', String(f.count), String(dm.count), '', String(handler.count), String(done.count)],
    ['lost (never fired)', String(floor.lost), String(m.lost), '', '', String(m.rowsStillPending)],
    ['doubled', String(floor.doubled), String(m.doubled), '', '', ''],
  ];
  const p99Met = dm.count > 0 && dm.p99 < P99_TARGET_MS;
  const ratioMet = dm.count > 0 && dm.p99 <= RATIO_TARGET * f.p99;
  const noneLost = m.lost === 0 && floor.lost === 0;
  const noneDoubled = m.doubled === 0;
  const verdicts = [
    `- p99 lateness under ${P99_TARGET_MS} ms: ${p99Met ? 'MET' : 'MISSED'} (${dm.count ? `${ms(dm.p99, 1)} ms, DM arrival at Slack` : `no step fired within ${GRACE_MS / 1000} s of the last due time`})`,
    `- p99 within ${RATIO_TARGET}x of bare BullMQ: ${ratioMet ? 'MET' : 'MISSED'} (${dm.count ? `${ms(dm.p99, 1)} ms vs ${ms(f.p99, 1)} ms, ${ratio(dm.p99, f.p99)}` : `nothing fired; bare BullMQ p99 ${ms(f.p99, 1)} ms`})`,
    `- No step lost: ${noneLost ? 'MET' : 'MISSED'} (${m.rowsStillPending} rows still pending, ${m.escalationsWithoutDm} escalations without a delivered DM)`,
    `- No step doubled: ${noneDoubled ? 'MET' : 'MISSED'} (${m.extraDms} extra DMs, ${m.doubledTimeline} incidents with two \`paged\` entries, ${m.doubledFollowUps} escalations with two follow-up rows)`,
  ];
  const calls = Object.entries(m.slackCalls)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const describe = [
    `${m.steps.toLocaleString('en-US')} pending \`escalation-step\` rows (one per escalation, one escalation per open incident with a channel), due evenly over ${SPREAD_S} s (${Math.round(m.steps / SPREAD_S)} per second), inserted with drizzle and enqueued as delayed jobs through the real \`createActionQueue\`; run by the real bot (\`startMeridian\`, worker concurrency ${r.concurrency}, production reconciler interval) in a child process, against the zero-latency fake Slack in the parent. Each step's policy targets one user (${m.users} users in turn), so every step does the whole path: row lock, escalation lock, page row, DM, channel invite, \`paged\` line in the channel, timeline entry, follow-up row (due in 60 min) and its job. The floor: ${floor.lateness.length.toLocaleString('en-US')} bare BullMQ delayed jobs with the same spread on the same Redis, a no-op worker of the same concurrency in the bench process, run just before.`,
    '',
    `Lateness of a Meridian step is the fake Slack's arrival stamp of its DM minus \`due_at\` (the verdicts use this); \`paged_at\` is the handler's clock once it holds the row and escalation locks; "row done" is \`finished_at\`. Inserting took ${m.insertMs} ms and enqueueing ${m.enqueueMs} ms (${m.dueBeforeEnqueued} rows were already due when enqueueing finished); ${m.retriedRows} rows needed a retry. Bot CPU over the Meridian phase ${(r.botUse.cpuMs / 1000).toFixed(1)} s in ${(r.botUse.wallMs / 1000).toFixed(1)} s (${((100 * r.botUse.cpuMs) / r.botUse.wallMs).toFixed(0)}% of one core, ${(r.botUse.cpuMs / m.steps).toFixed(2)} ms per step), event-loop utilisation ${(100 * r.botUse.elu).toFixed(0)}%, loop delay p99 ${ms(r.botUse.loopDelayP99Ms, 1)} ms / max ${ms(r.botUse.loopDelayMaxMs, 1)} ms. Slack calls: ${calls || 'none'}. Whole run ${r.wallS.toFixed(0)} s.`,
  ];
  return {
    markdown: [...describe, '', markdownTable(header, rows), '', '### Targets', '', ...verdicts].join('\n'),
    text: [table(header, rows), '', ...verdicts, '', ...describe].join('\n'),
  };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
