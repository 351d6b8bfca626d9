import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq, ne } from 'drizzle-orm';
import { Cluster, Redis } from 'ioredis';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import { incidents, pages, scheduledActions } from '../../src/db/schema/index.js';
import type { RecordedCall } from '../fakes/fake-slack.js';
import { spawnBot, type BotProcess } from '../support/bot-process.js';
import { redisAnswers, redisEnvOf } from '../support/infra.js';
import { startRedisCluster } from '../support/redis-cluster.js';
import { BOT_TOKEN, declareState, eventually, SIGNING_SECRET, type Harness } from '../support/meridian-harness.js';
import { freePort } from '../support/ports.js';

/** One person per step, so a DM to a person names the step that paged them. */
export const STEP_USERS = ['U0DURA001', 'U0DURB001', 'U0DURC001'] as const;

/**
 * Three steps, one person each, 1.2 s apart, no repeat: declaring pages A at once, B 1.2 s
 * later, C 2.4 s later, then the escalation ends (no schedules: nothing else posts DMs).
 * `firstWaitMinutes` stretches the wait between A and B.
 */
export function durabilityYaml(opts: { firstWaitMinutes?: number } = {}): string {
  return `
admins: [U0ADMIN001]
escalation_policies:
  - id: chain
    steps:
      - notify: [{ user: ${STEP_USERS[0]} }]
        wait_minutes: ${opts.firstWaitMinutes ?? 0.02}
      - notify: [{ user: ${STEP_USERS[1]} }]
        wait_minutes: 0.02
      - notify: [{ user: ${STEP_USERS[2]} }]
        wait_minutes: 0.02
    repeat: 0
severities:
  sev1: { label: "SEV1 Critical", policy: chain }
  sev2: { label: "SEV2 Major" }
  sev3: { label: "SEV3 Minor" }
  sev4: { label: "SEV4 Low" }
`;
}

export function durabilityConfig(opts: { firstWaitMinutes?: number } = {}): MeridianConfig {
  const yaml = durabilityYaml(opts);
  const parsed = parseMeridianConfig(yaml, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

export function addStepUsers(h: Harness): void {
  for (const id of [...STEP_USERS, 'U0ADMIN001']) h.fake.addUser({ id, name: id.toLowerCase(), tz: 'UTC' });
}

let seq = 0;
/** Declares a SEV1 through the modal, as Slack would; returns the row once the submission is answered. */
export async function declare(h: Harness, title: string, eventsUrl?: string) {
  seq += 1;
  const saved = h.eventsUrl;
  if (eventsUrl) h.eventsUrl = eventsUrl;
  try {
    const reply = await h.submitView({
      id: `V0DUR${process.pid}${String(seq).padStart(4, '0')}`,
      callback_id: 'declare_incident',
      state: declareState({ title, severity: 'sev1', category: 'harmful-trend' }),
    });
    if (reply.status !== 200) throw new Error(`declaration answered ${reply.status}: ${reply.text}`);
  } finally {
    h.eventsUrl = saved;
  }
  return eventually(
    async () => (await h.db.select().from(incidents).where(eq(incidents.title, title)))[0],
    `incident "${title}" to be recorded`,
  );
}

/** A page DM (it has the Acknowledge button) that Slack accepted, for an incident. */
export function isPageDm(call: RecordedCall, incident: { number: number }, userId?: string): boolean {
  return (
    call.method === 'chat.postMessage' &&
    call.status === 200 &&
    (call.response as { ok?: boolean } | undefined)?.ok === true &&
    (userId === undefined || call.args.channel === userId) &&
    JSON.stringify(call.args.blocks ?? '').includes('page_ack') &&
    String(call.args.text).includes(`INC-${incident.number} `)
  );
}

export const dmsTo = (h: Harness, userId: string, incident: { number: number }) =>
  h.fake.callsTo('chat.postMessage').filter((c) => isPageDm(c, incident, userId));

/** Page rows of an incident as `step:user` strings, sorted. */
export async function pageKeys(h: Harness, incidentId: string): Promise<string[]> {
  const rows = await h.db.select().from(pages).where(eq(pages.incidentId, incidentId));
  return rows.map((p) => `${p.stepNumber}:${p.userId}`).sort();
}

export const ALL_STEPS = STEP_USERS.map((u, i) => `${i}:${u}`);

/** Every step's person got exactly one delivered page DM for this incident, and one page row each. */
export async function expectEachStepOnce(h: Harness, incident: { id: string; number: number }): Promise<{ dms: number[]; rows: string[] }> {
  return { dms: STEP_USERS.map((u) => dmsTo(h, u, incident).length), rows: await pageKeys(h, incident.id) };
}

/** A Prometheus counter's value (summed over labels) from GET /metrics. */
export async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/**
 * A redis-server of this test file's own, without persistence: stopping it loses every job,
 * which is what "Redis restarted" or "flushed" means. The shared Redis on 6379 is used by
 * other test files running in parallel, so it is never flushed or stopped here.
 */
export interface PrivateRedis {
  /** What the bot is started with to use it (REDIS_URL, or REDIS_CLUSTER_NODES). */
  env: Record<string, string>;
  /** Stops the server (SIGKILL: nothing is saved) and waits until it is gone. */
  stop(): Promise<void>;
  /** Starts it again, empty, on the same port. */
  start(): Promise<void>;
  flushAll(): Promise<void>;
  /** Keys of a BullMQ job (its hash), to check what Redis holds. */
  client(): Redis | Cluster;
}

/**
 * The same for the `cluster` project: a 3-master Redis Cluster of this file's own (the shared
 * test cluster is used by other files in parallel). Stopping it kills every node and deletes its
 * files; starting it creates an empty cluster on the same ports, which the bot reconnects to.
 */
export async function startPrivateRedisCluster(): Promise<PrivateRedis> {
  const cluster = await startRedisCluster();
  let admin: Cluster | undefined;
  const self: PrivateRedis = {
    env: { REDIS_URL: '', REDIS_CLUSTER_NODES: cluster.nodes },
    async stop() {
      admin?.disconnect();
      admin = undefined;
      await cluster.kill();
    },
    start: () => cluster.restart(),
    async flushAll() {
      const client = self.client() as Cluster;
      await eventually(() => client.status === 'ready', 'the cluster client', 5000);
      await Promise.all(client.nodes('master').map((node) => node.flushall()));
    },
    client() {
      admin ??= new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
      admin.on('error', () => {});
      return admin;
    },
  };
  return self;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const ping = () => redisAnswers(url, 500);

  let admin: Redis | undefined;
  const self: PrivateRedis = {
    env: { REDIS_URL: url },
    async start() {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
        {
          stdio: 'ignore',
        },
      );
      await eventually(ping, `redis-server on ${port}`, 5000);
    },
    async stop() {
      admin?.disconnect();
      admin = undefined;
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await gone;
    },
    async flushAll() {
      await self.client().flushall();
    },
    client() {
      admin ??= new Redis(url, { maxRetriesPerRequest: 1 });
      admin.on('error', () => {});
      return admin;
    },
  };
  await self.start();
  return self;
}

/** An incident's pending actions, without the status-update reminder (hours away, never under test here). */
export const pendingStepsOf = (h: Harness, incidentId: string) =>
  h.db
    .select()
    .from(scheduledActions)
    .where(
      and(
        eq(scheduledActions.incidentId, incidentId),
        eq(scheduledActions.status, 'pending'),
        ne(scheduledActions.kind, 'update-reminder'),
      ),
    );

/**
 * The real entry point, src/main.ts, in a child process on the harness's Postgres, Redis, queue
 * prefix and fake Slack, with the durability config written into `dir`; `env` adds or overrides.
 */
export function spawnDurabilityBot(h: Harness, dir: string, env: Record<string, string> = {}): BotProcess {
  const configPath = path.join(dir, 'meridian.yaml');
  writeFileSync(configPath, durabilityYaml());
  return spawnBot({
    DATABASE_URL: h.config.DATABASE_URL ?? '',
    ...redisEnvOf(h.config),
    QUEUE_PREFIX: h.config.QUEUE_PREFIX,
    SLACK_API_URL: h.fake.url,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    INCIDENT_FEED_CHANNEL: h.feedChannelId,
    PORT: '0',
    MERIDIAN_CONFIG: configPath,
    RECONCILE_EVERY_MS: '60000',
    ...env,
  });
}
