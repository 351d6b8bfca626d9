/**
 * Scale-out: how many escalation steps per second the bot drains with 1 and with 2 worker
 * processes (`startMeridian` with role 'worker', as `npm run worker` runs it) on one Postgres and
 * one Redis, and what each step costs in CPU. Prints a table and rewrites the `workers` section
 * of BENCHMARKS.md.
 *
 * Each phase saturates the workers: N pending `escalation-step` rows, all due within a second
 * (after a lead that lets inserting and enqueueing finish), inserted and enqueued with
 * bench/escalation-bench.ts's helpers, so throughput, not lateness, is measured. Drain rate is
 * DMs per second at the fake Slack from the first DM to the last. Each phase has a database, a
 * BullMQ prefix and a fake Slack of its own; the worker processes are bench/escalation-sut.ts
 * children. CPU by process name comes from /proc (bench/proc-cpu.ts), so Postgres and Redis
 * figures include anything else the machine runs meanwhile. A phase that loses or doubles a step
 * fails the bench (exit code 1), after the report.
 *
 * Knobs (env): BENCH_WORKERS_STEPS (6000 per phase), BENCH_WORKERS_WARMUP (600 steps through the
 * same processes before each measured phase, not counted), BENCH_WORKERS_PHASES (processes x
 * concurrency, comma-separated; default `1x10,2x10,1x20`: 2x20 would hold up to 90 Postgres
 * connections), BENCH_NO_WRITE=1 (do not touch BENCHMARKS.md), BENCH_LOG_LEVEL (the bots' pino
 * level).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startFakeSlack } from '../tests/fakes/fake-slack.js';
import { ADMIN_DATABASE_URL, ensureTestInfrastructure, TEST_REDIS_URL } from '../tests/support/infra.js';
import { BOT_TOKEN, flushPrefix, SIGNING_SECRET } from '../tests/support/meridian-harness.js';
import { createTestDatabase, testQueuePrefix } from '../tests/support/test-database.js';
import { forkTs, type Child } from './child.js';
import { runMeridianPhase, type MeridianPhaseResult } from './escalation-bench.js';
import type { EscalationSutConfig, FromEscalationSut, ToEscalationSut } from './escalation-sut.js';
import { cpuBetween, cpuSnapshot } from './proc-cpu.js';
import { describeMachine, machineLines, writeSection, type Machine } from './report.js';
import { markdownTable, summarize, table } from './stats.js';

const STEPS = Number(process.env.BENCH_WORKERS_STEPS ?? 6000);
/** Steps run through the same processes before the measured ones: long-lived workers are JIT-warm. */
const WARMUP_STEPS = Number(process.env.BENCH_WORKERS_WARMUP ?? 600);
const PHASES = (process.env.BENCH_WORKERS_PHASES ?? '1x10,2x10,1x20').split(',').map((p) => {
  const [processes, concurrency] = p.trim().split('x').map(Number);
  if (!processes || !concurrency) throw new Error(`BENCH_WORKERS_PHASES: cannot read "${p}" (want e.g. 2x10)`);
  return { processes, concurrency };
});
/** All rows fall due within this window, after the lead. */
const SPREAD_MS = 1000;
const LEAD_MS = 5000;
/** A drain slower than STEPS / this is a failure, not a figure. */
const GRACE_MS = 600_000;
const BENCHMARKS_FILE = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

type Mark = Extract<FromEscalationSut, { type: 'mark' }>;

interface PhaseResult {
  processes: number;
  concurrency: number;
  meridian: MeridianPhaseResult;
  /** First DM to last DM, s. */
  drainS: number;
  stepsPerS: number;
  marks: Mark[];
  /** The bench process itself (fake Slack, inserts, polling), ms. */
  benchCpuMs: number;
  postgresCpuMs: number;
  redisCpuMs: number;
  machineBusy: number;
}

async function runPhase(processes: number, concurrency: number): Promise<PhaseResult> {
  const fake = await startFakeSlack({ token: BOT_TOKEN });
  const database = await createTestDatabase(import.meta.url);
  const queuePrefix = testQueuePrefix(import.meta.url);
  const workers: Child<ToEscalationSut, FromEscalationSut>[] = [];
  try {
    const feedChannelId = fake.addChannel({ name: 'incidents-feed', botIsMember: true });
    await flushPrefix(queuePrefix);
    const cfg: EscalationSutConfig = {
      signingSecret: SIGNING_SECRET,
      botToken: BOT_TOKEN,
      slackApiUrl: fake.url,
      databaseUrl: database.url,
      redisUrl: TEST_REDIS_URL,
      queuePrefix,
      feedChannelId,
      workerConcurrency: concurrency,
      role: 'worker',
    };
    for (let i = 0; i < processes; i++) {
      workers.push(
        forkTs<ToEscalationSut, FromEscalationSut>(new URL('./escalation-sut.ts', import.meta.url), {
          name: `worker-${i + 1}`,
          env: { BENCH_ESCALATION_SUT: JSON.stringify(cfg) },
        }),
      );
    }
    await Promise.all(workers.map((w) => w.next('ready')));
    const markAll = () =>
      Promise.all(
        workers.map((w) => {
          const answer = w.next('mark');
          w.send({ type: 'mark' });
          return answer;
        }),
      );
    if (WARMUP_STEPS > 0) {
      await runMeridianPhase({
        fake,
        db: database.db,
        redisUrl: TEST_REDIS_URL,
        prefix: queuePrefix,
        steps: WARMUP_STEPS,
        spreadMs: SPREAD_MS,
        leadMs: LEAD_MS,
        graceMs: GRACE_MS,
        label: 'warm-',
      });
    }
    await markAll();
    const cpuBefore = cpuSnapshot();
    const benchBefore = process.cpuUsage();
    const meridian = await runMeridianPhase({
      fake,
      db: database.db,
      redisUrl: TEST_REDIS_URL,
      prefix: queuePrefix,
      steps: STEPS,
      spreadMs: SPREAD_MS,
      leadMs: LEAD_MS,
      graceMs: GRACE_MS,
    });
    // Before the workers stop: Postgres backends that exit take their CPU time with them.
    const marks = await markAll();
    const benchUse = process.cpuUsage(benchBefore);
    const cpu = cpuBetween(cpuBefore, cpuSnapshot(), ['postgres', 'redis-server']);
    const first = Math.min(...meridian.dmArrivals);
    const last = Math.max(...meridian.dmArrivals);
    const drainS = (last - first) / 1000;
    return {
      processes,
      concurrency,
      meridian,
      drainS,
      stepsPerS: drainS > 0 ? (meridian.dmArrivals.length - 1) / drainS : Number.NaN,
      marks,
      benchCpuMs: (benchUse.user + benchUse.system) / 1000,
      postgresCpuMs: cpu.byName.postgres ?? 0,
      redisCpuMs: cpu.byName['redis-server'] ?? 0,
      machineBusy: cpu.machineBusy,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop({ type: 'stop' }).catch(() => {})));
    await flushPrefix(queuePrefix).catch(() => {});
    await database.drop().catch((err: unknown) => console.error('could not drop the bench database', err));
    await fake.close();
  }
}

function render(machine: Machine, results: PhaseResult[]) {
  const base = new Map(results.filter((r) => r.processes === 1).map((r) => [r.concurrency, r.stepsPerS]));
  const perStep = (msTotal: number, r: PhaseResult) => (msTotal / r.meridian.steps).toFixed(2);
  const header = [
    'worker processes x concurrency',
    'steps/s (first to last DM)',
    'vs 1 process',
    'bot CPU ms/step',
    'bot CPU, cores',
    'event-loop use per process',
    'Postgres CPU ms/step',
    'Redis CPU ms/step',
    'bench + fake Slack CPU ms/step',
    'machine busy',
    'DM p50 / p99 after due (s)',
    'lost / doubled',
  ];
  const rows = results.map((r) => {
    const botCpuMs = r.marks.reduce((s, m) => s + m.cpuMs, 0);
    const wallMs = Math.max(...r.marks.map((m) => m.wallMs));
    const one = base.get(r.concurrency);
    const lateness = summarize(r.meridian.dmLateness);
    return [
      `${r.processes} x ${r.concurrency}`,
      r.stepsPerS.toFixed(1),
      one && r.processes !== 1 ? `${(r.stepsPerS / one).toFixed(2)}x` : '',
      perStep(botCpuMs, r),
      (botCpuMs / wallMs).toFixed(2),
      r.marks.map((m) => `${(100 * m.elu).toFixed(0)}%`).join(', '),
      perStep(r.postgresCpuMs, r),
      perStep(r.redisCpuMs, r),
      perStep(r.benchCpuMs, r),
      `${(100 * r.machineBusy).toFixed(0)}%`,
      `${(lateness.p50 / 1000).toFixed(1)} / ${(lateness.p99 / 1000).toFixed(1)}`,
      `${r.meridian.lost} / ${r.meridian.doubled}`,
    ];
  });
  const failed = results.filter((r) => r.meridian.lost > 0 || r.meridian.doubled > 0);
  const calls = (r: PhaseResult) =>
    Object.entries(r.meridian.slackCalls)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  const describe = [
    `Each phase: ${STEPS.toLocaleString('en-US')} pending \`escalation-step\` rows (one per escalation, one escalation per open incident with a channel, one person paged per step), all due within ${SPREAD_MS / 1000} s, inserted with drizzle and enqueued through the real \`createActionQueue\` (bench/escalation-bench.ts), run by 1 or 2 bot processes started as \`npm run worker\` starts one (\`startMeridian\`, role \`worker\`: workers and reconciler, no Slack edge) at the worker concurrency shown, against the zero-latency fake Slack in the bench process; a fresh database, BullMQ prefix and fake per phase, and ${WARMUP_STEPS} unmeasured steps through the same processes first (long-lived workers are JIT-warm). Every step does the whole path (row lock, escalation lock, page row, DM, invite, channel line, timeline entry, follow-up row and job). Steps/s counts DMs at the fake Slack from the first to the last; CPU is each worker process's \`process.cpuUsage\` over the phase (summed), Postgres and Redis CPU are all their processes' time from /proc over the phase, "machine busy" is all cores' busy share (/proc/stat).`,
    '',
    ...results.map(
      (r) =>
        `- ${r.processes} x ${r.concurrency}: drained in ${r.drainS.toFixed(1)} s; inserting took ${r.meridian.insertMs} ms, enqueueing ${r.meridian.enqueueMs} ms; ${r.meridian.retriedRows} rows needed a retry; ${r.meridian.rowsStillPending} rows still pending, ${r.meridian.escalationsWithoutDm} escalations without a delivered DM, ${r.meridian.extraDms} extra DMs, ${r.meridian.doubledTimeline} doubled timeline entries, ${r.meridian.doubledFollowUps} doubled follow-ups. Slack calls: ${calls(r)}.`,
    ),
  ];
  const verdict = failed.length
    ? `- No step lost or doubled: MISSED (${failed.map((r) => `${r.processes} x ${r.concurrency}: ${r.meridian.lost} lost, ${r.meridian.doubled} doubled`).join('; ')})`
    : '- No step lost or doubled: MET (every phase)';
  return {
    failed: failed.length > 0,
    markdown: [...describe, '', markdownTable(header, rows), '', verdict].join('\n'),
    text: [table(header, rows), '', verdict, '', ...describe].join('\n'),
    machine,
  };
}

async function main(): Promise<void> {
  await ensureTestInfrastructure();
  const machine = await describeMachine(ADMIN_DATABASE_URL, TEST_REDIS_URL);
  const results: PhaseResult[] = [];
  for (const { processes, concurrency } of PHASES) {
    console.log(`workers: ${STEPS} due escalation steps, ${processes} worker process(es) x concurrency ${concurrency} ...`);
    const result = await runPhase(processes, concurrency);
    console.log(
      `  ${result.stepsPerS.toFixed(1)} steps/s, ${(result.marks.reduce((s, m) => s + m.cpuMs, 0) / result.meridian.steps).toFixed(2)} bot CPU ms/step, lost ${result.meridian.lost}, doubled ${result.meridian.doubled}`,
    );
    results.push(result);
    await sleep(2000); // let Postgres finish dropping the phase's database
  }
  const report = render(machine, results);
  console.log(`\n${report.text}\n`);
  if (process.env.BENCH_NO_WRITE !== '1') {
    writeSection(
      BENCHMARKS_FILE,
      'workers',
      [
        `## Scale-out: escalation steps per second by worker processes`,
        '',
        ...machineLines(machine),
        '',
        report.markdown,
        '',
        interpretation(machine, results),
      ].join('\n'),
    );
    console.log('BENCHMARKS.md: workers section rewritten');
  }
  if (report.failed) {
    console.error('workers bench: a step was lost or doubled');
    process.exitCode = 1;
  }
}

/** A few sentences on the curve, from the figures: the machine's cores, where the CPU went, what bound the drain. */
function interpretation(machine: Machine, results: PhaseResult[]): string {
  const one = results.find((r) => r.processes === 1);
  const two = results.find((r) => r.processes === 2 && r.concurrency === one?.concurrency);
  if (!one || !two) return '';
  const botMs = (r: PhaseResult) => r.marks.reduce((s, m) => s + m.cpuMs, 0);
  const perStep = (r: PhaseResult) => botMs(r) / r.meridian.steps;
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  const share = (r: PhaseResult) => {
    const total = botMs(r) + r.postgresCpuMs + r.redisCpuMs + r.benchCpuMs;
    return `the bot ${pct(botMs(r) / total)}, Postgres ${pct(r.postgresCpuMs / total)}, Redis ${pct(r.redisCpuMs / total)}, the bench and its fake Slack ${pct(r.benchCpuMs / total)}`;
  };
  const maxElu = (r: PhaseResult) => Math.max(...r.marks.map((m) => m.elu));
  const wider = results.find((r) => r.processes === 1 && r.concurrency > one.concurrency);
  const saturated = two.machineBusy > 0.85;
  const cpuChange = perStep(two) / perStep(one);
  return [
    `**Reading the curve.** A second worker process took the drain from ${one.stepsPerS.toFixed(1)} to ${two.stepsPerS.toFixed(1)} steps/s (${(two.stepsPerS / one.stepsPerS).toFixed(2)}x) at concurrency ${one.concurrency}. `,
    `The bot, Postgres, Redis and the fake Slack share this machine's ${machine.cores} cores; of the CPU they used with two processes, ${share(two)}. `,
    saturated
      ? `With two processes the machine was ${pct(two.machineBusy)} busy: a second process can only use what the first left idle, so the curve flattens at the cores, not at the bot. `
      : `Even with two processes the machine was only ${pct(two.machineBusy)} busy and the busiest event loop ${pct(maxElu(two))} used: a step waits on about a dozen sequential round trips (Postgres, Redis, Slack), so at a fixed concurrency the drain is bound by that latency more than by CPU. `,
    wider
      ? `For comparison, one process at concurrency ${wider.concurrency} drained ${wider.stepsPerS.toFixed(1)} steps/s (${(wider.stepsPerS / one.stepsPerS).toFixed(2)}x of concurrency ${one.concurrency}). `
      : '',
    `The bot's CPU per step went from ${perStep(one).toFixed(2)} to ${perStep(two).toFixed(2)} ms with the second process (${cpuChange > 1.15 ? 'more per step: two processes compete for the same cores and the same rows' : cpuChange < 0.87 ? 'less per step' : 'about the same'}).`,
  ].join('');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
