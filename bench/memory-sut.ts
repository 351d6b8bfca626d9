/**
 * The real bot (startMeridian, role 'all', as `npm start` runs it) in a child process of
 * bench/memory.ts, so the fake Slack and the bench's queries do not count in its memory.
 * Protocol over IPC: child -> {type:'ready', port}; parent -> {type:'memory'} answered with
 * process.memoryUsage() after a full collection (when run with --expose-gc); parent ->
 * {type:'stop'} answered with 'stopped'.
 */
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { loadMeridianConfig } from '../src/config-file/load.js';
import type { ActionLimits } from '../src/domain/action-limits.js';
import { startMeridian } from '../src/runtime.js';

const UNLIMITED = { perUserPerHour: 1_000_000, perTeamPerHour: 1_000_000 };
const BENCH_LIMITS: ActionLimits = { declare: UNLIMITED, escalate: UNLIMITED, review: UNLIMITED, override: UNLIMITED };

export interface MemorySutConfig {
  signingSecret: string;
  botToken: string;
  slackApiUrl: string;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  feedChannelId: string;
  /** The Meridian config file the bot runs with (schedules, policies, severities). */
  configFile: string;
}

export interface MemoryFigures {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** False when the child was not run with --expose-gc: the figures include garbage. */
  collected: boolean;
}

export type ToMemorySut = { type: 'memory' } | { type: 'stop' };
export type FromMemorySut =
  | { type: 'ready'; port: number; startupMs: number }
  | ({ type: 'memory' } & MemoryFigures)
  | { type: 'stopped' }
  | { type: 'failed'; error: string };

const mb = (bytes: number) => bytes / 2 ** 20;

async function measure(): Promise<MemoryFigures> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    // Twice, with a turn of the loop between: weak references and finalizers free more on the second.
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  const m = process.memoryUsage();
  return {
    rssMb: mb(m.rss),
    heapUsedMb: mb(m.heapUsed),
    heapTotalMb: mb(m.heapTotal),
    externalMb: mb(m.external),
    arrayBuffersMb: mb(m.arrayBuffers),
    collected: Boolean(gc),
  };
}

async function main(): Promise<void> {
  const send = (msg: FromMemorySut) => process.send?.(msg);
  const cfg = JSON.parse(process.env.BENCH_MEMORY_SUT ?? '{}') as MemorySutConfig;
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
    // Paced, but far above Slack's tiers: the bench declares a thousand incidents in a few minutes.
    SLACK_RATE_SCALE: '1000',
    LOG_LEVEL: 'silent',
  });
  const file = await loadMeridianConfig(cfg.configFile);
  if (!file.ok) throw new Error(`${cfg.configFile}: ${file.errors.join('; ')}`);
  const runtime = await startMeridian(config, {
    logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }),
    // One person declares all the incidents: the per-person hourly limits would refuse most.
    meridian: { ...file.config, limits: BENCH_LIMITS },
  });
  process.on('message', (msg: ToMemorySut) => {
    if (msg.type === 'memory') {
      void measure().then((figures) => send({ type: 'memory', ...figures }));
    } else if (msg.type === 'stop') {
      void runtime.close().finally(() => {
        send({ type: 'stopped' });
        setTimeout(() => process.exit(0), 50);
      });
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port: runtime.port, startupMs: performance.now() - t0 });
}

main().catch((err: unknown) => {
  process.send?.({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies FromMemorySut);
  process.exitCode = 1;
});
