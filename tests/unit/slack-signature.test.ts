import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isValidSlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockActionBody,
  eventBody,
  sendToSlackEndpoint,
  signSlackRequest,
  slashCommandBody,
  viewSubmissionBody,
} from '../support/slack-requests.js';

const SECRET = 'test-signing-secret';
const NOW = new Date('2026-03-29T00:30:00Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

/** Checks a signature with Bolt's own verifier, the code that guards our endpoint. */
function boltAccepts(
  body: string,
  headers: { 'x-slack-signature': string; 'x-slack-request-timestamp': string },
  secret = SECRET,
): boolean {
  return isValidSlackRequest({
    signingSecret: secret,
    body,
    headers: {
      'x-slack-signature': headers['x-slack-signature'],
      'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
    },
    nowMilliseconds: NOW.getTime(),
  });
}

/** The two signature headers as a server received them ('' when absent). */
function signatureHeaders(headers: IncomingHttpHeaders): { 'x-slack-signature': string; 'x-slack-request-timestamp': string } {
  return {
    'x-slack-signature': String(headers['x-slack-signature'] ?? ''),
    'x-slack-request-timestamp': String(headers['x-slack-request-timestamp'] ?? ''),
  };
}

function payloadOf(body: string): Record<string, unknown> {
  return JSON.parse(new URLSearchParams(body).get('payload') ?? 'null') as Record<string, unknown>;
}

describe('signSlackRequest', () => {
  it('matches the worked example in Slack’s documentation', () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
      '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
      '%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';

    const headers = signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body);

    expect(headers).toEqual({
      'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      'x-slack-request-timestamp': '1531420618',
    });
  });

  it('produces signatures Bolt accepts for every kind of body, and Bolt rejects them with another secret', () => {
    const bodies = [
      slashCommandBody({ command: '/incident', text: 'declare', userId: 'U0DECL001', channelId: 'C1', triggerId: 't.1' }),
      viewSubmissionBody({ userId: 'U0DECL001', view: { id: 'V1', callback_id: 'declare', state: { values: {} } } }),
      blockActionBody({ userId: 'U0RESP001', actionId: 'ack', value: 'page-1', triggerId: 't.2', channelId: 'D1', messageTs: '1.2' }),
      eventBody({ eventId: 'Ev1', event: { type: 'app_home_opened', user: 'U0DECL001' } }),
    ];

    for (const body of bodies) {
      const headers = signSlackRequest(SECRET, NOW_SECONDS, body);
      expect(boltAccepts(body, headers)).toBe(true);
      expect(boltAccepts(body, headers, 'another-secret')).toBe(false);
    }
  });

  it('a signature more than five minutes old is refused by Bolt', () => {
    const body = eventBody({ eventId: 'Ev2', event: { type: 'app_mention' } });

    expect(boltAccepts(body, signSlackRequest(SECRET, NOW_SECONDS - 6 * 60, body))).toBe(false);
  });
});

describe('request builders', () => {
  it('a slash command is form-encoded with the fields Slack sends', () => {
    const body = slashCommandBody({
      command: '/incident',
      text: 'declare Harmful challenge & more',
      userId: 'U0DECL001',
      channelId: 'C0FEED',
      triggerId: 'trig-1',
    });

    expect(Object.fromEntries(new URLSearchParams(body))).toMatchObject({
      command: '/incident',
      text: 'declare Harmful challenge & more',
      user_id: 'U0DECL001',
      channel_id: 'C0FEED',
      trigger_id: 'trig-1',
      team_id: 'T0MERIDIAN',
    });
  });

  it('a view submission carries the view state, callback id and private metadata', () => {
    const values = { title: { title_input: { type: 'plain_text_input', value: 'Trend X' } } };

    const payload = payloadOf(
      viewSubmissionBody({
        userId: 'U0DECL001',
        view: { id: 'V9', callback_id: 'declare', private_metadata: '{"c":"C1"}', state: { values } },
      }),
    );

    expect(payload).toMatchObject({
      type: 'view_submission',
      user: { id: 'U0DECL001' },
      team: { id: 'T0MERIDIAN' },
      view: { id: 'V9', callback_id: 'declare', private_metadata: '{"c":"C1"}', state: { values } },
    });
  });

  it('a block action in a message names the channel, the message and the action', () => {
    const payload = payloadOf(
      blockActionBody({
        userId: 'U0RESP001',
        actionId: 'page_ack',
        value: 'p-1',
        triggerId: 't',
        channelId: 'D1',
        messageTs: '1700000001.000100',
      }),
    );

    expect(payload).toMatchObject({
      type: 'block_actions',
      container: { type: 'message', message_ts: '1700000001.000100', channel_id: 'D1' },
      channel: { id: 'D1' },
      message: { ts: '1700000001.000100' },
      actions: [{ action_id: 'page_ack', value: 'p-1' }],
    });
  });

  it('an event is an event_callback with its id and team', () => {
    expect(JSON.parse(eventBody({ eventId: 'Ev9', event: { type: 'reaction_added' }, teamId: 'T2' }))).toMatchObject({
      type: 'event_callback',
      event_id: 'Ev9',
      team_id: 'T2',
      event: { type: 'reaction_added' },
    });
  });
});

describe('sendToSlackEndpoint', () => {
  let server: Server;
  let url: string;
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends a body signed for the given clock, with the content type it implies', async () => {
    const body = eventBody({ eventId: 'Ev3', event: { type: 'app_mention' } });

    const answer = await sendToSlackEndpoint(url, body, { secret: SECRET, now: NOW });

    const last = received.at(-1)!;
    expect(answer).toEqual({ status: 200, text: '{"ok":true}', json: { ok: true } });
    expect(last.body).toBe(body);
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers['x-slack-request-timestamp']).toBe(String(NOW_SECONDS));
    expect(boltAccepts(last.body, signatureHeaders(last.headers))).toBe(true);
  });

  it('marks Slack retries, and can send a bad or a missing signature', async () => {
    const body = slashCommandBody({ command: '/incident', text: '', userId: 'U1', channelId: 'C1', triggerId: 't' });

    await sendToSlackEndpoint(url, body, { secret: SECRET, now: NOW, retryNum: 1 });
    const retried = received.at(-1)!;
    await sendToSlackEndpoint(url, body, { secret: SECRET, now: NOW, signature: 'bad' });
    const bad = received.at(-1)!;
    await sendToSlackEndpoint(url, body, { secret: SECRET, now: NOW, signature: 'missing' });
    const missing = received.at(-1)!;

    expect(retried.headers).toMatchObject({ 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(retried.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(boltAccepts(bad.body, signatureHeaders(bad.headers))).toBe(false);
    expect(missing.headers['x-slack-signature']).toBeUndefined();
  });
});
