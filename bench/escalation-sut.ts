/**
 * The real bot (startMeridian, as main.ts wires it) in a child process of bench/escalation-run.ts,
 * so the fake Slack and the bench's own producer and queries do not share its event loop.
 * Protocol over IPC: child -> {type:'ready'}; parent -> {type:'mark'} answered with CPU and
 * event-loop figures since the previous mark; parent -> {type:'stop'} answered with 'stopped'.
 */
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { defaultMeridianConfig } from '../src/config-file/load.js';
import { startMeridian } from '../src/runtime.js';

export interface EscalationSutConfig {
  signingSecret: string;
  botToken: string;
  slackApiUrl: string;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  feedChannelId: string;
  /** undefined: startMeridian's default. */
  workerConcurrency?: number;
  /** startMeridian's role; undefined: 'all'. bench/workers.ts runs 'worker' processes. */
  role?: 'all' | 'worker';
  /** SLACK_RATE_SCALE; undefined: 1000 (see below). */
  slackRateScale?: number;
  /** More environment (bench/sms-run.ts: the fake Twilio's TWILIO_*). */
  env?: Record<string, string>;
}

export type ToEscalationSut = { type: 'mark' } | { type: 'stop' };
export type FromEscalationSut =
  | { type: 'ready'; startupMs: number }
  | { type: 'mark'; cpuMs: number; wallMs: number; elu: number; loopDelayP99Ms: number; loopDelayMaxMs: number }
  | { type: 'stopped' }
  | { type: 'failed'; error: string };

async function main(): Promise<void> {
  const send = (msg: FromEscalationSut) => process.send?.(msg);
  const cfg = JSON.parse(process.env.BENCH_ESCALATION_SUT ?? '{}') as EscalationSutConfig;
  const t0 = performance.now();
  const config = loadConfig({
    SLACK_BOT_TOKEN: cfg.botToken,
    SLACK_SIGNING_SECRET: cfg.signingSecret,
    SLACK_API_URL: cfg.slackApiUrl,
    DATABASE_URL: cfg.databaseUrl,
    REDIS_URL: cfg.redisUrl,
    PORT: '0',
    INCIDENT_FEED_CHANNEL: cfg.feedChannelId,
    QUEUE_PREFIX: cfg.queuePrefix,
    // The pacer still runs (its Redis round trips are part of a step's cost), but Slack's
    // published tiers (invites ~50/min) would make these benches measure the pacer's waits.
    SLACK_RATE_SCALE: String(cfg.slackRateScale ?? 1000),
    LOG_LEVEL: 'silent',
    ...cfg.env,
  });
  const runtime = await startMeridian(config, {
    logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }),
    meridian: defaultMeridianConfig(),
    ...(cfg.workerConcurrency ? { workerConcurrency: cfg.workerConcurrency } : {}),
    ...(cfg.role ? { role: cfg.role } : {}),
  });
  let cpu = process.cpuUsage();
  let elu: EventLoopUtilization = performance.eventLoopUtilization();
  let wall = performance.now();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  process.on('message', (msg: ToEscalationSut) => {
    if (msg.type === 'mark') {
      const dCpu = process.cpuUsage(cpu);
      const now = performance.now();
      send({
        type: 'mark',
        cpuMs: (dCpu.user + dCpu.system) / 1000,
        wallMs: now - wall,
        elu: performance.eventLoopUtilization(elu).utilization,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
      });
      loopDelay.reset();
      cpu = process.cpuUsage();
      elu = performance.eventLoopUtilization();
      wall = now;
    } else if (msg.type === 'stop') {
      void runtime.close().finally(() => {
        send({ type: 'stopped' });
        setTimeout(() => process.exit(0), 50);
      });
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', startupMs: performance.now() - t0 });
}

main().catch((err: unknown) => {
  process.send?.({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies FromEscalationSut);
  process.exitCode = 1;
});
