/**
 * The system under test, run in a child process of bench/run.ts so that the load client and
 * the fake Slack (which stay in the parent) do not share its event loop:
 *   BENCH_SUT=meridian  the real bot (startMeridian), as main.ts wires it;
 *   BENCH_SUT=bare      a bare Bolt app whose /incident listener only acks (the framework floor);
 *   BENCH_SUT=bolt-open a bare Bolt app that acks, then opens the same declare modal with Bolt's
 *                       own WebClient (the floor for what Meridian's listener does; a reference).
 * Protocol over the IPC channel: child -> {type:'ready', port}; parent -> {type:'mark'} answered
 * with CPU and event-loop use since the previous mark; parent -> {type:'stop'}.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, monitorEventLoopDelay, performance, PerformanceObserver, type EventLoopUtilization } from 'node:perf_hooks';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { declareModal } from '../src/blocks/declare-modal.js';
import { defaultMeridianConfig } from '../src/config-file/load.js';
import type { ActionLimits } from '../src/domain/action-limits.js';

const UNLIMITED = { perUserPerHour: 1_000_000, perTeamPerHour: 1_000_000 };
const BENCH_LIMITS: ActionLimits = { declare: UNLIMITED, escalate: UNLIMITED, review: UNLIMITED, override: UNLIMITED };
import { startMeridian } from '../src/runtime.js';

export interface SutConfig {
  kind: 'meridian' | 'bare' | 'bolt-open';
  signingSecret: string;
  botToken: string;
  slackApiUrl: string;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  feedChannelId: string;
}

export type ToSut = { type: 'mark' } | { type: 'stop' };
export type FromSut =
  | { type: 'ready'; port: number; startupMs: number }
  | {
      type: 'mark';
      cpuUserMs: number;
      cpuSystemMs: number;
      elu: number;
      wallMs: number;
      /** Event-loop delay since the previous mark (10 ms resolution sampler), ms. */
      loopDelayP99Ms: number;
      loopDelayMaxMs: number;
      /** Garbage-collection pauses since the previous mark. */
      gcCount: number;
      gcTotalMs: number;
      gcMaxMs: number;
      /** Of which major (mark-compact) collections: count and longest pause. */
      gcMajorCount: number;
      gcMajorMaxMs: number;
    }
  | { type: 'stopped' }
  | { type: 'failed'; error: string };

async function startBare(cfg: SutConfig): Promise<{ port: number; close: () => Promise<void> }> {
  const receiver = new HTTPReceiver({ signingSecret: cfg.signingSecret, endpoints: ['/slack/events'], port: 0 });
  const app = new App({ token: cfg.botToken, receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: cfg.slackApiUrl } });
  if (cfg.kind === 'bolt-open') {
    const { severities, categories } = defaultMeridianConfig();
    app.command('/incident', async ({ ack, command, client }) => {
      await ack();
      const title = command.text.replace(/^declare\s*/, '');
      await client.views.open({
        trigger_id: command.trigger_id,
        view: declareModal({ severities, categories }, { title, metadata: { originChannelId: command.channel_id } }),
      });
    });
  } else {
    app.command('/incident', async ({ ack }) => {
      await ack();
    });
  }
  const server = (await app.start(0)) as unknown as Server;
  return { port: (server.address() as AddressInfo).port, close: () => app.stop() as Promise<void> };
}

async function startBot(cfg: SutConfig): Promise<{ port: number; close: () => Promise<void> }> {
  const config = loadConfig({
    SLACK_BOT_TOKEN: cfg.botToken,
    SLACK_SIGNING_SECRET: cfg.signingSecret,
    SLACK_API_URL: cfg.slackApiUrl,
    DATABASE_URL: cfg.databaseUrl,
    REDIS_URL: cfg.redisUrl,
    PORT: '0',
    INCIDENT_FEED_CHANNEL: cfg.feedChannelId,
    QUEUE_PREFIX: cfg.queuePrefix,
    LOG_LEVEL: 'silent',
    // Latency, not pacing, is measured here: the pacer runs (its Redis calls are part of the cost)
    // but Slack's published tiers would hold the 200 declarations to ~20 channels a minute.
    SLACK_RATE_SCALE: '1000',
  });
  // BENCH_LOG_LEVEL=warn shows what goes wrong inside the bot (pino JSON on stdout).
  const runtime = await startMeridian(config, {
    logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }),
    // The bench declares hundreds of incidents as one person: the per-person hourly limits would
    // refuse all but the first few, so they are lifted here; the limiter's Redis call still runs.
    meridian: { ...defaultMeridianConfig(), limits: BENCH_LIMITS },
  });
  return { port: runtime.port, close: runtime.close };
}

async function main(): Promise<void> {
  const send = (msg: FromSut) => process.send?.(msg);
  const cfg = JSON.parse(process.env.BENCH_SUT_CONFIG ?? '{}') as SutConfig;
  const t0 = performance.now();
  const sut = cfg.kind === 'meridian' ? await startBot(cfg) : await startBare(cfg);
  let cpu = process.cpuUsage();
  let elu: EventLoopUtilization = performance.eventLoopUtilization();
  let wall = performance.now();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const gc = { count: 0, totalMs: 0, maxMs: 0, majorCount: 0, majorMaxMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count += 1;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
      if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gc.majorCount += 1;
        gc.majorMaxMs = Math.max(gc.majorMaxMs, entry.duration);
      }
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('message', (msg: ToSut) => {
    if (msg.type === 'mark') {
      const dCpu = process.cpuUsage(cpu);
      const dElu = performance.eventLoopUtilization(elu);
      const now = performance.now();
      send({
        type: 'mark',
        cpuUserMs: dCpu.user / 1000,
        cpuSystemMs: dCpu.system / 1000,
        elu: dElu.utilization,
        wallMs: now - wall,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
        gcCount: gc.count,
        gcTotalMs: gc.totalMs,
        gcMaxMs: gc.maxMs,
        gcMajorCount: gc.majorCount,
        gcMajorMaxMs: gc.majorMaxMs,
      });
      loopDelay.reset();
      Object.assign(gc, { count: 0, totalMs: 0, maxMs: 0, majorCount: 0, majorMaxMs: 0 });
      cpu = process.cpuUsage();
      elu = performance.eventLoopUtilization();
      wall = now;
    } else if (msg.type === 'stop') {
      void sut.close().finally(() => {
        send({ type: 'stopped' });
        // Exit normally so --cpu-prof (BENCH_PROFILE=1) writes its profile.
        setTimeout(() => process.exit(0), 50);
      });
    }
  });
  // If bench/run.ts dies, do not linger as an orphan.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port: sut.port, startupMs: performance.now() - t0 });
}

main().catch((err: unknown) => {
  process.send?.({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies FromSut);
  process.exitCode = 1;
});
