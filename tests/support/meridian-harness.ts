import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Cluster } from 'ioredis';
import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import { defaultMeridianConfig } from '../../src/config-file/load.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import type { ActionLimit, ActionLimits } from '../../src/domain/action-limits.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { startMeridian, type Runtime } from '../../src/runtime.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { slackCommandText } from '../../src/sandbox/slack/command-text.js';
import { testRedisClient, testRedisEnv } from './infra.js';
import { blockActionBody, sendToSlackEndpoint, slashCommandBody, type SubmittedView, viewSubmissionBody } from './slack-requests.js';
import { createTestDatabase, testQueuePrefix } from './test-database.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-token';

export interface Harness {
  fake: FakeSlack;
  /** A separate pool on the bot's database, for assertions on rows (with `embedded`: a Postgres database the bot does not use). */
  db: DatabaseHandle['db'];
  config: Config;
  feedChannelId: string;
  eventsUrl: string;
  runtime: Runtime;
  /**
   * `/incident <text>` (or another command) as a signed Slack request, its text as Slack sends
   * it: entities escaped, and (the manifest's `should_escape: true`) `@name` of a fake user as
   * `<@U…|name>`, `#name` of a channel as `<#C…|name>`.
   */
  command(text: string, opts?: { command?: string; userId?: string; channelId?: string; retryNum?: number }): Promise<Reply>;
  /** A view submission as Slack sends it. */
  submitView(view: SubmittedView, opts?: { userId?: string; retryNum?: number }): Promise<Reply>;
  /** A button click. */
  clickButton(input: { actionId: string; value: string; userId?: string; channelId?: string; messageTs?: string }): Promise<Reply>;
  /** Stops the bot (not the fake Slack or the database) and starts it again. */
  restart(): Promise<void>;
  stopBot(): Promise<void>;
  close(): Promise<void>;
}

export interface Reply {
  status: number;
  text: string;
  json?: unknown;
}

export interface HarnessOptions {
  /** Run the bot on the embedded database (PGlite under a temporary DATA_DIR) instead of Postgres. */
  embedded?: boolean;
  meridian?: MeridianConfig;
  /** Hourly limits on declarations and the like; default generous, as a test file declares many incidents as one person. */
  limits?: ActionLimits;
  env?: Record<string, string>;
  clock?: () => Date;
  reconcileEveryMs?: number;
  /** Channels to seed in the fake Slack before the bot starts, by the variable that names them (`{ INTAKE_CHANNEL: 'intake' }`). */
  channels?: Record<string, string>;
  /** The bot's logger (default silent); pass `createLogger(level, sink)` to assert on what is logged. */
  logger?: pino.Logger;
}

const GENEROUS: ActionLimit = { perUserPerHour: 10_000, perTeamPerHour: 10_000 };
const GENEROUS_LIMITS: ActionLimits = { declare: GENEROUS, escalate: GENEROUS, review: GENEROUS, override: GENEROUS };

const silent = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/**
 * The real bot, in-process, on an ephemeral port, against a fake Slack over HTTP, a database
 * of this test file's own, and a BullMQ prefix of its own on the real Redis.
 */
export async function startHarness(fileUrl: string, opts: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeSlack({ token: BOT_TOKEN });
  const database = await createTestDatabase(fileUrl);
  const dataDir = opts.embedded ? mkdtempSync(path.join(tmpdir(), 'meridian-embedded-')) : undefined;
  const prefix = testQueuePrefix(fileUrl);
  await flushPrefix(prefix);
  const feedChannelId = fake.addChannel({ name: 'incidents-feed', botIsMember: true });
  const seeded = Object.fromEntries(
    Object.entries(opts.channels ?? {}).map(([key, name]) => [key, fake.addChannel({ name, botIsMember: true })]),
  );
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.url,
    ...(dataDir ? { DATA_DIR: dataDir } : { DATABASE_URL: database.url }),
    // A test that brings a Redis of its own (in env) runs on it, whichever project runs it.
    ...(opts.env?.REDIS_URL || opts.env?.REDIS_CLUSTER_NODES ? {} : testRedisEnv()),
    PORT: '0',
    INCIDENT_FEED_CHANNEL: feedChannelId,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    // Paced like Slack but 100x its limits (chat.postMessage 100/s per channel): tests post fast; a pacing test passes its own.
    SLACK_RATE_SCALE: '100',
    ...seeded,
    ...opts.env,
  });
  const start = () =>
    startMeridian(config, {
      logger: opts.logger ?? silent,
      meridian: { ...(opts.meridian ?? defaultMeridianConfig()), limits: opts.limits ?? GENEROUS_LIMITS },
      clock: opts.clock,
      reconcileEveryMs: opts.reconcileEveryMs ?? 60_000,
    });
  let runtime = await start();
  let stopped = false;

  const send = (body: string, contentType: 'application/json' | 'application/x-www-form-urlencoded', retryNum?: number) =>
    sendToSlackEndpoint(harness.eventsUrl, body, { secret: SIGNING_SECRET, contentType, retryNum });

  const harness: Harness = {
    fake,
    db: database.db,
    config,
    feedChannelId,
    eventsUrl: `http://127.0.0.1:${runtime.port}/slack/events`,
    runtime,
    command: (text, o = {}) =>
      send(
        slashCommandBody({
          command: o.command ?? '/incident',
          text: slackCommandText(fake.state, o.command ?? '/incident', text),
          userId: o.userId ?? 'U0DECL001',
          channelId: o.channelId ?? 'C0GENERAL1',
          responseUrl: fake.responseUrl(o.userId ?? 'U0DECL001', o.channelId ?? 'C0GENERAL1'),
          triggerId: fake.mintTriggerId(),
        }),
        'application/x-www-form-urlencoded',
        o.retryNum,
      ),
    submitView: (view, o = {}) =>
      send(viewSubmissionBody({ userId: o.userId ?? 'U0DECL001', view }), 'application/x-www-form-urlencoded', o.retryNum),
    clickButton: (input) =>
      send(
        blockActionBody({
          userId: input.userId ?? 'U0DECL001',
          actionId: input.actionId,
          value: input.value,
          triggerId: fake.mintTriggerId(),
          channelId: input.channelId,
          messageTs: input.messageTs,
          ...(input.channelId ? { responseUrl: fake.responseUrl(input.userId ?? 'U0DECL001', input.channelId) } : {}),
        }),
        'application/x-www-form-urlencoded',
      ),
    async stopBot() {
      if (!stopped) await runtime.close();
      stopped = true;
    },
    async restart() {
      await harness.stopBot();
      runtime = await start();
      stopped = false;
      harness.runtime = runtime;
      harness.eventsUrl = `http://127.0.0.1:${runtime.port}/slack/events`;
    },
    async close() {
      await harness.stopBot();
      await database.drop();
      await flushPrefix(prefix);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      await fake.close();
    },
  };
  return harness;
}

/** Removes this file's BullMQ keys left by an earlier run. */
export async function flushPrefix(prefix: string): Promise<void> {
  const redis = testRedisClient();
  try {
    // SCAN sees one server's keys: on a cluster, every master is scanned (the prefix's hash tag
    // puts them all on one, but which one is the cluster's business).
    const servers = redis instanceof Cluster ? (await clusterReady(redis)).nodes('master') : [redis];
    for (const server of servers) {
      let cursor = '0';
      do {
        const [next, keys] = await server.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        if (keys.length) await server.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/** nodes() is empty until the cluster client has read the slot map. */
async function clusterReady(cluster: Cluster): Promise<Cluster> {
  if (cluster.status !== 'ready') await new Promise((resolve, reject) => cluster.once('ready', resolve).once('error', reject));
  return cluster;
}

/** Polls `check` until it returns a value (not undefined/false) or the deadline passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The state Slack sends for a filled declare modal. */
export function declareState(fields: { title?: string; severity?: string; category?: string; summary?: string; private?: boolean }) {
  return {
    values: {
      title: { value: { type: 'plain_text_input', value: fields.title ?? null } },
      severity: { value: { type: 'radio_buttons', selected_option: fields.severity ? { value: fields.severity } : null } },
      category: { value: { type: 'static_select', selected_option: fields.category ? { value: fields.category } : null } },
      summary: { value: { type: 'plain_text_input', value: fields.summary ?? null } },
      private: { value: { type: 'checkboxes', selected_options: fields.private ? [{ value: 'private' }] : [] } },
    },
  };
}
