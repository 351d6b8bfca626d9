/**
 * npm run bench: Meridian's slash-command ack latency against a bare Bolt app (the framework
 * floor), and declare-to-channel latency, against the fake Slack, a database and a BullMQ
 * prefix of the bench's own. Prints a table and rewrites the `declare` section of BENCHMARKS.md.
 *
 * Layout: this process runs the fake Slack and the load client; each system under test runs in
 * a child process (bench/sut.ts), so neither shares an event loop with the client or the fake.
 *
 * Knobs (env): BENCH_RATE (req/s, 100), BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2),
 * BENCH_DECLARATIONS (200), BENCH_PROFILE=1 (CPU profiles of the children into bench/profiles/),
 * BENCH_NO_WRITE=1 (do not touch BENCHMARKS.md).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { startFakeSlack, type FakeSlack } from '../tests/fakes/fake-slack.js';
import { ADMIN_DATABASE_URL, ensureTestInfrastructure, TEST_REDIS_URL } from '../tests/support/infra.js';
import { BOT_TOKEN, flushPrefix, SIGNING_SECRET } from '../tests/support/meridian-harness.js';
import { signSlackRequest, slashCommandBody } from '../tests/support/slack-requests.js';
import { createTestDatabase, testQueuePrefix } from '../tests/support/test-database.js';
import { runSequentialDeclarations, type DeclareSample } from './declare.js';
import { keepAliveAgent, runOpenLoop, type OpenLoopResult } from './load.js';
import { describeMachine, machineLines, writeSection } from './report.js';
import { markdownTable, ms, summarize, table, type Summary } from './stats.js';
import type { FromSut, SutConfig, ToSut } from './sut.js';

const RATE = Number(process.env.BENCH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const DECLARATIONS = Number(process.env.BENCH_DECLARATIONS ?? 200);
const PROFILE = process.env.BENCH_PROFILE === '1';
const ACK_RATIO_TARGET = 1.2;
const CARD_P95_TARGET_MS = 300;
const BENCHMARKS_FILE = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const PROFILE_DIR = fileURLToPath(new URL('./profiles/', import.meta.url));

interface Sut {
  port: number;
  startupMs: number;
  eventsUrl: string;
  mark(): Promise<Extract<FromSut, { type: 'mark' }>>;
  stop(): Promise<void>;
}

/** Forks bench/sut.ts with the same loader flags (tsx) as this process. */
async function startSut(cfg: SutConfig): Promise<Sut> {
  const execArgv = [...process.execArgv];
  if (PROFILE) {
    mkdirSync(PROFILE_DIR, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${cfg.kind}-${Date.now()}.cpuprofile`);
  }
  const child: ChildProcess = fork(fileURLToPath(new URL('./sut.ts', import.meta.url)), [], {
    execArgv,
    env: { ...process.env, BENCH_SUT_CONFIG: JSON.stringify(cfg) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends FromSut['type']>(type: T) =>
    new Promise<Extract<FromSut, { type: T }>>((resolve, reject) => {
      const onMessage = (msg: FromSut) => {
        if (msg.type === 'failed') return cleanup(), reject(new Error(`${cfg.kind} failed to start:\n${msg.error}`));
        if (msg.type === type) return cleanup(), resolve(msg as Extract<FromSut, { type: T }>);
      };
      const onExit = (code: number | null) => (cleanup(), reject(new Error(`${cfg.kind} exited with ${code} while waiting for ${type}`)));
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  const send = (msg: ToSut) => child.send(msg);
  const ready = await next('ready');
  return {
    port: ready.port,
    startupMs: ready.startupMs,
    eventsUrl: `http://127.0.0.1:${ready.port}/slack/events`,
    async mark() {
      const answer = next('mark');
      send({ type: 'mark' });
      return answer;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

interface AckRun {
  kind: 'meridian' | 'bare';
  load: OpenLoopResult;
  latency: Summary;
  /** CPU time the server process spent per measured request, ms. */
  cpuPerRequestMs: number;
  elu: number;
  /** Meridian only: command sent -> views.open arrived at Slack (ms resolution), and how many modals opened. */
  toModal?: Summary;
  modalsOk?: number;
}

async function ackBench(kind: 'meridian' | 'bare', sut: Sut, fake: FakeSlack): Promise<AckRun> {
  const agent = keepAliveAgent();
  const sentAt = new Map<string, number>();
  fake.reset();
  const warmupCount = Math.round(WARMUP_SECONDS * RATE);
  let marked: Promise<Extract<FromSut, { type: 'mark' }>> | undefined;
  const load = await runOpenLoop(agent, {
    url: sut.eventsUrl,
    ratePerSecond: RATE,
    warmupMs: WARMUP_SECONDS * 1000,
    durationMs: SECONDS * 1000,
    prepare: (i) => {
      // The server's CPU counters restart where the measured window begins.
      if (i === warmupCount) marked = sut.mark();
      const triggerId = fake.mintTriggerId();
      const body = slashCommandBody({ command: '/incident', text: `declare Bench load ${i}`, userId: 'U0DECL001', channelId: 'C0GENERAL1', triggerId });
      if (i >= warmupCount) sentAt.set(triggerId, Date.now());
      return {
        body,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
          ...signSlackRequest(SIGNING_SECRET, Math.floor(Date.now() / 1000), body),
        },
      };
    },
  });
  await marked;
  let toModal: Summary | undefined;
  let modalsOk: number | undefined;
  if (kind === 'meridian') {
    // Let the last views.open calls land before reading the log.
    const deadline = Date.now() + 3_000;
    while (fake.callsTo('views.open').length < load.sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const opens = fake.callsTo('views.open');
    modalsOk = opens.filter((c) => (c.response as { ok?: boolean }).ok === true).length;
    const delays = opens.flatMap((c) => {
      const t = sentAt.get(String(c.args.trigger_id));
      return t === undefined ? [] : [c.at - t];
    });
    toModal = summarize(delays);
  }
  const usage = await sut.mark();
  agent.destroy();
  return {
    kind,
    load,
    latency: summarize(load.latencies),
    cpuPerRequestMs: (usage.cpuUserMs + usage.cpuSystemMs) / Math.max(1, load.measured),
    elu: usage.elu,
    toModal,
    modalsOk,
  };
}

function verdict(ok: boolean): string {
  return ok ? 'MET' : 'MISSED';
}

async function main(): Promise<void> {
  const began = performance.now();
  await ensureTestInfrastructure();
  const fake = await startFakeSlack({ token: BOT_TOKEN });
  const feedChannelId = fake.addChannel({ name: 'incidents-feed', botIsMember: true });
  const database = await createTestDatabase(import.meta.url);
  const queuePrefix = testQueuePrefix(import.meta.url);
  await flushPrefix(queuePrefix);
  const machine = await describeMachine(ADMIN_DATABASE_URL, TEST_REDIS_URL);
  console.log(`Meridian bench: database ${database.name}, queue prefix ${queuePrefix}`);
  console.log(machineLines(machine).join('\n'));

  const base = {
    signingSecret: SIGNING_SECRET,
    botToken: BOT_TOKEN,
    slackApiUrl: fake.url,
    databaseUrl: database.url,
    redisUrl: TEST_REDIS_URL,
    queuePrefix,
    feedChannelId,
  };
  const suts: Sut[] = [];
  try {
    console.log(`\n[1/3] bare Bolt: /incident declare at ${RATE} req/s, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured`);
    const bareSut = await startSut({ ...base, kind: 'bare' });
    suts.push(bareSut);
    const bare = await ackBench('bare', bareSut, fake);
    await bareSut.stop();

    console.log(`[2/3] Meridian: the same load`);
    const botSut = await startSut({ ...base, kind: 'meridian' });
    suts.push(botSut);
    const bot = await ackBench('meridian', botSut, fake);

    console.log(`[3/3] Meridian: ${DECLARATIONS} declarations, one after another`);
    fake.reset();
    await botSut.mark();
    const agent = keepAliveAgent();
    const declareStarted = performance.now();
    const samples = await runSequentialDeclarations({
      fake,
      agent,
      eventsUrl: botSut.eventsUrl,
      signingSecret: SIGNING_SECRET,
      count: DECLARATIONS,
      label: 'd',
    });
    const declareWallMs = performance.now() - declareStarted;
    const declareUsage = await botSut.mark();
    agent.destroy();
    const [{ n }] = (await database.db.execute(sql`select count(*)::int as n from incidents`)) as unknown as [{ n: number }];
    await botSut.stop();

    const report = buildReport({ bare, bot, samples, declareWallMs, declareCpuMs: declareUsage.cpuUserMs + declareUsage.cpuSystemMs, incidents: n, startupMs: botSut.startupMs });
    console.log(`\n${report.text}`);
    if (process.env.BENCH_NO_WRITE !== '1') {
      writeSection(BENCHMARKS_FILE, 'declare', [`## Slash-command ack and declare-to-channel latency`, '', ...machineLines(machine), '', report.markdown].join('\n'));
      console.log(`\nWrote the "declare" section of ${BENCHMARKS_FILE}`);
    }
    console.log(`Total ${((performance.now() - began) / 1000).toFixed(1)} s`);
  } finally {
    await Promise.all(suts.map((s) => s.stop().catch(() => {})));
    await flushPrefix(queuePrefix).catch(() => {});
    await database.close();
    await fake.close();
  }
}

function buildReport(r: {
  bare: AckRun;
  bot: AckRun;
  samples: DeclareSample[];
  declareWallMs: number;
  declareCpuMs: number;
  incidents: number;
  startupMs: number;
}): { text: string; markdown: string } {
  const { bare, bot } = r;
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
  const ackHeader = ['ack latency (ms)', 'bare Bolt', 'Meridian', 'Meridian / bare'];
  const ackRows: string[][] = [
    ['p50', ms(bare.latency.p50), ms(bot.latency.p50), ratio(bot.latency.p50, bare.latency.p50)],
    ['p95', ms(bare.latency.p95), ms(bot.latency.p95), ratio(bot.latency.p95, bare.latency.p95)],
    ['p99', ms(bare.latency.p99), ms(bot.latency.p99), ratio(bot.latency.p99, bare.latency.p99)],
    ['max', ms(bare.latency.max), ms(bot.latency.max), ratio(bot.latency.max, bare.latency.max)],
    ['mean', ms(bare.latency.mean), ms(bot.latency.mean), ratio(bot.latency.mean, bare.latency.mean)],
    ['server CPU per request', ms(bare.cpuPerRequestMs), ms(bot.cpuPerRequestMs), ratio(bot.cpuPerRequestMs, bare.cpuPerRequestMs)],
    ['server event-loop utilisation', `${(bare.elu * 100).toFixed(1)}%`, `${(bot.elu * 100).toFixed(1)}%`, ''],
    ['requests measured / non-200', `${bare.load.measured} / ${bare.load.errors}`, `${bot.load.measured} / ${bot.load.errors}`, ''],
    ['achieved rate (req/s)', bare.load.achievedRate.toFixed(1), bot.load.achievedRate.toFixed(1), ''],
    ['client send lag p99 / max', `${ms(bare.load.lagP99)} / ${ms(bare.load.lagMax)}`, `${ms(bot.load.lagP99)} / ${ms(bot.load.lagMax)}`, ''],
  ];
  const ackRatio = bot.latency.p99 / bare.latency.p99;
  const ackMet = ackRatio <= ACK_RATIO_TARGET;
  const modal = bot.toModal;
  const modalLine = modal
    ? `Meridian command -> views.open at Slack: p50 ${ms(modal.p50, 0)} ms, p95 ${ms(modal.p95, 0)} ms, p99 ${ms(modal.p99, 0)} ms (1 ms resolution); ${bot.modalsOk} of ${bot.load.sent} modals opened.`
    : '';

  const submit = summarize(r.samples.map((s) => s.submitAckMs));
  const channel = summarize(r.samples.map((s) => s.toChannelMs));
  const card = summarize(r.samples.map((s) => s.toCardMs));
  const notice = summarize(r.samples.map((s) => s.toNoticeMs));
  const declHeader = ['declare (ms from submit sent)', 'p50', 'p95', 'p99', 'max'];
  const row = (name: string, s: Summary, d = 0) => [name, ms(s.p50, d), ms(s.p95, d), ms(s.p99, d), ms(s.max, d)];
  const declRows = [
    row('view_submission acked (HTTP response)', submit, 2),
    row('conversations.create at Slack', channel),
    row('card chat.postMessage at Slack', card),
    row('declarer told (whole set-up)', notice),
  ];
  const cardMet = card.p95 < CARD_P95_TARGET_MS;
  const declNote = `${r.samples.length} declarations one after another (each after the previous set-up finished), ${(r.declareWallMs / 1000).toFixed(1)} s; ${r.incidents} incidents in the database; bot CPU ${ms(r.declareCpuMs / Math.max(1, r.samples.length), 1)} ms per declaration.`;

  const targets = [
    `- Ack p99 within ${ACK_RATIO_TARGET}x of bare Bolt: ${verdict(ackMet)} (${ms(bot.latency.p99)} ms vs ${ms(bare.latency.p99)} ms, ${ackRatio.toFixed(2)}x)`,
    `- Declare-to-card p95 under ${CARD_P95_TARGET_MS} ms: ${verdict(cardMet)} (${ms(card.p95, 0)} ms)`,
  ];
  const ackIntro = `Signed \`/incident declare <title>\` at ${RATE} req/s open-loop (${WARMUP_SECONDS} s warm-up, ${SECONDS} s measured), one keep-alive HTTP client; latency from send to the last byte of the response. Each server runs in its own process; the client and the zero-latency fake Slack share the parent process.`;

  const text = [
    ackIntro,
    '',
    table(ackHeader, ackRows),
    modalLine,
    '',
    table(declHeader, declRows),
    declNote,
    '',
    'Targets:',
    ...targets,
  ].join('\n');
  const markdown = [
    '### Slash-command ack latency',
    '',
    ackIntro,
    '',
    markdownTable(ackHeader, ackRows),
    '',
    modalLine,
    '',
    '### Declare-to-channel latency',
    '',
    `Signed \`view_submission\` of the declare modal; milestones are the fake Slack's arrival stamps. ${declNote}`,
    '',
    markdownTable(declHeader, declRows),
    '',
    '### Targets',
    '',
    ...targets,
  ].join('\n');
  return { text, markdown };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
