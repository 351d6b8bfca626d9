import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';

let fake: FakeSlack;

beforeEach(async () => {
  fake = await startFakeSlack();
});

afterEach(async () => {
  await fake.close();
});

interface RawAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** Calls the fake the way a raw HTTP client would: form-encoded unless `json` is set. */
async function api(
  method: string,
  args: Record<string, string | object> = {},
  opts: { token?: string | null; json?: boolean } = {},
): Promise<RawAnswer> {
  const token = opts.token === undefined ? fake.token : opts.token;
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  const body = opts.json
    ? JSON.stringify(args)
    : new URLSearchParams(
        Object.entries(args).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      ).toString();
  headers['content-type'] = opts.json ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded';
  const res = await fetch(`${fake.url}${method}`, { method: 'POST', headers, body });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

function errorOf(answer: RawAnswer): unknown {
  return answer.body['error'];
}

describe('fake Slack authentication', () => {
  it('answers not_authed without a token and invalid_auth with a wrong one, both with HTTP 200', async () => {
    const missing = await api('auth.test', {}, { token: null });
    const wrong = await api('auth.test', {}, { token: 'xoxb-nope' });

    expect([missing.status, missing.body]).toEqual([200, { ok: false, error: 'not_authed' }]);
    expect([wrong.status, wrong.body]).toEqual([200, { ok: false, error: 'invalid_auth' }]);
  });

  it('accepts the token as a form field, and never records it among the arguments', async () => {
    const answer = await api('auth.test', { token: fake.token }, { token: null });

    expect(answer.body).toMatchObject({ ok: true, user_id: fake.botUserId });
    expect(fake.lastCallTo('auth.test')?.args).toEqual({});
  });

  it('answers an unknown method with HTTP 404 and unknown_method', async () => {
    const answer = await api('chat.teleport');

    expect([answer.status, answer.body]).toEqual([404, { ok: false, error: 'unknown_method' }]);
  });
});

describe('fake Slack arguments and rules', () => {
  it.each([
    ['', 'invalid_name_required'],
    ['a'.repeat(81), 'invalid_name_maxlength'],
    ['Incident-1', 'invalid_name_specials'],
    ['inc 1', 'invalid_name_specials'],
    ['inc#1', 'invalid_name_specials'],
    ['--__', 'invalid_name_punctuation'],
  ])('conversations.create rejects the name %j with %s', async (name, error) => {
    expect(errorOf(await api('conversations.create', { name }))).toBe(error);
  });

  it('conversations.create accepts 80 characters of lowercase letters, digits, - and _', async () => {
    const name = `inc-2026_${'x'.repeat(71)}`;

    const answer = await api('conversations.create', { name });

    expect(answer.body).toMatchObject({ ok: true, channel: { name, is_private: false } });
  });

  it('a name is taken while its channel exists, even archived', async () => {
    const created = await api('conversations.create', { name: 'inc-1', is_private: 'true' });
    const id = (created.body['channel'] as { id: string }).id;
    await api('conversations.archive', { channel: id });

    expect(errorOf(await api('conversations.create', { name: 'inc-1' }))).toBe('name_taken');
    expect(fake.channel(id)).toMatchObject({ isPrivate: true, archived: true });
  });

  it('chat.postMessage needs text or blocks, and a channel the bot can see', async () => {
    const open = fake.addChannel({ name: 'open', botIsMember: false });
    const secret = fake.addChannel({ name: 'secret', isPrivate: true, botIsMember: false });

    expect(errorOf(await api('chat.postMessage', { channel: open }))).toBe('no_text');
    expect(errorOf(await api('chat.postMessage', { text: 'x' }))).toBe('channel_not_found');
    expect(errorOf(await api('chat.postMessage', { channel: secret, text: 'x' }))).toBe('channel_not_found');
    expect(await api('chat.postMessage', { channel: open, text: 'x' })).toMatchObject({ body: { ok: true } });
  });

  it('message timestamps are unique and increasing', async () => {
    const channel = fake.addChannel({ name: 'feed' });
    const client = new WebClient(fake.token, { slackApiUrl: fake.url });

    const first = await client.chat.postMessage({ channel, text: 'one' });
    const second = await client.chat.postMessage({ channel, text: 'two' });

    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
  });

  it('JSON bodies work like form bodies, and blocks come back parsed in the record', async () => {
    const channel = fake.addChannel({ name: 'feed' });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }];

    await api('chat.postMessage', { channel, text: 'hi', blocks }, { json: true });
    await api('chat.postMessage', { channel, text: 'hi', blocks });

    expect(fake.callsTo('chat.postMessage').map((c) => c.args['blocks'])).toEqual([blocks, blocks]);
  });

  it('conversations.invite reports cant_invite_self, already_in_channel and user_not_found', async () => {
    const channel = fake.addChannel({ name: 'room', members: ['U0RESP001'] });

    expect(errorOf(await api('conversations.invite', { channel, users: fake.botUserId }))).toBe('cant_invite_self');
    expect(errorOf(await api('conversations.invite', { channel, users: 'U0RESP001' }))).toBe('already_in_channel');
    expect(errorOf(await api('conversations.invite', { channel, users: 'U0RESP002,U0GHOST01' }))).toBe('user_not_found');
    expect(fake.channel(channel)?.members.has('U0RESP002')).toBe(false);
  });

  it('setTopic refuses more than 250 characters', async () => {
    const channel = fake.addChannel({ name: 'room' });

    expect(errorOf(await api('conversations.setTopic', { channel, topic: 'x'.repeat(251) }))).toBe('too_long');
    expect((await api('conversations.setTopic', { channel, topic: 'x'.repeat(250) })).body['ok']).toBe(true);
  });

  it('pins.add knows already_pinned and message_not_found', async () => {
    const channel = fake.addChannel({ name: 'room' });
    const ts = (await api('chat.postMessage', { channel, text: 'card' })).body['ts'] as string;

    expect((await api('pins.add', { channel, timestamp: ts })).body['ok']).toBe(true);
    expect(errorOf(await api('pins.add', { channel, timestamp: ts }))).toBe('already_pinned');
    expect(errorOf(await api('pins.add', { channel, timestamp: '1.000001' }))).toBe('message_not_found');
  });

  it('views.open needs a trigger minted by the test, younger than 3 s and used once', async () => {
    const view = { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] };
    const fresh = fake.mintTriggerId();

    expect(errorOf(await api('views.open', { view }))).toBe('invalid_arguments');
    expect(errorOf(await api('views.open', { trigger_id: '123.456.abc', view }))).toBe('expired_trigger_id');
    expect(errorOf(await api('views.open', { trigger_id: fake.mintTriggerId({ ageMs: 3_500 }), view }))).toBe('expired_trigger_id');
    expect((await api('views.open', { trigger_id: fresh, view })).body['ok']).toBe(true);
    expect(errorOf(await api('views.open', { trigger_id: fresh, view }))).toBe('exchanged_trigger_id');
    expect(errorOf(await api('views.update', { view_id: 'V404', view }))).toBe('not_found');
  });

  it('users.info tells the time zone the way Slack does', async () => {
    const answer = await api('users.info', { user: 'U0DECL001' });

    expect(answer.body['user']).toMatchObject({
      id: 'U0DECL001',
      tz: 'Europe/Dublin',
      tz_label: expect.stringMatching(/Greenwich Mean Time|Irish Standard Time/),
      profile: { email: 'dana@example.com' },
    });
    expect(errorOf(await api('users.info', { user: 'U0GHOST01' }))).toBe('user_not_found');
    expect(errorOf(await api('users.lookupByEmail', { email: 'ghost@example.com' }))).toBe('users_not_found');
    expect(errorOf(await api('usergroups.users.list', { usergroup: 'S0NONE' }))).toBe('no_such_subteam');
  });
});

describe('fake Slack faults and rate limits', () => {
  it('an injected 429 carries Retry-After and is recorded, and the next call succeeds', async () => {
    fake.fail('auth.test', { kind: 'ratelimited', retryAfterSeconds: 7 });

    const limited = await api('auth.test');
    const next = await api('auth.test');

    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.body).toEqual({ ok: false, error: 'ratelimited' });
    expect(next.body['ok']).toBe(true);
    expect(fake.callsTo('auth.test').map((c) => c.status)).toEqual([429, 200]);
  });

  it('when the fake starts with no options, then Slack rate limits are on and a burst to one channel answers 429 with Retry-After', async () => {
    const channel = fake.addChannel({ name: 'busy' });
    const other = fake.addChannel({ name: 'quiet' });

    const answers: RawAnswer[] = [];
    for (let i = 0; i < 5; i += 1) answers.push(await api('chat.postMessage', { channel, text: `${i}` }));
    const elsewhere = await api('chat.postMessage', { channel: other, text: 'x' });

    expect(answers.slice(0, 3).map((a) => a.status)).toEqual([200, 200, 200]);
    const last = answers.at(-1);
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(elsewhere.status).toBe(200);
  });

  it('WebClient sees an injected Slack error and an injected 5xx', async () => {
    const client = new WebClient(fake.token, { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
    fake.fail('conversations.create', { kind: 'error', error: 'name_taken' });
    fake.fail('conversations.create', { kind: 'http', status: 500 });

    await expect(client.conversations.create({ name: 'inc-1' })).rejects.toMatchObject({ data: { error: 'name_taken' } });
    await expect(client.conversations.create({ name: 'inc-1' })).rejects.toMatchObject({ statusCode: 500 });
    await expect(client.conversations.create({ name: 'inc-1' })).resolves.toMatchObject({ ok: true });
  });

  it('a delayed call answers normally after the delay', async () => {
    fake.fail('auth.test', { kind: 'delay', ms: 150 });
    const started = Date.now();

    const answer = await api('auth.test');

    expect(answer.body['ok']).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('close() ends a hanging call instead of waiting for it', async () => {
    fake.fail('auth.test', { kind: 'hang' });
    const pending = api('auth.test').catch((e: unknown) => e);
    await fake.waitForCall('auth.test', (c) => c.status === 0);

    await fake.close();

    expect(await pending).toBeInstanceOf(Error);
  });

  it('waitForCall names the methods it saw when nothing matches', async () => {
    await api('auth.test');

    await expect(fake.waitForCall('chat.postMessage', undefined, 50)).rejects.toThrow(/Methods seen: auth\.test x1/);
  });

  it('reset() forgets calls but keeps channels', async () => {
    const channel = fake.addChannel({ name: 'kept' });
    await api('auth.test');

    fake.reset();

    expect(fake.calls).toEqual([]);
    expect(fake.channel(channel)?.name).toBe('kept');
  });
});
