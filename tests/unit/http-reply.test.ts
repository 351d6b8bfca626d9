import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAllowed, reply, replyStream } from '../../src/http/reply.js';

const TOKEN = 'export-token-0123456789';
let server: Server;
let base: string;

beforeAll(async () => {
  // /on is behind TOKEN, /off has no token configured, /json answers an object.
  server = createServer((req, res) => {
    if (req.url === '/json') return reply(res, 429, { error: 'rate_limited' }, { 'retry-after': '7' });
    if (req.url === '/stream' || req.url === '/broken') {
      const broken = req.url === '/broken';
      async function* pieces() {
        yield 'a,b\r\n';
        if (broken) throw new Error('the database went away');
        yield '"1","2"\r\n';
      }
      return void replyStream(res, 200, pieces(), { 'content-type': 'text/csv' }).catch(() => {});
    }
    const token = req.url === '/on' ? TOKEN : undefined;
    if (!bearerAllowed(req, res, token, 'This route is off: set ITS_TOKEN.\n')) return;
    reply(res, 200, 'in\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const get = async (path: string, authorization?: string) => {
  const res = await fetch(`${base}${path}`, authorization ? { headers: { authorization } } : {});
  return { status: res.status, type: res.headers.get('content-type'), auth: res.headers.get('www-authenticate'), body: await res.text() };
};

describe('bearerAllowed', () => {
  it('when no token is configured, then the route answers 404 with its own message, whatever is sent', async () => {
    expect(await get('/off', `Bearer ${TOKEN}`)).toMatchObject({ status: 404, body: 'This route is off: set ITS_TOKEN.\n' });
  });

  it('when the token is missing, wrong, of the same length or not a bearer, then 401 asking for a bearer token', async () => {
    const sameLength = `Bearer ${'x'.repeat(TOKEN.length)}`;
    for (const authorization of [undefined, 'Bearer nope', sameLength, `Basic ${TOKEN}`, TOKEN]) {
      expect(await get('/on', authorization)).toEqual({
        status: 401,
        type: 'text/plain; charset=utf-8',
        auth: 'Bearer',
        body: 'A valid bearer token is required.\n',
      });
    }
  });

  it('when the token is right, then the route goes on', async () => {
    expect(await get('/on', `Bearer ${TOKEN}`)).toMatchObject({ status: 200, body: 'in\n' });
  });
});

describe('reply', () => {
  it('when the body is an object, then it is sent as JSON with the extra headers', async () => {
    const res = await fetch(`${base}/json`);
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toEqual({ error: 'rate_limited' });
  });
});

describe('replyStream', () => {
  it('when the pieces come, then they are sent one after another with the status and headers', async () => {
    const res = await fetch(`${base}/stream`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv');
    expect(await res.text()).toBe('a,b\r\n"1","2"\r\n');
  });

  it('when a piece fails after the first, then the response is cut short: the client gets an error, not a partial file that looks whole', async () => {
    const res = await fetch(`${base}/broken`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });
});

describe('the routes under src/http', () => {
  it('when their files are read, then none answers by hand: every status goes through reply (and every token check through bearerAllowed)', () => {
    const dir = new URL('../../src/http/', import.meta.url);
    const routes = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'reply.ts');
    expect(routes.length).toBeGreaterThanOrEqual(4);
    const byHand = routes.filter((f) =>
      /\.writeHead\s*\(|\.statusCode\s*=|headers\.authorization/.test(readFileSync(new URL(f, dir), 'utf8')),
    );
    expect(byHand).toEqual([]);
  });
});
