/**
 * Issue 20 item 1: the sandbox page answers only on loopback and its own names, takes only
 * same-origin JSON on its POST routes, and renders only http(s)/mailto URLs. Over real HTTP
 * against the sandbox process.
 */
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushPrefix } from '../support/meridian-harness.js';
import { startSandboxProcess, type SandboxProcess } from '../support/sandbox-process.js';
import { testQueuePrefix } from '../support/test-database.js';

let sandbox: SandboxProcess;
const MEI = 'U0LEAD0001';

beforeAll(async () => {
  sandbox = await startSandboxProcess(import.meta.url);
}, 90_000);
afterAll(async () => {
  await sandbox?.close();
  await flushPrefix(testQueuePrefix(import.meta.url));
});

const port = () => Number(new URL(sandbox.url).port);

/** A raw request, so the Host header is ours to choose (fetch may not set it). */
function raw(opts: { host?: string; address?: string; method?: string; path: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      {
        host: opts.address ?? '127.0.0.1',
        port: port(),
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: { ...opts.headers, ...(opts.host ? { host: opts.host } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const generalOf = async () => /data-at="([^"]+)"/.exec(await (await fetch(`${sandbox.url}/?as=${MEI}`)).text())![1]!;
const mainOf = async (at: string) =>
  ((await (await fetch(`${sandbox.url}/sandbox/fragments?as=${MEI}&at=${encodeURIComponent(at)}`)).json()) as { main: string }).main;

describe('the sandbox page guards (issue 20, item 1)', () => {
  it('when a request names another Host (DNS rebinding), then it is refused and shows nothing', async () => {
    const rebound = await raw({ host: `attacker.example:${port()}`, path: `/?as=${MEI}` });
    expect(rebound.status).toBe(421);
    expect(rebound.text).not.toContain('data-at');
    expect((await raw({ host: `localhost:${port()}`, path: `/?as=${MEI}` })).status).toBe(200);
  });

  it('when another machine connects, then nothing answers: the page listens on loopback only', async () => {
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!outside) return; // no other interface on this machine
    await expect(raw({ address: outside, path: '/' })).rejects.toThrow();
  });

  it('when a page on another origin posts a slash command (no-cors text/plain, or JSON with its Origin), then it is refused and nothing runs', async () => {
    const at = await generalOf();
    const body = JSON.stringify({ as: MEI, at, text: '/incident declare Planted by another site' });
    const noCors = await raw({
      method: 'POST',
      path: '/sandbox/message',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'http://evil.example', host: `127.0.0.1:${port()}` },
      body,
    });
    expect(noCors.status).toBe(415);
    const crossOrigin = await raw({
      method: 'POST',
      path: '/sandbox/message',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example', host: `127.0.0.1:${port()}` },
      body,
    });
    expect(crossOrigin.status).toBe(403);
    expect(await mainOf(at)).not.toContain('Planted by another site');
  });
});
