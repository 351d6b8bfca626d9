/**
 * npm run bench: Meridian's slash-command ack latency against a bare Bolt app (the framework
 * floor), and declare-to-channel latency, against the fake Slack, a database and a BullMQ
 * prefix of the bench's own. Prints a table and rewrites the `declare` section of BENCHMARKS.md.
 *
 * Layout: this process runs the fake Slack; the load client (bench/client.ts) and each server
 * (bench/sut.ts: Meridian, bare Bolt, and Bolt + views.open as a reference) run in child
 * processes, so no two of them share an event loop.
 *
 * The servers share one open-loop schedule: after a warm-up of each, the load moves between
 * them in short slots, in a shuffled order each cycle, so noise from other work on the machine
 * (other test runs, say) lands on all of them alike instead of on whichever ran at that moment.
 *
 * Knobs (env): BENCH_RATE (req/s, 100), BENCH_SECONDS (measured seconds per server, 18),
 * BENCH_WARMUP_SECONDS (2), BENCH_SLOT_MS (500), BENCH_DECLARATIONS (200),
 * BENCH_PROFILE=1 (CPU profiles of the servers into bench/profiles/), BENCH_NO_WRITE=1 (do not
 * touch BENCHMARKS.md), BENCH_DUMP_DIR=dir (per-request latencies as JSON, for time series).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mulberry32 } from './stats.js';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { startFakeSlack, type FakeSlack } from '../tests/fakes/fake-slack.js';
import { ADMIN_DATABASE_URL, ensureTestInfrastructure, TEST_REDIS_URL } from '../tests/support/infra.js';
import { BOT_TOKEN, flushPrefix, SIGNING_SECRET } from '../tests/support/meridian-harness.js';
import { createTestDatabase, testQueuePrefix } from '../tests/support/test-database.js';
import { forkTs } from './child.js';
import type { FromClient, ToClient } from './client.js';
import { runSequentialDeclarations, type DeclareSample } from './declare.js';
import { keepAliveAgent } from './load.js';
import { describeMachine, machineLines, writeSection } from './report.js';
import { markdownTable, ms, summarize, table, type Summary } from './stats.js';
import type { FromSut, SutConfig, ToSut } from './sut.js';

const RATE = Number(process.env.BENCH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 18);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const SLOT_MS = Number(process.env.BENCH_SLOT_MS ?? 500);
const DECLARATIONS = Number(process.env.BENCH_DECLARATIONS ?? 200);
const PROFILE = process.env.BENCH_PROFILE === '1';
const DUMP_DIR = process.env.BENCH_DUMP_DIR;
const ACK_RATIO_TARGET = 1.2;
/** Above this share of the machine busy with other work before a phase, wait (at most QUIET_WAIT_MS). */
const QUIET_BUSY = 0.25;
const QUIET_WAIT_MS = 10_000;
const CARD_P95_TARGET_MS = 300;
const BENCHMARKS_FILE = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const PROFILE_DIR = fileURLToPath(new URL('./profiles/', import.meta.url));

interface Sut {
  kind: SutConfig['kind'];
  /** Date.now() when the server reported ready. */
  readyAtEpochMs: number;
  startupMs: number;
  eventsUrl: string;
  mark(): Promise<Extract<FromSut, { type: 'mark' }>>;
  stop(): Promise<void>;
}

/** Starts bench/sut.ts (Meridian or the bare Bolt app) in a child process. */
async function startSut(cfg: SutConfig): Promise<Sut> {
  const child = forkTs<ToSut, FromSut>(new URL('./sut.ts', import.meta.url), {
    name: cfg.kind,
    env: { BENCH_SUT_CONFIG: JSON.stringify(cfg) },
    cpuProfileDir: PROFILE ? PROFILE_DIR : undefined,
  });
  const ready = await child.next('ready');
  return {
    kind: cfg.kind,
    readyAtEpochMs: Date.now(),
    startupMs: ready.startupMs,
    eventsUrl: `http://127.0.0.1:${ready.port}/slack/events`,
    async mark() {
      const answer = child.next('mark');
      child.send({ type: 'mark' });
      return answer;
    },
    stop: () => child.stop({ type: 'stop' }),
  };
}

type Kind = SutConfig['kind'];
const KINDS: Kind[] = ['bare', 'bolt-open', 'meridian'];

interface AckRun {
  kind: Kind;
  latency: Summary;
  /** p99 of the first and of the second half of this server's measured requests: a noise check. */
  halfP99: [number, number];
  measured: number;
  errors: number;
  /** Requests sent to this server, warm-up included. */
  sent: number;
  /** CPU time the server process spent per measured request, ms. */
  cpuPerRequestMs: number;
  /** The server's own view of the measured part: event-loop delay and GC pauses. */
  usage: Extract<FromSut, { type: 'mark' }>;
  /** Command sent -> views.open arrived at the fake Slack (1 ms resolution). */
  toModal?: Summary;
  modalsOk: number;
}

interface AckPhase {
  runs: Record<Kind, AckRun>;
  lagP99: number;
  lagMax: number;
  wallSeconds: number;
  /** Share of the machine busy in the second before the phase. */
  busyBefore: number;
}

/** Share of all cores busy over `ms`, from the kernel's counters (the whole machine, not just us). */
async function machineBusy(ms: number): Promise<number> {
  const sample = () =>
    os
      .cpus()
      .reduce((acc, c) => ({ idle: acc.idle + c.times.idle, total: acc.total + Object.values(c.times).reduce((x, y) => x + y, 0) }), {
        idle: 0,
        total: 0,
      });
  const a = sample();
  await new Promise((r) => setTimeout(r, ms));
  const b = sample();
  return b.total > a.total ? 1 - (b.idle - a.idle) / (b.total - a.total) : 0;
}

/** Waits (up to `maxMs`) for a second in which other work leaves the machine mostly idle. */
async function waitForQuiet(maxMs: number): Promise<number> {
  const deadline = Date.now() + maxMs;
  let busy = await machineBusy(1000);
  if (busy > QUIET_BUSY)
    console.log(`  machine ${(busy * 100).toFixed(0)}% busy with other work; waiting up to ${maxMs / 1000} s for it to calm down`);
  while (busy > QUIET_BUSY && Date.now() < deadline) busy = await machineBusy(1000);
  return busy;
}

/** Which server each request goes to: a warm-up block per server, then shuffled slots. */
function schedule(servers: number): { targets: number[]; measuredFrom: number } {
  const warm = Math.round(WARMUP_SECONDS * RATE);
  const slot = Math.max(1, Math.round((SLOT_MS / 1000) * RATE));
  const perServer = Math.round(SECONDS * RATE);
  const targets: number[] = [];
  for (let s = 0; s < servers; s++) for (let k = 0; k < warm; k++) targets.push(s);
  const measuredFrom = targets.length;
  const random = mulberry32(20_260_101);
  for (let cycle = 0; cycle * slot < perServer; cycle++) {
    const order = Array.from({ length: servers }, (_, s) => s);
    for (let k = order.length - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1));
      [order[k], order[j]] = [order[j]!, order[k]!];
    }
    const n = Math.min(slot, perServer - cycle * slot);
    for (const s of order) for (let k = 0; k < n; k++) targets.push(s);
  }
  return { targets, measuredFrom };
}

async function ackPhase(servers: Sut[], fake: FakeSlack): Promise<AckPhase> {
  const client = forkTs<ToClient, FromClient>(new URL('./client.ts', import.meta.url), { name: 'load client' });
  try {
    fake.reset();
    const busyBefore = await waitForQuiet(QUIET_WAIT_MS);
    const { targets, measuredFrom } = schedule(servers.length);
    const interval = 1000 / RATE;
    // Request i is planned for `interval * i` ms from now: its trigger id is minted for that instant
    // (valid 3 s from it, as if the user had typed the command then).
    const triggerIds = targets.map((_, i) => fake.mintTriggerId({ ageMs: -Math.round(i * interval) }));
    let marked: Promise<unknown> = Promise.resolve();
    client.on('reached', () => {
      // The servers' CPU counters restart where the measured part begins.
      marked = Promise.all(servers.map((s) => s.mark()));
    });
    const done = client.next('result');
    const started = performance.now();
    client.send({
      type: 'run',
      urls: servers.map((s) => s.eventsUrl),
      targets,
      ratePerSecond: RATE,
      signingSecret: SIGNING_SECRET,
      triggerIds,
      notifyAt: [measuredFrom],
    });
    const { result } = await done;
    const wallSeconds = (performance.now() - started) / 1000;
    await marked;
    const usage = await Promise.all(servers.map((s) => s.mark()));
    const opening = targets.filter((t) => servers[t]!.kind !== 'bare').length;
    const deadline = Date.now() + 3_000;
    while (fake.callsTo('views.open').length < opening && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const index = new Map(triggerIds.map((id, i) => [id, i]));
    const opens = fake.callsTo('views.open').map((c) => ({ call: c, i: index.get(String(c.args.trigger_id)) ?? -1 }));
    if (DUMP_DIR) {
      mkdirSync(DUMP_DIR, { recursive: true });
      writeFileSync(
        `${DUMP_DIR}/ack.json`,
        JSON.stringify({
          rate: RATE,
          measuredFrom,
          kinds: servers.map((s) => s.kind),
          readyAt: servers.map((s) => s.readyAtEpochMs),
          targets,
          ...result,
        }),
      );
    }

    const runs = {} as Record<Kind, AckRun>;
    servers.forEach((sut, s) => {
      const mine = targets.flatMap((t, i) => (t === s && i >= measuredFrom ? [i] : []));
      const ok = mine.filter((i) => result.statusByIndex[i] === 200);
      const latencies = ok.map((i) => result.latencyByIndex[i]!);
      const half = Math.floor(latencies.length / 2);
      const modalDelays = opens.flatMap(({ call, i }) =>
        targets[i] === s && i >= measuredFrom ? [call.at - result.sentAtEpochMs[i]!] : [],
      );
      runs[sut.kind] = {
        kind: sut.kind,
        latency: summarize(latencies),
        halfP99: [summarize(latencies.slice(0, half)).p99, summarize(latencies.slice(half)).p99],
        measured: mine.length,
        errors: mine.length - ok.length,
        sent: targets.filter((t) => t === s).length,
        cpuPerRequestMs: (usage[s]!.cpuUserMs + usage[s]!.cpuSystemMs) / Math.max(1, mine.length),
        usage: usage[s]!,
        toModal: modalDelays.length ? summarize(modalDelays) : undefined,
        modalsOk: opens.filter(({ call, i }) => targets[i] === s && (call.response as { ok?: boolean }).ok === true).length,
      };
    });
    const lags = summarize(result.lagByIndex.slice(measuredFrom));
    return { runs, lagP99: lags.p99, lagMax: lags.max, wallSeconds, busyBefore };
  } finally {
    await client.stop({ type: 'stop' });
  }
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
    for (const kind of KINDS) suts.push(await startSut({ ...base, kind }));
    console.log(
      `\nAck latency: /incident declare at ${RATE} req/s open-loop; ${WARMUP_SECONDS} s warm-up per server, then ${SECONDS} s per server in shuffled ${SLOT_MS} ms slots`,
    );
    const ack = await ackPhase(suts, fake);
    const { bare, 'bolt-open': boltOpen, meridian: bot } = ack.runs;
    await Promise.all(suts.filter((s) => s.kind !== 'meridian').map((s) => s.stop()));

    const botSut = suts.find((s) => s.kind === 'meridian')!;
    console.log(`Declare-to-channel: ${DECLARATIONS} declarations to Meridian, one after another`);
    fake.reset();
    await waitForQuiet(QUIET_WAIT_MS);
    await botSut.mark();
    const agent = keepAliveAgent();
    const declareStarted = performance.now();
    const { samples, failures } = await runSequentialDeclarations({
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

    const report = buildReport({
      ack,
      bare,
      boltOpen,
      bot,
      samples,
      failures,
      declareWallMs,
      declareCpuMs: declareUsage.cpuUserMs + declareUsage.cpuSystemMs,
      incidents: n,
      startupMs: botSut.startupMs,
    });
    console.log(`\n${report.text}`);
    if (process.env.BENCH_NO_WRITE !== '1') {
      writeSection(
        BENCHMARKS_FILE,
        'declare',
        [`## Slash-command ack and declare-to-channel latency`, '', ...machineLines(machine), '', report.markdown].join('\n'),
      );
      console.log(`\nWrote the "declare" section of ${BENCHMARKS_FILE}`);
    }
    console.log(`Total ${((performance.now() - began) / 1000).toFixed(1)} s`);
  } finally {
    await Promise.all(suts.map((s) => s.stop().catch(() => {})));
    await flushPrefix(queuePrefix).catch(() => {});
    await database.drop();
    await fake.close();
  }
}

function buildReport(r: {
  ack: AckPhase;
  bare: AckRun;
  boltOpen: AckRun;
  bot: AckRun;
  samples: DeclareSample[];
  failures: string[];
  declareWallMs: number;
  declareCpuMs: number;
  incidents: number;
  startupMs: number;
}): { text: string; markdown: string } {
  const { bare, boltOpen, bot } = r;
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
  const ackHeader = ['ack latency (ms)', 'bare Bolt', 'Meridian', 'Meridian / bare', 'Bolt + views.open (ref.)', 'Meridian / ref.'];
  const stat = (name: string, pick: (a: AckRun) => number) => [
    name,
    ms(pick(bare)),
    ms(pick(bot)),
    ratio(pick(bot), pick(bare)),
    ms(pick(boltOpen)),
    ratio(pick(bot), pick(boltOpen)),
  ];
  const info = (name: string, pick: (a: AckRun) => string) => [name, pick(bare), pick(bot), '', pick(boltOpen), ''];
  const ackRows: string[][] = [
    stat('p50', (a) => a.latency.p50),
    stat('p95', (a) => a.latency.p95),
    stat('p99', (a) => a.latency.p99),
    stat('max', (a) => a.latency.max),
    stat('mean', (a) => a.latency.mean),
    info('p99, first / second half', (a) => `${ms(a.halfP99[0])} / ${ms(a.halfP99[1])}`),
    stat('server CPU per request', (a) => a.cpuPerRequestMs),
    info('server event-loop delay p99 / max', (a) => `${ms(a.usage.loopDelayP99Ms, 1)} / ${ms(a.usage.loopDelayMaxMs, 1)}`),
    info('server GC pauses: count, total, max', (a) => `${a.usage.gcCount}, ${ms(a.usage.gcTotalMs, 0)}, ${ms(a.usage.gcMaxMs, 1)}`),
    info('of which major: count, max', (a) => `${a.usage.gcMajorCount}, ${ms(a.usage.gcMajorMaxMs, 1)}`),
    info('requests measured / non-200', (a) => `${a.measured} / ${a.errors}`),
    info('command -> views.open p50 / p95 / p99', (a) =>
      a.toModal ? `${ms(a.toModal.p50, 0)} / ${ms(a.toModal.p95, 0)} / ${ms(a.toModal.p99, 0)}` : '-',
    ),
    info('modals opened', (a) => (a.kind === 'bare' ? '-' : `${a.modalsOk} of ${a.sent}`)),
  ];
  const ackRatio = bot.latency.p99 / bare.latency.p99;
  const ackMet = ackRatio <= ACK_RATIO_TARGET;
  // A p99 from ~1,000 samples moves with a handful of slow requests: check each half on its own.
  const halfRatios = [0, 1].map((h) => bot.halfP99[h]! / bare.halfP99[h]!);
  const halvesAgree = halfRatios.every((x) => x <= ACK_RATIO_TARGET === ackMet);
  const modalLine =
    "Bolt + views.open is a reference, not a target: a bare Bolt app that acks and then opens the same modal with Bolt's own client, i.e. the floor for what Meridian's listener does. command -> views.open is stamped by the fake Slack (1 ms resolution).";

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
  const cardMet = card.p95 < CARD_P95_TARGET_MS && r.failures.length === 0;
  const declNote =
    `${r.samples.length + r.failures.length} declarations one after another (each after the previous set-up finished), ${(r.declareWallMs / 1000).toFixed(1)} s; ` +
    `${r.incidents} incidents in the database; bot CPU ${ms(r.declareCpuMs / Math.max(1, r.samples.length), 1)} ms per declaration.` +
    (r.failures.length ? ` ${r.failures.length} FAILED (no milestones), first: ${r.failures[0]}` : '');

  const targets = [
    `- Ack p99 within ${ACK_RATIO_TARGET}x of bare Bolt: ${verdict(ackMet)} (${ms(bot.latency.p99)} ms vs ${ms(bare.latency.p99)} ms, ${ackRatio.toFixed(2)}x)` +
      (halvesAgree
        ? `; the same in both halves of the run (${halfRatios.map((x) => `${x.toFixed(2)}x`).join(', ')})`
        : `; UNSTABLE: the two halves of the run disagree (${halfRatios.map((x) => `${x.toFixed(2)}x`).join(', ')}), so at this noise level (client send lag p99 ${ms(r.ack.lagP99)} ms) the p99 ratio is not settled; rerun on a quiet machine`),
    `- Declare-to-card p95 under ${CARD_P95_TARGET_MS} ms: ${verdict(cardMet)} (${ms(card.p95, 0)} ms)`,
  ];
  const ackIntro =
    `Signed \`/incident declare <title>\` at ${RATE} req/s open-loop from one keep-alive HTTP client; latency from send to the last byte of the response. ` +
    `Each server got ${WARMUP_SECONDS} s of warm-up, then ${SECONDS} s of measured load in ${SLOT_MS} ms slots shuffled between the servers (${r.ack.wallSeconds.toFixed(0)} s in all), so background noise falls on all of them alike. ` +
    `The load client and each server run in processes of their own; the zero-latency fake Slack runs in the parent. ` +
    `Machine ${(r.ack.busyBefore * 100).toFixed(0)}% busy just before; client send lag p99 ${ms(r.ack.lagP99)} ms, max ${ms(r.ack.lagMax)} ms (how late requests left: other work on the machine shows here first).`;

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
