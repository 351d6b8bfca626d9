import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { escalations } from '../../src/db/schema/index.js';
import { spawnBot, type BotProcess } from '../support/bot-process.js';
import { redisEnvOf } from '../support/infra.js';
import { BOT_TOKEN, eventually, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';
import { ALL_STEPS, addStepUsers, declare, durabilityConfig, durabilityYaml, expectEachStepOnce, metric } from './support.js';

/**
 * `npm start` (the edge and the workers, in-process here) beside `npm run worker` (a separate
 * child process: workers and the reconciler, no Slack edge) on one Postgres and Redis: both run
 * steps, and every person is paged once per step.
 */
let h: Harness;
let worker: BotProcess | undefined;
let dir: string;

beforeAll(async () => {
  h = await startHarness(import.meta.url, { meridian: durabilityConfig(), env: { JOB_LOCK_MS: '2000' }, reconcileEveryMs: 1000 });
  addStepUsers(h);
  dir = mkdtempSync(path.join(tmpdir(), 'meridian-worker-'));
  const configPath = path.join(dir, 'meridian.yaml');
  writeFileSync(configPath, durabilityYaml());
  worker = spawnBot(
    {
      DATABASE_URL: h.config.DATABASE_URL!,
      ...redisEnvOf(h.config),
      QUEUE_PREFIX: h.config.QUEUE_PREFIX,
      SLACK_API_URL: h.fake.url,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      INCIDENT_FEED_CHANNEL: h.feedChannelId,
      PORT: '0',
      MERIDIAN_CONFIG: configPath,
      JOB_LOCK_MS: '2000',
      RECONCILE_EVERY_MS: '1000',
    },
    { args: ['--worker'] },
  );
  await worker.ready;
}, 30_000);
afterAll(async () => {
  await worker?.kill('SIGTERM');
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a worker-only process beside the bot', () => {
  it('serves /healthz and /metrics but not Slack', async () => {
    const port = await worker!.ready;
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'up', redis: 'up' });
    expect((await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('when incidents are declared on the bot, then both processes run steps and every step pages each person once', async () => {
    const declared = [];
    for (let n = 0; n < 8; n += 1) declared.push(await declare(h, `Worker-shared escalation ${n}`));
    for (const incident of declared) {
      await eventually(
        async () => (await h.db.select().from(escalations).where(eq(escalations.incidentId, incident.id)))[0]?.status === 'exhausted',
        `the escalation of INC-${incident.number} to end`,
        15_000,
      );
    }
    // Until the bot is idle (no job waiting, running or due, no due row: a stalled or re-added job
    // would show), then the count: nothing more can be sent.
    await h.idle();
    for (const incident of declared) {
      expect(await expectEachStepOnce(h, incident), `INC-${incident.number}`).toEqual({ dms: [1, 1, 1], rows: ALL_STEPS });
    }
    const ranByWorker = await metric(await worker!.ready, 'meridian_scheduled_actions_total');
    const ranByBot = await metric(h.runtime.port, 'meridian_scheduled_actions_total');
    expect(ranByWorker, worker!.output()).toBeGreaterThan(0);
    expect(ranByBot).toBeGreaterThan(0);
  }, 60_000);
});
