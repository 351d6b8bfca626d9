import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schedules } from '../../src/db/schema/index.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { spawnBot } from '../support/bot-process.js';
import { TEST_REDIS_URL } from '../support/infra.js';
import { BOT_TOKEN, flushPrefix, SIGNING_SECRET } from '../support/meridian-harness.js';
import { createTestDatabase, testQueuePrefix } from '../support/test-database.js';

let fake: FakeSlack;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dir: string;
const prefix = testQueuePrefix(import.meta.url);

beforeAll(async () => {
  fake = await startFakeSlack({ token: BOT_TOKEN });
  database = await createTestDatabase(import.meta.url);
  dir = mkdtempSync(path.join(tmpdir(), 'meridian-main-'));
});
afterAll(async () => {
  await database?.drop();
  await fake?.close();
  await flushPrefix(prefix);
  rmSync(dir, { recursive: true, force: true });
});

const env = (config: string) => ({
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: fake.url,
  DATABASE_URL: database.url,
  REDIS_URL: TEST_REDIS_URL,
  QUEUE_PREFIX: prefix,
  PORT: '0',
  MERIDIAN_CONFIG: config,
});

describe('the real entry point', () => {
  it('when the config file is valid it is synced; when it later turns invalid, the start stops with every error and the synced data stays', async () => {
    const good = path.join(dir, 'good.yaml');
    writeFileSync(
      good,
      'schedules:\n  - id: tns\n    layers:\n      - name: EMEA\n        timezone: Europe/Dublin\n        coverage: { days: [mon], from: "09:00", to: "18:00" }\n        rotation: { members: [U0DUA0001], every: 1 week, handoff: "09:00", starts: 2026-01-05 }\n',
    );
    const first = spawnBot(env(good));
    await first.ready;
    await first.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('"msg":"stopped"');
    const before = await database.db.select().from(schedules);
    expect(before.map((s) => s.id)).toEqual(['tns']);

    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'schedules:\n  - id: other\n    layers:\n      - name: X\n        timezone: Mars/Olympus\n        coverage: { days: [mon], from: "09:00", to: "18:00" }\n        rotation: { members: [U0A], every: 1 fortnight, handoff: "9am", starts: 2026-01-05 }\n',
    );
    const second = spawnBot(env(bad));
    expect(await second.exited).toBe(78);
    const output = second.output();
    expect(output).toContain('schedules[0].layers[0].timezone');
    expect(output).toContain('schedules[0].layers[0].rotation.handoff: expected HH:MM');
    expect(output).toContain('schedules[0].layers[0].rotation.every');
    expect(await database.db.select().from(schedules)).toEqual(before);
  }, 40_000);

  it('when a worker or a bot starts without MERIDIAN_CONFIG, or with a file that has no schedules, then the synced schedules stay and the output says why', async () => {
    const good = path.join(dir, 'keep.yaml');
    writeFileSync(
      good,
      'schedules:\n  - id: tns\n    layers:\n      - name: EMEA\n        timezone: Europe/Dublin\n        coverage: { days: [mon], from: "09:00", to: "18:00" }\n        rotation: { members: [U0DUA0001], every: 1 week, handoff: "09:00", starts: 2026-01-05 }\n',
    );
    const synced = spawnBot(env(good));
    await synced.ready;
    await synced.kill('SIGTERM');
    const ids = async () => (await database.db.select().from(schedules)).map((s) => s.id);
    expect(await ids()).toEqual(['tns']);

    // `npm run worker` with no config: it never syncs, and says so.
    const worker = spawnBot(env(''), { args: ['--worker'] });
    await worker.ready;
    await worker.kill('SIGTERM');
    expect(worker.output()).toContain('config NOT synced into Postgres');
    expect(await ids()).toEqual(['tns']);

    // `npm start` with no config: nothing to sync from, so nothing is removed.
    const bot = spawnBot(env(''));
    await bot.ready;
    await bot.kill('SIGTERM');
    expect(bot.output()).toContain('MERIDIAN_CONFIG is unset');
    expect(await ids()).toEqual(['tns']);

    // A file with no schedules would remove them all: refused unless asked for.
    const empty = path.join(dir, 'empty.yaml');
    writeFileSync(empty, 'admins: [U0ADMIN001]\n');
    const refused = spawnBot(env(empty));
    expect(await refused.exited).toBe(78);
    expect(refused.output()).toContain('would remove all 1 schedule(s)');
    expect(refused.output()).toContain('MERIDIAN_CONFIG_ALLOW_EMPTY=yes');
    expect(await ids()).toEqual(['tns']);

    const allowed = spawnBot({ ...env(empty), MERIDIAN_CONFIG_ALLOW_EMPTY: 'yes' });
    await allowed.ready;
    await allowed.kill('SIGTERM');
    expect(allowed.output()).toContain('CONFIG SYNC REMOVED EVERY SCHEDULE');
    expect(await ids()).toEqual([]);
  }, 90_000);

  it('when the environment is wrong, the start stops naming the variable', async () => {
    const bot = spawnBot({ SLACK_BOT_TOKEN: 'not-a-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, DATABASE_URL: database.url });
    expect(await bot.exited).toBe(78);
    expect(bot.output()).toContain('SLACK_BOT_TOKEN: expected a bot token starting with xoxb-');
    expect(bot.output()).not.toContain(SIGNING_SECRET);
  });
});
