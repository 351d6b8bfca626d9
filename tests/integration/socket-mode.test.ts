import { createHash } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FAKE_USERS, startFakeSlack, type FakeSlack, TEAM_ID } from '../fakes/fake-slack.js';
import { spawnBot, type BotProcess } from '../support/bot-process.js';
import { TEST_REDIS_URL } from '../support/infra.js';
import { BOT_TOKEN, flushPrefix, SIGNING_SECRET } from '../support/meridian-harness.js';
import { createTestDatabase, testQueuePrefix } from '../support/test-database.js';

/**
 * Slack's side of Socket Mode, as small as the bot needs: `apps.connections.open` answers this
 * server's websocket URL (every other Web API call goes on to the fake Slack), and the websocket
 * (RFC 6455 text frames, by hand: @slack/socket-mode 3 connects with undici, and no websocket
 * server package is installed) says hello, then carries envelopes both ways.
 */
class SocketModeSlack {
  readonly received: Record<string, unknown>[] = [];
  private socket: Duplex | undefined;
  private waiters: (() => void)[] = [];
  private constructor(
    private readonly server: Server,
    readonly apiUrl: string,
  ) {}

  static async start(fake: FakeSlack): Promise<SocketModeSlack> {
    const server = createServer((req, res) => {
      if (req.url === '/api/apps.connections.open') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/` }));
        return;
      }
      const target = new URL(req.url!.replace(/^\/api\//, ''), fake.url);
      const upstream = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const slack = new SocketModeSlack(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`);
    server.on('upgrade', (req, socket) => slack.accept(req.headers['sec-websocket-key'] as string, socket));
    return slack;
  }

  private accept(key: string, socket: Duplex): void {
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    this.socket = socket;
    let buffer = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const frame = readClientFrame(buffer);
        if (!frame) break;
        buffer = buffer.subarray(frame.length);
        if (frame.opcode === 0x1) this.received.push(JSON.parse(frame.payload.toString('utf8')) as Record<string, unknown>);
        if (frame.opcode === 0x9) socket.write(serverFrame(0xa, frame.payload));
        if (frame.opcode === 0x8) socket.end(serverFrame(0x8, frame.payload));
        for (const wake of this.waiters.splice(0)) wake();
      }
    });
    this.send({
      type: 'hello',
      num_connections: 1,
      debug_info: { host: 'socket-mode-test', approximate_connection_time: 18060 },
      connection_info: { app_id: 'A0TEST' },
    });
  }

  send(message: Record<string, unknown>): void {
    this.socket!.write(serverFrame(0x1, Buffer.from(JSON.stringify(message))));
  }

  /** Resolves with the first message from the bot that `match` accepts. */
  async reply(match: (m: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such reply; received ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function serverFrame(opcode: number, payload: Buffer): Buffer {
  const head =
    payload.length < 126
      ? Buffer.from([0x80 | opcode, payload.length])
      : payload.length < 65_536
        ? Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(payload.length)]);
  return Buffer.concat([head, payload]);
}

function bigLength(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** One whole frame from the client (always masked), or undefined until it has all arrived. */
function readClientFrame(buf: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (buf.length < 2) return undefined;
  const opcode = buf[0]! & 0x0f;
  let length = buf[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buf.length < 4) return undefined;
    length = buf.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buf.length < 10) return undefined;
    length = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (buf[1]! & 0x80) !== 0;
  const mask = masked ? buf.subarray(offset, offset + 4) : undefined;
  if (masked) offset += 4;
  if (buf.length < offset + length) return undefined;
  const payload = Buffer.from(buf.subarray(offset, offset + length));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
  return { opcode, payload, length: offset + length };
}

let fake: FakeSlack;
let slack: SocketModeSlack;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let bot: BotProcess;
const prefix = testQueuePrefix(import.meta.url);

beforeAll(async () => {
  fake = await startFakeSlack({ token: BOT_TOKEN });
  slack = await SocketModeSlack.start(fake);
  database = await createTestDatabase(import.meta.url);
  bot = spawnBot(
    {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_APP_TOKEN: 'xapp-1-A0TEST-1-socketmodetest',
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      PORT: '0',
      MERIDIAN_CONFIG: '',
    },
    { readyTimeoutMs: 60_000 },
  );
  await bot.ready;
}, 90_000);
afterAll(async () => {
  await bot?.kill('SIGTERM');
  await slack?.close();
  await fake?.close();
  await database?.drop();
  await flushPrefix(prefix);
});

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('when someone types /incident help, the answer is the ack of the envelope over the websocket', async () => {
    const user = DEFAULT_FAKE_USERS[0]!.id;
    slack.send({
      envelope_id: 'env-help-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'legacy-verification-token',
        team_id: TEAM_ID,
        team_domain: 'meridian-test',
        channel_id: 'C0GENERAL1',
        channel_name: 'general',
        user_id: user,
        user_name: 'someone',
        command: '/incident',
        text: 'help',
        api_app_id: 'A0TEST',
        is_enterprise_install: 'false',
        response_url: `${slack.apiUrl}respond`,
        trigger_id: '1000.2000.socketmodetest',
      },
    });
    const ack = await slack.reply((m) => m['envelope_id'] === 'env-help-1');
    const payload = ack['payload'] as { response_type?: string; text?: string };
    expect(payload.response_type).toBe('ephemeral');
    expect(payload.text).toContain('Here is what I can do:');
    expect(payload.text).toContain('`/incident list`');
    expect(bot.output()).toContain('Meridian is running');
  }, 30_000);
});
