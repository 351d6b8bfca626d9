import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnBot, type BotProcess } from '../support/bot-process.js';
import { TEST_REDIS_URL } from '../support/infra.js';
import { flushPrefix } from '../support/meridian-harness.js';
import { freePort } from '../support/ports.js';
import { createTestDatabase, testQueuePrefix } from '../support/test-database.js';

let dir: string;
let port: number;
let bot: BotProcess;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const prefix = testQueuePrefix(import.meta.url);

beforeAll(async () => {
  database = await createTestDatabase(import.meta.url);
  dir = mkdtempSync(path.join(tmpdir(), 'meridian-dotenv-'));
  port = await freePort();
  // `cp .env.example .env`, then edit it: the port is only in the file.
  writeFileSync(path.join(dir, '.env'), `# written by the test\nPORT=${port}\nDATA_DIR=${path.join(dir, 'data')}\n`);
  delete process.env['PORT']; // a variable already set wins over the file; the child must not inherit one
  bot = spawnBot(
    {
      SLACK_BOT_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
      SLACK_API_URL: '',
      INCIDENT_FEED_CHANNEL: '',
      INTAKE_CHANNEL: '',
      MERIDIAN_CONFIG: '',
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
    },
    { cwd: dir, readyTimeoutMs: 60_000 },
  );
  await bot.ready;
}, 90_000);
afterAll(async () => {
  await bot?.kill('SIGTERM');
  await database?.drop();
  await flushPrefix(prefix);
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start in a directory with a .env', () => {
  it('then the PORT in the file is where the sandbox listens', async () => {
    await expect.poll(() => bot.output(), { timeout: 30_000 }).toContain(`the sandbox is at http://localhost:${port}/`);
    const res = await fetch(`http://localhost:${port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Acting as');
  });
});
