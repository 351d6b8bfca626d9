import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
      // The test's Postgres stands in for the embedded one: with a DATABASE_URL the sandbox is asked for.
      SANDBOX: '1',
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

describe('cp .env.example .env && npm start', () => {
  const copiedInto = (name: string) => {
    const into = path.join(dir, name);
    mkdirSync(into);
    copyFileSync(path.resolve(import.meta.dirname, '../../.env.example'), path.join(into, '.env'));
    return into;
  };

  it('when the Slack variables are still the placeholders, then the sandbox starts and the output says they were ignored and what to set', async () => {
    const cwd = copiedInto('copied');
    const sandboxPort = await freePort();
    const copied = spawnBot(
      {
        PORT: String(sandboxPort),
        DATA_DIR: path.join(cwd, 'data'),
        DATABASE_URL: database.url,
        SANDBOX: '1',
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
      },
      { cwd, readyTimeoutMs: 60_000 },
    );
    try {
      await copied.ready;
      await expect.poll(() => copied.output(), { timeout: 30_000 }).toContain(`the sandbox is at http://localhost:${sandboxPort}/`);
      expect(copied.output()).toContain('SLACK_BOT_TOKEN is still the placeholder from .env.example (xoxb-your-bot-token); ignored.');
      expect(copied.output()).toContain('SLACK_SIGNING_SECRET is still the placeholder from .env.example');
      expect(copied.output()).not.toContain('    at ');
    } finally {
      await copied.kill('SIGTERM');
    }
  }, 90_000);

  it('when a DATABASE_URL is set and SANDBOX is not, then the start stops and says to set the Slack variables or SANDBOX=1', async () => {
    const cwd = copiedInto('production');
    const refused = spawnBot({ DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix }, { cwd });
    expect(await refused.exited).toBe(78);
    expect(refused.output()).toContain('SLACK_BOT_TOKEN is the .env.example placeholder');
    expect(refused.output()).toContain('DATABASE_URL is set');
    expect(refused.output()).toContain('set SANDBOX=1 to start the sandbox anyway');
    expect(refused.output()).not.toContain(database.url);
  }, 60_000);
});
