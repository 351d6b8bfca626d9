import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushPrefix } from '../support/meridian-harness.js';
import { startSandboxProcess, type SandboxProcess } from '../support/sandbox-process.js';
import { testQueuePrefix } from '../support/test-database.js';

let sandbox: SandboxProcess;

beforeAll(async () => {
  sandbox = await startSandboxProcess(import.meta.url);
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
  await flushPrefix(testQueuePrefix(import.meta.url));
});

describe('a newcomer runs npm start with no Slack variables', () => {
  it('then one line says where the sandbox is, and the page there has the composer', async () => {
    const port = new URL(sandbox.url).port;
    expect(sandbox.bot.output()).toContain(
      `No Slack credentials: the sandbox is at http://localhost:${port}/ (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to connect to Slack)`,
    );
    const res = await fetch(`${sandbox.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<textarea name="text" aria-label="Message"');
    expect(html).toContain('Acting as');
  });

  it('then the bot answers its own routes through the same port', async () => {
    const health = await fetch(`${sandbox.url}/healthz`);
    expect(health.status).toBe(200);
    const unsigned = await fetch(`${sandbox.url}/slack/events`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(401);
  });
});
