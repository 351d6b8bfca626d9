import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';

/** The fake with Block Kit limits on (`blockKitLimits: true`); `plain` is one started with them off. */
let fake: FakeSlack;
let plain: FakeSlack;

beforeEach(async () => {
  // Slack's rates x100, as the harness runs them: these tests post bursts to one channel.
  fake = await startFakeSlack({ blockKitLimits: true, rateLimits: { scale: 100 } });
  plain = await startFakeSlack({ blockKitLimits: false, rateLimits: { scale: 100 } });
});

afterEach(async () => {
  await Promise.all([fake.close(), plain.close()]);
});

type Body = Record<string, unknown>;

/** A form-encoded call over HTTP, as WebClient sends it. */
async function api(target: FakeSlack, method: string, args: Record<string, string | object>): Promise<Body> {
  const body = new URLSearchParams(
    Object.entries(args).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  ).toString();
  const res = await fetch(`${target.url}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Body;
}

function post(target: FakeSlack, blocks: unknown[]): Promise<Body> {
  const channel = target.channelByName('room')?.id ?? target.addChannel({ name: 'room' });
  return api(target, 'chat.postMessage', { channel, text: 'fallback', blocks });
}

function openModal(target: FakeSlack, view: Body): Promise<Body> {
  return api(target, 'views.open', { trigger_id: target.mintTriggerId(), view });
}

const x = (n: number): string => 'x'.repeat(n);
const plainText = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string) => ({ type: 'section', text: mrkdwn(text) });
const button = (over: Body = {}) => ({ type: 'button', text: plainText('Ack'), action_id: 'ack', value: 'v', ...over });
const actions = (...elements: unknown[]) => ({ type: 'actions', elements });
const option = (text: string, value = 'v') => ({ text: plainText(text), value });
const modal = (over: Body = {}): Body => ({
  type: 'modal',
  title: plainText('Declare'),
  submit: plainText('Declare'),
  close: plainText('Cancel'),
  blocks: [section('hi')],
  ...over,
});

function refusedBlocks(pointer: string, chars?: number): Body {
  const error =
    chars === undefined
      ? expect.stringContaining(`[json-pointer:${pointer}]`)
      : `must be less than ${chars + 1} characters [json-pointer:${pointer}]`;
  return { ok: false, error: 'invalid_blocks', errors: [error] };
}

function refusedView(pointer: string, chars?: number): Body {
  const message =
    chars === undefined
      ? expect.stringContaining(`[json-pointer:${pointer}]`)
      : `[ERROR] must be less than ${chars + 1} characters [json-pointer:${pointer}]`;
  return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [message] } };
}

describe('fake Slack Block Kit limits in messages', () => {
  it('when a section holds 3,001 characters, then chat.postMessage answers invalid_blocks', async () => {
    expect(await post(fake, [section(x(3_001))])).toEqual({
      ...refusedBlocks('/blocks/0/text/text', 3_000),
      response_metadata: { messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'] },
    });
  });

  it('when a section holds exactly 3,000 characters, then chat.postMessage accepts it', async () => {
    expect(await post(fake, [section(x(3_000))])).toMatchObject({ ok: true });
  });

  it('when a message has 51 blocks, then chat.postMessage answers invalid_blocks, and 50 are accepted', async () => {
    const blocks = Array.from({ length: 51 }, () => section('b'));

    expect(await post(fake, blocks)).toMatchObject({
      error: 'invalid_blocks',
      errors: ['no more than 50 items allowed [json-pointer:/blocks]'],
    });
    expect(await post(fake, blocks.slice(1))).toMatchObject({ ok: true });
  });

  it('when a header holds 151 characters, then chat.postMessage answers invalid_blocks', async () => {
    expect(await post(fake, [{ type: 'header', text: plainText(x(151)) }])).toMatchObject(refusedBlocks('/blocks/0/text/text', 150));
    expect(await post(fake, [{ type: 'header', text: plainText(x(150)) }])).toMatchObject({ ok: true });
  });

  it('when a section field holds 2,001 characters, or a section has 11 fields, then it answers invalid_blocks', async () => {
    const fields = (n: number, len = 1) => Array.from({ length: n }, () => mrkdwn(x(len)));

    expect(await post(fake, [{ type: 'section', fields: [mrkdwn('a'), mrkdwn(x(2_001))] }])).toMatchObject(
      refusedBlocks('/blocks/0/fields/1/text', 2_000),
    );
    expect(await post(fake, [{ type: 'section', fields: fields(11) }])).toMatchObject(refusedBlocks('/blocks/0/fields'));
    expect(await post(fake, [{ type: 'section', fields: fields(10, 2_000) }])).toMatchObject({ ok: true });
  });

  it('when a button says 76 characters, then chat.postMessage answers invalid_blocks', async () => {
    expect(await post(fake, [actions(button({ text: plainText(x(76)) }))])).toMatchObject(
      refusedBlocks('/blocks/0/elements/0/text/text', 75),
    );
    expect(await post(fake, [actions(button({ text: plainText(x(75)) }))])).toMatchObject({ ok: true });
  });

  it.each([
    ['a button value of 2,001 characters', [actions(button({ value: x(2_001) }))], '/blocks/0/elements/0/value'],
    ['an action_id of 256 characters', [actions(button({ action_id: x(256) }))], '/blocks/0/elements/0/action_id'],
    ['a block_id of 256 characters', [{ ...section('a'), block_id: x(256) }], '/blocks/0/block_id'],
    ['a button url of 3,001 characters', [actions(button({ url: `https://e.x/${x(2_989)}` }))], '/blocks/0/elements/0/url'],
    ['26 actions elements', [actions(...Array.from({ length: 26 }, (_, i) => button({ action_id: `b${i}` })))], '/blocks/0/elements'],
    ['11 context elements', [{ type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('c')) }], '/blocks/0/elements'],
    ['a context text of 3,001 characters', [{ type: 'context', elements: [mrkdwn(x(3_001))] }], '/blocks/0/elements/0/text'],
    [
      'a select option text of 76 characters',
      [actions({ type: 'static_select', action_id: 's', options: [option(x(76))] })],
      '/blocks/0/elements/0/options/0/text/text',
    ],
    [
      'a select option value of 151 characters',
      [actions({ type: 'static_select', action_id: 's', options: [option('a', x(151))] })],
      '/blocks/0/elements/0/options/0/value',
    ],
    [
      'a select with 101 options',
      [actions({ type: 'static_select', action_id: 's', options: Array.from({ length: 101 }, (_, i) => option(`${i}`)) })],
      '/blocks/0/elements/0/options',
    ],
    [
      'an overflow with 6 options',
      [{ ...section('a'), accessory: { type: 'overflow', action_id: 'o', options: Array.from({ length: 6 }, (_, i) => option(`${i}`)) } }],
      '/blocks/0/accessory/options',
    ],
    [
      'an image alt_text of 2,001 characters',
      [{ type: 'image', image_url: 'https://e.x/i.png', alt_text: x(2_001) }],
      '/blocks/0/alt_text',
    ],
  ])('when a message holds %s, then chat.postMessage answers invalid_blocks', async (_what, blocks, pointer) => {
    expect(await post(fake, blocks)).toMatchObject(refusedBlocks(pointer));
  });

  it('when a section holds 1,501 emoji (3,002 UTF-16 code units), then it is refused, and 1,500 are accepted', async () => {
    expect(await post(fake, [section('😀'.repeat(1_501))])).toMatchObject(refusedBlocks('/blocks/0/text/text', 3_000));
    expect(await post(fake, [section('😀'.repeat(1_500))])).toMatchObject({ ok: true });
  });

  it('when the bot escapes text, then the escaped characters are what counts', async () => {
    expect(await post(fake, [section('&lt;'.repeat(751))])).toMatchObject(refusedBlocks('/blocks/0/text/text', 3_000));
    expect(await post(fake, [section('&lt;'.repeat(750))])).toMatchObject({ ok: true });
  });

  it('when chat.update or chat.postEphemeral carry a 3,001-character section, then they answer invalid_blocks too', async () => {
    const channel = fake.addChannel({ name: 'room', members: ['U0RESP001'] });
    const ts = (await post(fake, [section('short')]))['ts'] as string;

    const updated = await api(fake, 'chat.update', { channel, ts, text: 'x', blocks: [section(x(3_001))] });
    const ephemeral = await api(fake, 'chat.postEphemeral', { channel, user: 'U0RESP001', text: 'x', blocks: [section(x(3_001))] });

    expect(updated).toMatchObject(refusedBlocks('/blocks/0/text/text', 3_000));
    expect(ephemeral).toMatchObject(refusedBlocks('/blocks/0/text/text', 3_000));
    expect(fake.channel(channel)?.messages.map((m) => m.blocks)).toEqual([[section('short')]]);
    expect(fake.ephemerals()).toEqual([]);
  });

  it('when a refused message is posted, then nothing is stored and the call is recorded with the answer', async () => {
    const channel = fake.addChannel({ name: 'room' });

    const answer = await api(fake, 'chat.postMessage', { channel, text: 'x', blocks: [section(x(3_001))] });

    expect(fake.channel(channel)?.messages).toEqual([]);
    expect(fake.lastCallTo('chat.postMessage')).toMatchObject({ status: 200, response: answer });
  });

  it('when WebClient posts an oversized section, then it rejects with invalid_blocks and the errors', async () => {
    const client = new WebClient(fake.token, { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
    const channel = fake.addChannel({ name: 'room' });

    await expect(client.chat.postMessage({ channel, text: 'x', blocks: [section(x(3_001))] })).rejects.toMatchObject({
      data: { error: 'invalid_blocks', errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'] },
    });
  });

  it('when blocks are of unknown types or odd shapes, then they are refused (rich_text passes through unchecked inside)', async () => {
    const rich = [{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: x(5_000) }] }] }];

    expect(await post(fake, rich)).toMatchObject({ ok: true });
    const odd = await post(fake, [{ type: 'section' }, 'not a block', 7]);
    expect(odd).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(odd['errors']).toEqual([
      'must provide one of: text, fields [json-pointer:/blocks/0]',
      'must provide an object [json-pointer:/blocks/1]',
      'must provide an object [json-pointer:/blocks/2]',
    ]);
  });

  it('when message text is 40,001 characters, then chat.postMessage posts the first 40,000 and warns message_truncated, limits on or off', async () => {
    const channel = fake.addChannel({ name: 'room' });
    const plainChannel = plain.addChannel({ name: 'room' });

    const long = await api(fake, 'chat.postMessage', { channel, text: `${x(40_000)}y` });
    expect(long).toMatchObject({ ok: true, warning: 'message_truncated', response_metadata: { warnings: ['message_truncated'] } });
    expect(fake.channel(channel)?.messages.at(-1)?.text).toBe(x(40_000));
    expect(await api(plain, 'chat.postMessage', { channel: plainChannel, text: x(40_001) })).toMatchObject({
      warning: 'message_truncated',
    });
    const fits = await api(fake, 'chat.postMessage', { channel, text: x(40_000) });
    expect(fits).toMatchObject({ ok: true });
    expect(fits).not.toHaveProperty('warning');
  });

  it('when chat.update or chat.postEphemeral carries 40,001 characters, then it answers msg_too_long and changes nothing', async () => {
    const channel = fake.addChannel({ name: 'room', members: ['U0RESP001'] });
    const posted = await api(fake, 'chat.postMessage', { channel, text: 'short' });

    expect(await api(fake, 'chat.update', { channel, ts: String(posted['ts']), text: x(40_001) })).toMatchObject({ error: 'msg_too_long' });
    expect(await api(fake, 'chat.postEphemeral', { channel, user: 'U0RESP001', text: x(40_001) })).toMatchObject({ error: 'msg_too_long' });
    expect(fake.channel(channel)?.messages.at(-1)?.text).toBe('short');
    expect(fake.ephemerals()).toEqual([]);
  });
});

describe('fake Slack Block Kit limits in views', () => {
  it('when a modal title is 25 characters, then views.open answers invalid_arguments, and 24 are accepted', async () => {
    expect(await openModal(fake, modal({ title: plainText(x(25)) }))).toEqual(refusedView('/view/title/text', 24));
    expect(await openModal(fake, modal({ title: plainText(x(24)) }))).toMatchObject({ ok: true });
  });

  it('when a refused views.open is retried with a fitting view, then the same trigger still works', async () => {
    const trigger_id = fake.mintTriggerId();

    expect(await api(fake, 'views.open', { trigger_id, view: modal({ title: plainText(x(25)) }) })).toMatchObject({
      error: 'invalid_arguments',
    });
    expect(await api(fake, 'views.open', { trigger_id, view: modal() })).toMatchObject({ ok: true });
  });

  it('when private_metadata is 3,001 characters, then views.update answers invalid_arguments', async () => {
    const opened = await openModal(fake, modal());
    const view_id = (opened['view'] as { id: string }).id;

    expect(await api(fake, 'views.update', { view_id, view: modal({ private_metadata: x(3_001) }) })).toEqual(
      refusedView('/view/private_metadata', 3_000),
    );
    expect(await api(fake, 'views.update', { view_id, view: modal({ private_metadata: x(3_000) }) })).toMatchObject({
      ok: true,
    });
  });

  it.each([
    ['a submit label of 25 characters', { submit: plainText(x(25)) }, '/view/submit/text'],
    ['a close label of 25 characters', { close: plainText(x(25)) }, '/view/close/text'],
    ['a callback_id of 256 characters', { callback_id: x(256) }, '/view/callback_id'],
    ['101 blocks', { blocks: Array.from({ length: 101 }, () => section('b')) }, '/view/blocks'],
    [
      'an input label of 2,001 characters',
      { blocks: [{ type: 'input', label: plainText(x(2_001)), element: { type: 'plain_text_input', action_id: 'a' } }] },
      '/view/blocks/0/label/text',
    ],
    [
      'an input hint of 2,001 characters',
      {
        blocks: [
          { type: 'input', label: plainText('L'), hint: plainText(x(2_001)), element: { type: 'plain_text_input', action_id: 'a' } },
        ],
      },
      '/view/blocks/0/hint/text',
    ],
    [
      'a plain_text_input placeholder of 151 characters',
      {
        blocks: [
          { type: 'input', label: plainText('L'), element: { type: 'plain_text_input', action_id: 'a', placeholder: plainText(x(151)) } },
        ],
      },
      '/view/blocks/0/element/placeholder/text',
    ],
    ['a section of 3,001 characters', { blocks: [section('a'), section(x(3_001))] }, '/view/blocks/1/text/text'],
  ])('when a modal holds %s, then views.open answers invalid_arguments', async (_what, over, pointer) => {
    expect(await openModal(fake, modal(over))).toMatchObject(refusedView(pointer));
  });

  it('when a modal holds 100 blocks, then views.open accepts it', async () => {
    expect(await openModal(fake, modal({ blocks: Array.from({ length: 100 }, () => section('b')) }))).toMatchObject({ ok: true });
  });

  it('when an App Home view has 101 blocks, then views.publish answers invalid_arguments', async () => {
    const blocks = Array.from({ length: 101 }, () => section('b'));

    expect(await api(fake, 'views.publish', { user_id: 'U0RESP001', view: { type: 'home', blocks } })).toMatchObject(
      refusedView('/view/blocks'),
    );
    expect(await api(fake, 'views.publish', { user_id: 'U0RESP001', view: { type: 'home', blocks: blocks.slice(1) } })).toMatchObject({
      ok: true,
    });
  });

  it('when views.push carries a 25-character title, then it answers invalid_arguments', async () => {
    expect(await api(fake, 'views.push', { trigger_id: fake.mintTriggerId(), view: modal({ title: plainText(x(25)) }) })).toMatchObject(
      refusedView('/view/title/text', 24),
    );
    expect(await api(fake, 'views.push', { trigger_id: fake.mintTriggerId(), view: modal() })).toMatchObject({ ok: true });
  });
});

describe('fake Slack Block Kit limits switched off', () => {
  it('when the fake starts with no options, then it enforces the limits', async () => {
    const fresh = await startFakeSlack();
    try {
      expect(await post(fresh, [section(x(3_001))])).toMatchObject({ error: 'invalid_blocks' });
      expect(await post(fresh, [section(x(3_000))])).toMatchObject({ ok: true });
    } finally {
      await fresh.close();
    }
  });

  it('when the fake starts with blockKitLimits false, then oversized messages and views are accepted', async () => {
    expect(await post(plain, [section(x(3_001))])).toMatchObject({ ok: true });
    expect(
      await post(
        plain,
        Array.from({ length: 51 }, () => section('b')),
      ),
    ).toMatchObject({ ok: true });
    expect(await post(plain, [{ type: 'header', text: plainText(x(151)) }])).toMatchObject({ ok: true });
    expect(await post(plain, [actions(button({ text: plainText(x(76)) }))])).toMatchObject({ ok: true });
    expect(await post(plain, [{ type: 'section', fields: [mrkdwn(x(2_001))] }])).toMatchObject({ ok: true });
    expect(await openModal(plain, modal({ title: plainText(x(25)) }))).toMatchObject({ ok: true });
    expect(await openModal(plain, modal({ private_metadata: x(3_001) }))).toMatchObject({ ok: true });
  });

  it('when enforceBlockKitLimits flips the switch, then the limits follow it', async () => {
    plain.enforceBlockKitLimits(true);
    expect(await post(plain, [section(x(3_001))])).toMatchObject({ error: 'invalid_blocks' });

    fake.enforceBlockKitLimits(false);
    expect(await post(fake, [section(x(3_001))])).toMatchObject({ ok: true });
  });
});
