import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnBot, type BotProcess } from './bot-process.js';
import { TEST_REDIS_URL } from './infra.js';
import { freePort } from './ports.js';
import { createTestDatabase, testQueuePrefix } from './test-database.js';

export interface SandboxProcess {
  url: string;
  bot: BotProcess;
  close(): Promise<void>;
}

/**
 * `npm start` as a newcomer runs it: no Slack variables at all, a fresh DATA_DIR. The test's own
 * Postgres database and Redis prefix stand in for the embedded ones, for speed.
 */
export async function startSandboxProcess(fileUrl: string, env: Record<string, string> = {}): Promise<SandboxProcess> {
  const database = await createTestDatabase(fileUrl);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'meridian-sandbox-'));
  const port = await freePort();
  const bot = spawnBot(
    {
      SLACK_BOT_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
      SLACK_APP_TOKEN: '',
      SLACK_API_URL: '',
      INCIDENT_FEED_CHANNEL: '',
      INTAKE_CHANNEL: '',
      MERIDIAN_CONFIG: '',
      DATA_DIR: dataDir,
      PORT: String(port),
      DATABASE_URL: database.url,
      // Asked for: with a DATABASE_URL set the sandbox starts only when SANDBOX=1 says so.
      SANDBOX: '1',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: testQueuePrefix(fileUrl),
      LOG_LEVEL: 'info',
      ...env,
    },
    { readyTimeoutMs: 30_000 },
  );
  await bot.ready;
  const deadline = Date.now() + 10_000;
  while (!bot.output().includes('No Slack credentials: the sandbox is at')) {
    if (Date.now() > deadline) throw new Error(`the sandbox did not say where it is:\n${bot.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://localhost:${port}`,
    bot,
    async close() {
      await bot.kill('SIGTERM');
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
