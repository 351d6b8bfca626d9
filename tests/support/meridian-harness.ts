import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { and, eq, lte } from 'drizzle-orm';
import { Cluster, Redis } from 'ioredis';
import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import { defaultMeridianConfig } from '../../src/config-file/load.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import type { ActionLimit, ActionLimits } from '../../src/domain/action-limits.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { scheduledActions } from '../../src/db/schema/index.js';
import { ACTION_QUEUE } from '../../src/jobs/catalog.js';
import { startMeridian, type Runtime } from '../../src/runtime.js';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../fakes/fake-slack.js';
import { slackCommandText } from '../../src/sandbox/slack/command-text.js';
import { testRedisClient, testRedisEnv } from './infra.js';
import { blockActionBody, sendToSlackEndpoint, slashCommandBody, type SubmittedView, viewSubmissionBody } from './slack-requests.js';
import { createTestDatabase, testQueuePrefix } from './test-database.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-token';
/**
 * SLACK_TIMEOUT_MS for a file that loses Slack's answers on purpose (a `lose-answer` fault): the
 * call times out and is retried after 2.5 s instead of production's 10 s. Only such files set it,
 * so a slow moment on a loaded machine elsewhere is not taken for a lost answer.
 */
export const LOST_ANSWER_MS = '2500';

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
  /**
   * Moves the bot's clock `ms` forward (on top of `clock`, when given) and makes every action due
   * by the moved clock run now: its delayed BullMQ job is promoted, and the worker runs it as
   * it would at its time. Resolves once promoted, not once run: `idle()` waits for that.
   * Works while the bot is stopped (the jobs wait for the restarted bot).
   */
  advance(ms: number): Promise<void>;
  /** The bot's clock now, every `advance` included (to sign a request the bot checks against its clock). */
  now(): Date;
  /**
   * Waits until the bot has nothing left to do now: no waiting, prioritized or active job, no
   * delayed job BullMQ itself holds due, and no pending row due by the bot's clock (all by
   * BullMQ's own counts and the rows), seen twice in a row. A row that fell due as the clock ran
   * on since the last `advance` is promoted, as `advance` would have. Throws after `timeoutMs`, naming what
   * is still busy. An absence check is "advance past the due time, idle, assert nothing came".
   */
  idle(timeoutMs?: number): Promise<void>;
  /** Stops the bot (not the fake Slack or the database) and starts it again, optionally with some settings changed (a new SLACK_BOT_TOKEN). */
  restart(changes?: Partial<Config>): Promise<void>;
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
  /** The scopes the fake Slack installs the bot with; default the manifest's. */
  slackScopes?: readonly string[];
  /** The fake Slack plays an Enterprise Grid org with these workspaces (the first is the default one). */
  slackOrg?: FakeSlackOptions['org'];
}

const GENEROUS: ActionLimit = { perUserPerHour: 10_000, perTeamPerHour: 10_000 };
const GENEROUS_LIMITS: ActionLimits = { declare: GENEROUS, escalate: GENEROUS, review: GENEROUS, override: GENEROUS };

/** Slack's rate limits x100 in the bot and the fake alike: tests post fast and are still paced and enforced. */
const HARNESS_RATE_SCALE = '100';

const silent = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/**
 * The real bot, in-process, on an ephemeral port, against a fake Slack over HTTP, a database
 * of this test file's own, and a BullMQ prefix of its own on the real Redis.
 */
export async function startHarness(fileUrl: string, opts: HarnessOptions = {}): Promise<Harness> {
  // The fake enforces the same scaled rate limits the bot paces itself to (SLACK_RATE_SCALE below).
  const rateScale = opts.env?.SLACK_RATE_SCALE ?? HARNESS_RATE_SCALE;
  const fake = await startFakeSlack({
    token: BOT_TOKEN,
    rateLimits: { scale: Number(rateScale) },
    ...(opts.slackScopes ? { scopes: opts.slackScopes } : {}),
    ...(opts.slackOrg ? { org: opts.slackOrg } : {}),
  });
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
    SLACK_RATE_SCALE: rateScale,
    ...seeded,
    ...opts.env,
  });
  let advancedMs = 0;
  const clock = () => new Date((opts.clock ? opts.clock().getTime() : Date.now()) + advancedMs);
  let actionQueue: Queue | undefined;
  const queue = () => (actionQueue ??= observeQueue(config));
  /** Pending rows due by the bot's clock (the embedded database is the bot's own: not readable here). */
  const dueRows = async () => {
    if (dataDir) throw new Error("advance() and idle() read the bot's rows: not with `embedded`");
    return database.db
      .select({ id: scheduledActions.id, kind: scheduledActions.kind, lastError: scheduledActions.lastError })
      .from(scheduledActions)
      .where(and(eq(scheduledActions.status, 'pending'), lte(scheduledActions.dueAt, clock())));
  };
  const start = (changes: Partial<Config> = {}) =>
    startMeridian(
      { ...config, ...changes },
      {
        logger: opts.logger ?? silent,
        meridian: { ...(opts.meridian ?? defaultMeridianConfig()), limits: opts.limits ?? GENEROUS_LIMITS },
        clock,
        reconcileEveryMs: opts.reconcileEveryMs ?? 60_000,
      },
    );
  /** Runs now what is due by the bot's clock: its delayed job is promoted (one waiting or running needs nothing; nor a retry's backoff). */
  const promoteDue = async (rows: ReadonlyArray<{ id: string }>) => {
    for (const row of rows) {
      const job = await queue().getJob(row.id);
      // A job waiting out a retry's backoff keeps it (the retry is not what moved); one BullMQ promoted meanwhile throws: harmless.
      if (job && job.attemptsMade === 0 && (await job.isDelayed())) await job.promote().catch(() => {});
    }
  };
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
    now: clock,
    async advance(ms) {
      if (!(ms >= 0)) throw new Error(`advance() moves time forward: got ${ms} ms`);
      advancedMs += ms;
      await promoteDue(await dueRows());
    },
    async idle(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      let quiet = 0;
      let busy = '';
      for (;;) {
        const counts = await queue().getJobCounts('waiting', 'prioritized', 'active', 'waiting-children');
        const [earliest] = await queue().getJobs(['delayed'], 0, 0, true);
        const due = await dueRows();
        // The bot's clock runs on between calls: a row that fell due since (a step planned just
        // under a wait ahead of the last advance) runs now, as it would at its time.
        await promoteDue(due);
        const parts = Object.entries(counts)
          .filter(([, n]) => n > 0)
          .map(([state, n]) => `${n} ${state}`);
        if (earliest && earliest.timestamp + (earliest.opts.delay ?? 0) <= Date.now()) parts.push(`delayed job ${earliest.name} due`);
        if (due.length > 0) {
          const errors = [...new Set(due.flatMap((r) => (r.lastError ? [r.lastError] : [])))];
          const failing = errors.length ? `; last errors: ${errors.join('; ')}` : '';
          parts.push(`${due.length} due pending rows (${[...new Set(due.map((r) => r.kind))].join(', ')}${failing})`);
        }
        busy = parts.join(', ');
        quiet = busy ? 0 : quiet + 1;
        if (quiet >= 2) return;
        if (Date.now() > deadline) throw new Error(`the bot was not idle after ${timeoutMs} ms: ${busy}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stopBot() {
      if (!stopped) await runtime.close();
      stopped = true;
    },
    async restart(changes) {
      await harness.stopBot();
      runtime = await start(changes);
      stopped = false;
      harness.runtime = runtime;
      harness.eventsUrl = `http://127.0.0.1:${runtime.port}/slack/events`;
    },
    async close() {
      await harness.stopBot();
      await actionQueue?.close();
      await database.drop();
      await flushPrefix(prefix);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      await fake.close();
    },
  };
  return harness;
}

/** The bot's action queue, opened on its Redis beside the bot, to read counts and promote jobs. */
function observeQueue(config: Config): Queue {
  const nodes = config.REDIS_CLUSTER_NODES ?? [];
  const connection = nodes.length > 0 ? new Cluster(nodes) : new Redis(config.REDIS_URL ?? '', { maxRetriesPerRequest: null });
  connection.on('error', () => {}); // a test that stops Redis sees it in its own checks
  const queue = new Queue(ACTION_QUEUE, { connection, prefix: config.QUEUE_PREFIX });
  queue.on('error', () => {});
  // A connection passed in is the caller's to close: BullMQ leaves it open.
  const close = queue.close.bind(queue);
  queue.close = async () => {
    await close();
    connection.disconnect();
  };
  return queue;
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
