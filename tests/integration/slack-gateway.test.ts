import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import {
  ChannelNameTaken,
  ChannelNotFound,
  createSlackGateway,
  ExpiredTrigger,
  RateLimited,
  SlackAuthError,
  SlackUnavailable,
  type GatewayLogger,
  type RetryOptions,
} from '../../src/slack-api/index.js';

interface LogLine {
  level: string;
  obj: Record<string, unknown>;
  msg: string | undefined;
}

function capturingLogger(lines: LogLine[]): GatewayLogger {
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) => void lines.push({ level, obj, msg });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const modal = {
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: 'Declare' },
  blocks: [],
};

let fake: FakeSlack;
let logs: LogLine[];
let waits: number[];

/** A gateway whose waits are recorded instead of slept, with jitter pinned to the middle. */
function gateway(retry: RetryOptions = {}, token = fake.token) {
  return createSlackGateway({
    token,
    apiUrl: fake.url,
    logger: capturingLogger(logs),
    retry: { sleep: async (ms) => void waits.push(ms), random: () => 0.5, ...retry },
  });
}

beforeEach(async () => {
  fake = await startFakeSlack();
  logs = [];
  waits = [];
});

afterEach(async () => {
  await fake.close();
});

describe('slack gateway retries', () => {
  it('a storm of three 429s then success creates exactly one channel, waiting Retry-After each time', async () => {
    fake.fail('conversations.create', { kind: 'ratelimited', retryAfterSeconds: 1 }, { times: 3 });

    const channel = await gateway().createChannel({ name: 'inc-42-storm', isPrivate: false });

    expect(fake.callsTo('conversations.create').map((c) => c.status)).toEqual([429, 429, 429, 200]);
    expect(waits).toEqual([1000, 1000, 1000]);
    expect(fake.channelByName('inc-42-storm')?.id).toBe(channel.id);
  });

  it('waits the real Retry-After before the next attempt when no clock is injected', async () => {
    fake.fail('chat.postMessage', { kind: 'ratelimited', retryAfterSeconds: 1 });
    const channelId = fake.addChannel({ name: 'feed' });
    const realTime = createSlackGateway({ token: fake.token, apiUrl: fake.url, logger: capturingLogger(logs) });

    await realTime.postMessage({ channel: channelId, text: 'hello' });

    const [first, second] = fake.callsTo('chat.postMessage');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
  });

  it('a Retry-After longer than maxRetryAfterMs is thrown as RateLimited at once for a job to reschedule', async () => {
    fake.fail('conversations.create', { kind: 'ratelimited', retryAfterSeconds: 120 });

    const error = await gateway()
      .createChannel({ name: 'inc-1', isPrivate: false })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).retryAfterMs).toBe(120_000);
    expect(fake.callsTo('conversations.create')).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('5xx answers are retried with exponential backoff, then SlackUnavailable is thrown', async () => {
    fake.fail('chat.postMessage', { kind: 'http', status: 503 }, { times: 10 });
    const channelId = fake.addChannel({ name: 'feed' });

    const error = await gateway()
      .postMessage({ channel: channelId, text: 'hi' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SlackUnavailable);
    expect((error as SlackUnavailable).code).toBe('http_503');
    expect(fake.callsTo('chat.postMessage')).toHaveLength(4);
    // Equal jitter with random() = 0.5: 3/4 of 200, 400, 800 ms.
    expect(waits).toEqual([150, 300, 600]);
    expect(fake.channel(channelId)?.messages).toEqual([]);
  });

  it('a 502 followed by success posts the message once', async () => {
    fake.fail('chat.postMessage', { kind: 'http', status: 502 });
    const channelId = fake.addChannel({ name: 'feed' });

    const posted = await gateway().postMessage({ channel: channelId, text: 'hi' });

    expect(fake.channel(channelId)?.messages.map((m) => m.ts)).toEqual([posted.ts]);
  });

  it('a hanging request times out and is retried', async () => {
    fake.fail('conversations.create', { kind: 'hang' });

    const channel = await gateway({ timeoutMs: 300 }).createChannel({ name: 'inc-hang', isPrivate: true });

    expect(fake.callsTo('conversations.create').map((c) => c.status)).toEqual([0, 200]);
    expect(fake.channel(channel.id)?.isPrivate).toBe(true);
  });

  it('a reply slower than the timeout counts as a failed attempt and the call is retried', async () => {
    fake.fail('users.info', { kind: 'delay', ms: 400 });

    await gateway({ timeoutMs: 150 }).userInfo('U0RESP001');

    // The slow attempt is recorded when the fake notices the client gave up, hence after the retry.
    await fake.waitForCall('users.info', (c) => c.status === 0);
    expect(
      fake
        .callsTo('users.info')
        .map((c) => c.status)
        .sort(),
    ).toEqual([0, 200]);
  });

  it('a request that hangs on every attempt ends in SlackUnavailable with code timeout', async () => {
    fake.fail('auth.test', { kind: 'hang' }, { times: 2 });

    const error = await gateway({ timeoutMs: 200, maxAttempts: 2 })
      .authTest()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SlackUnavailable);
    expect((error as SlackUnavailable).code).toBe('timeout');
  });

  it('an unreachable Slack ends in SlackUnavailable with code network_error after every attempt', async () => {
    const unreachable = fake.url;
    await fake.close();
    const slack = createSlackGateway({
      token: fake.token,
      apiUrl: unreachable,
      logger: capturingLogger(logs),
      retry: { sleep: async (ms) => void waits.push(ms), maxAttempts: 3 },
    });

    const error = await slack.authTest().catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'SlackUnavailable', code: 'network_error', method: 'auth.test' });
    expect(waits).toHaveLength(2);
  });

  it('views.open gives up on a hung attempt early enough to retry within the trigger’s 3 s', async () => {
    fake.fail('views.open', { kind: 'hang' });
    const trigger = fake.mintTriggerId();

    const opened = await gateway().openView(trigger, modal);

    expect(fake.callsTo('views.open').map((c) => c.status)).toEqual([0, 200]);
    expect(fake.view(opened.viewId)?.triggerId).toBe(trigger);
  });

  it('views.open does not wait out a 429: the trigger would be dead by then', async () => {
    fake.fail('views.open', { kind: 'ratelimited', retryAfterSeconds: 1 });

    await expect(gateway().openView(fake.mintTriggerId(), modal)).rejects.toBeInstanceOf(RateLimited);
    expect(waits).toEqual([]);
  });

  it('a transient Slack error string (internal_error) is retried', async () => {
    fake.fail('users.info', { kind: 'error', error: 'internal_error' });

    const user = await gateway().userInfo('U0RESP001');

    expect(user.id).toBe('U0RESP001');
    expect(fake.callsTo('users.info')).toHaveLength(2);
  });
});

describe('slack gateway error mapping', () => {
  it('name_taken becomes ChannelNameTaken without a retry', async () => {
    const slack = gateway();
    await slack.createChannel({ name: 'inc-7', isPrivate: false });

    const error = await slack.createChannel({ name: 'inc-7', isPrivate: false }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ChannelNameTaken);
    expect(error).toMatchObject({ name: 'ChannelNameTaken', code: 'name_taken', method: 'conversations.create' });
    expect(fake.callsTo('conversations.create')).toHaveLength(2);
  });

  it('invalid_auth becomes SlackAuthError without a retry, and the token is never logged', async () => {
    const error = await gateway({}, 'xoxb-wrong-secret')
      .authTest()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SlackAuthError);
    expect(fake.callsTo('auth.test')).toHaveLength(1);
    expect(JSON.stringify(logs)).not.toContain('xoxb-');
    expect(String((error as Error).message)).not.toContain('xoxb-');
  });

  it('a pino logger fits, and what it writes about a rejected token does not contain the token', async () => {
    let written = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString('utf8');
        done();
      },
    });
    const slack = createSlackGateway({ token: 'xoxb-leaky-token', apiUrl: fake.url, logger: pino({ level: 'debug' }, sink) });

    await expect(slack.authTest()).rejects.toBeInstanceOf(SlackAuthError);

    // The real cause and its fix, not "credentials rejected" for every refusal.
    expect(written).toContain('Slack auth.test refused: the bot token is not valid. Check SLACK_BOT_TOKEN');
    expect(written).not.toContain('xoxb-leaky-token');
  });

  it('posting to a private channel the bot is not in is ChannelNotFound', async () => {
    const secret = fake.addChannel({ name: 'secret', isPrivate: true, botIsMember: false });

    await expect(gateway().postMessage({ channel: secret, text: 'x' })).rejects.toBeInstanceOf(ChannelNotFound);
  });

  it('an expired trigger id is ExpiredTrigger', async () => {
    const stale = fake.mintTriggerId({ ageMs: 4_000 });

    await expect(gateway().openView(stale, modal)).rejects.toBeInstanceOf(ExpiredTrigger);
  });
});

describe('slack gateway methods', () => {
  it('when the reply a reaction names sits beyond the first page of a long thread, then findMessage follows next_cursor to it', async () => {
    const channelId = fake.addChannel({ name: 'long-thread', botIsMember: true });
    const parent = fake.postAsUser(channelId, { user: 'U0RESP001', text: 'parent' });
    let target = '';
    for (let i = 0; i < 450; i += 1) {
      const ts = fake.postAsUser(channelId, { user: 'U0RESP001', text: `reply ${i}`, threadTs: parent });
      if (i === 420) target = ts;
    }

    const found = await gateway().findMessage(channelId, target);

    expect(found).toMatchObject({ ts: target, text: 'reply 420', threadTs: parent });
    expect(fake.callsTo('conversations.replies')).toHaveLength(3);
  });

  it('invite treats already_in_channel as success and still invites the others when one user is unknown', async () => {
    const slack = gateway();
    const { id } = await slack.createChannel({ name: 'inc-9', isPrivate: true });
    await slack.invite(id, ['U0RESP001']);

    const result = await slack.invite(id, ['U0RESP001', 'U0RESP002', 'U0NOBODY1', fake.botUserId]);

    expect(result).toEqual({
      invited: ['U0RESP002'],
      alreadyIn: ['U0RESP001', fake.botUserId],
      failed: [{ userId: 'U0NOBODY1', code: 'user_not_found' }],
    });
    expect([...(fake.channel(id)?.members ?? [])].sort()).toEqual([fake.botUserId, 'U0RESP001', 'U0RESP002'].sort());
  });

  it('inviting a single member who is already in takes one call and counts as done', async () => {
    const slack = gateway();
    const channelId = fake.addChannel({ name: 'room', members: ['U0RESP001'] });

    const result = await slack.invite(channelId, ['U0RESP001']);

    expect(result).toEqual({ invited: [], alreadyIn: ['U0RESP001'], failed: [] });
    expect(fake.callsTo('conversations.invite')).toHaveLength(1);
  });

  it('invite of users who are all new takes one call with a comma list', async () => {
    const slack = gateway();
    const { id } = await slack.createChannel({ name: 'inc-10', isPrivate: false });

    await slack.invite(id, ['U0RESP001', 'U0RESP002']);

    expect(fake.callsTo('conversations.invite').map((c) => c.args['users'])).toEqual(['U0RESP001,U0RESP002']);
  });

  it('files.uploadV2 uploads the content and shares it in the channel with the comment', async () => {
    const slack = gateway();
    const { id } = await slack.createChannel({ name: 'inc-11', isPrivate: false });

    const { fileId } = await slack.uploadFile({
      channelId: id,
      filename: 'timeline.md',
      title: 'Timeline',
      content: '# Timeline\n- 09:00 declared',
      initialComment: 'Post-incident timeline',
    });

    const file = fake.files().find((f) => f.id === fileId);
    expect(file?.content?.toString('utf8')).toBe('# Timeline\n- 09:00 declared');
    expect(file).toMatchObject({ title: 'Timeline', completed: true, channelId: id });
    expect(fake.channel(id)?.messages.at(-1)).toMatchObject({ text: 'Post-incident timeline', files: [fileId] });
  });

  it('channelMembers follows the cursor through every page', async () => {
    const users = Array.from({ length: 450 }, (_, i) => `U0MANY${String(i).padStart(4, '0')}`);
    for (const id of users) fake.addUser({ id, name: id.toLowerCase() });
    const channelId = fake.addChannel({ name: 'big', members: users });

    const members = await gateway().channelMembers(channelId);

    expect(members).toHaveLength(451);
    expect(fake.callsTo('conversations.members')).toHaveLength(3);
  });

  it('users, user groups and DMs come back as typed camelCase values', async () => {
    fake.addUsergroup('S0LEGAL01', ['U0LEGAL01']);
    const slack = gateway();

    expect(await slack.userInfo('U0DECL001')).toMatchObject({
      id: 'U0DECL001',
      realName: 'Dana Declarer',
      tz: 'Europe/Dublin',
      isBot: false,
      email: 'dana@example.com',
    });
    expect(await slack.lookupUserByEmail('rui@example.com')).toBe('U0RESP001');
    expect(await slack.lookupUserByEmail('nobody@example.com')).toBeNull();
    expect(await slack.usergroupMembers('S0LEGAL01')).toEqual(['U0LEGAL01']);
    const dm = await slack.openDm('U0RESP002');
    expect(dm).toBe(fake.dmChannelId('U0RESP002'));
    expect(await slack.authTest()).toMatchObject({ userId: fake.botUserId, teamId: fake.teamId });
  });

  it('messages can be posted, updated, pinned twice, linked and the channel archived twice', async () => {
    const slack = gateway();
    const { id } = await slack.createChannel({ name: 'inc-12', isPrivate: false });
    await slack.setTopic(id, 'SEV2 · investigating');
    const card = await slack.postMessage({ channel: id, text: 'card' });

    await slack.updateMessage({ channel: id, ts: card.ts, text: 'card v2' });
    await slack.pin(id, card.ts);
    await slack.pin(id, card.ts);
    const link = await slack.permalink(id, card.ts);
    await slack.archiveChannel(id);
    await slack.archiveChannel(id);

    const channel = fake.channel(id);
    expect(channel).toMatchObject({ topic: 'SEV2 · investigating', archived: true });
    expect(channel?.messages[0]?.text).toBe('card v2');
    expect([...(channel?.pins ?? [])]).toEqual([card.ts]);
    expect(link).toContain(id);
  });

  it('a modal opens with a fresh trigger, updates with its hash and App Home publishes', async () => {
    const slack = gateway();

    const opened = await slack.openView(fake.mintTriggerId(), modal);
    const updated = await slack.updateView({ viewId: opened.viewId, hash: opened.hash, view: { ...modal, blocks: [] } });
    const home = await slack.publishHome('U0DECL001', { type: 'home', blocks: [] });

    expect(updated.viewId).toBe(opened.viewId);
    expect(updated.hash).not.toBe(opened.hash);
    expect(fake.view(home.viewId)?.userId).toBe('U0DECL001');
  });

  it('posting to a user id lands in that user’s DM, and an ephemeral reaches a channel member', async () => {
    const slack = gateway();
    const channelId = fake.addChannel({ name: 'general', members: ['U0DECL001'] });

    const posted = await slack.postMessage({ channel: 'U0RESP001', text: 'You are paged' });
    await slack.postEphemeral({ channel: channelId, user: 'U0DECL001', text: 'Only you' });

    expect(posted.channel).toBe(fake.dmChannelId('U0RESP001'));
    expect(fake.ephemerals()).toMatchObject([{ channel: channelId, user: 'U0DECL001', text: 'Only you' }]);
  });
});
