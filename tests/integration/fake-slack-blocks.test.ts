import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';

/** Block Kit structure, refused the way Slack refuses it (issue 17 item 4). */
let fake: FakeSlack;
let channel: string;

beforeEach(async () => {
  // Slack's rates x100, as the harness runs them: these tests are not about pacing.
  fake = await startFakeSlack({ rateLimits: { scale: 100 } });
  channel = fake.addChannel({ name: 'room' });
});

afterEach(async () => {
  await fake.close();
});

type Body = Record<string, unknown>;

async function api(method: string, args: Record<string, string | object>): Promise<Body> {
  const body = new URLSearchParams(
    Object.entries(args).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  ).toString();
  const res = await fetch(`${fake.url}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Body;
}

const post = (blocks: unknown[]) => api('chat.postMessage', { channel, text: 'fallback', blocks });
const publish = (view: Body) => api('views.publish', { user_id: 'U0RESP001', view });
const open = (view: Body) => api('views.open', { trigger_id: fake.mintTriggerId(), view });

const plainText = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string, over: Body = {}) => ({ type: 'section', text: mrkdwn(text), ...over });
const button = (over: Body = {}) => ({ type: 'button', text: plainText('Ack'), action_id: 'ack', value: 'v', ...over });
const actions = (...elements: unknown[]) => ({ type: 'actions', elements });
const option = (i: number) => ({ text: plainText(`Option ${i}`), value: `v${i}` });
const input = (element: Body, over: Body = {}) => ({ type: 'input', block_id: 'in', label: plainText('Why'), element, ...over });
const modal = (over: Body = {}): Body => ({
  type: 'modal',
  title: plainText('Declare'),
  submit: plainText('Declare'),
  close: plainText('Cancel'),
  blocks: [section('hi')],
  ...over,
});

/** Slack's refusal of a message's blocks: invalid_blocks, the problem in `errors` and `response_metadata`. */
function refusedBlocks(message: string, pointer: string): Body {
  const error = `${message} [json-pointer:${pointer}]`;
  return { ok: false, error: 'invalid_blocks', errors: [error], response_metadata: { messages: [`[ERROR] ${error}`] } };
}

function refusedView(message: string, pointer: string): Body {
  return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [`[ERROR] ${message} [json-pointer:${pointer}]`] } };
}

describe('fake Slack Block Kit structure in messages', () => {
  it('when a header has mrkdwn text, then chat.postMessage answers invalid_blocks at /blocks/0/text/type and posts nothing', async () => {
    expect(await post([{ type: 'header', text: mrkdwn('*Incident*') }])).toEqual(
      refusedBlocks('unsupported type: mrkdwn, expected plain_text', '/blocks/0/text/type'),
    );
    expect(fake.channel(channel)?.messages).toEqual([]);
    expect(await post([{ type: 'header', text: plainText('Incident') }])).toMatchObject({ ok: true });
  });

  it('when a block has an unknown type, then it answers invalid_blocks at its type', async () => {
    expect(await post([section('a'), { type: 'banner', text: plainText('x') }])).toEqual(
      refusedBlocks('unsupported type: banner', '/blocks/1/type'),
    );
  });

  it('when a section has empty text, then it answers invalid_blocks at the text', async () => {
    expect(await post([section('')])).toEqual(refusedBlocks('must be more than 0 characters', '/blocks/0/text/text'));
  });

  it('when a section has neither text nor fields, then it is refused', async () => {
    expect(await post([{ type: 'section' }])).toEqual(refusedBlocks('must provide one of: text, fields', '/blocks/0'));
  });

  it('when a button has no text, then it answers invalid_blocks naming the missing field', async () => {
    const { text: _t, ...bare } = button();
    expect(await post([actions(bare)])).toEqual(refusedBlocks('missing required field: text', '/blocks/0/elements/0/text'));
  });

  it('when checkboxes hold 11 options, then it answers no more than 10 items, and 10 are accepted', async () => {
    const boxes = (n: number) => ({ type: 'checkboxes', action_id: 'c', options: Array.from({ length: n }, (_, i) => option(i)) });

    expect(await post([actions(boxes(11))])).toEqual(refusedBlocks('no more than 10 items allowed', '/blocks/0/elements/0/options'));
    expect(await post([actions(boxes(10))])).toMatchObject({ ok: true });
  });

  it('when a button style is "blue", then it is refused, and primary and danger are accepted', async () => {
    expect(await post([actions(button({ style: 'blue' }))])).toEqual(
      refusedBlocks('must be one of: primary, danger', '/blocks/0/elements/0/style'),
    );
    expect(await post([actions(button({ style: 'primary' }), button({ style: 'danger', action_id: 'no' }))])).toMatchObject({ ok: true });
  });

  it('when a button url is not a URL, then it is refused', async () => {
    expect(await post([actions(button({ url: 'not a url' }))])).toEqual(refusedBlocks('must be a valid URL', '/blocks/0/elements/0/url'));
    expect(await post([actions(button({ url: 'https://example.com/x' }))])).toMatchObject({ ok: true });
  });

  it('when a block carries a key Slack does not define, then it is refused at that key', async () => {
    expect(await post([section('a', { colour: 'red' })])).toEqual(refusedBlocks('unsupported property: colour', '/blocks/0/colour'));
  });

  it('when two blocks share a block_id, or two elements of one block an action_id, then it is refused', async () => {
    expect(await post([section('a', { block_id: 'b1' }), section('b', { block_id: 'b1' })])).toEqual(
      refusedBlocks('duplicate block_id: b1', '/blocks/1/block_id'),
    );
    expect(await post([actions(button(), button())])).toEqual(refusedBlocks('duplicate action_id: ack', '/blocks/0/elements/1/action_id'));
  });

  it('when an element sits in a block that does not take it, then it is refused', async () => {
    expect(await post([section('a', { accessory: { type: 'plain_text_input', action_id: 'x' } })])).toEqual(
      refusedBlocks('unsupported type: plain_text_input', '/blocks/0/accessory/type'),
    );
    expect(await post([{ type: 'context', elements: [button()] }])).toEqual(
      refusedBlocks('unsupported type: button', '/blocks/0/elements/0/type'),
    );
  });

  it('when a static select option has mrkdwn text, then it is refused, while a checkbox option may', async () => {
    const select = { type: 'static_select', action_id: 's', options: [{ text: mrkdwn('*a*'), value: 'a' }] };
    expect(await post([actions(select)])).toEqual(
      refusedBlocks('unsupported type: mrkdwn, expected plain_text', '/blocks/0/elements/0/options/0/text/type'),
    );
    expect(await post([actions({ type: 'checkboxes', action_id: 'c', options: [{ text: mrkdwn('*a*'), value: 'a' }] })])).toMatchObject({
      ok: true,
    });
  });
});

describe('fake Slack Block Kit structure in views', () => {
  it('when a home view has submit, then views.publish answers invalid_arguments and publishes nothing', async () => {
    expect(await publish({ type: 'home', submit: plainText('Go'), blocks: [section('hi')] })).toEqual(
      refusedView('a home view cannot have submit', '/view/submit'),
    );
    expect(fake.views()).toEqual([]);
    expect(await publish({ type: 'home', blocks: [section('hi')] })).toMatchObject({ ok: true });
  });

  it('when a modal has input blocks but no submit, then views.open refuses it', async () => {
    const { submit: _s, ...noSubmit } = modal({ blocks: [input({ type: 'plain_text_input', action_id: 'why' })] });
    expect(await open(noSubmit)).toEqual(refusedView('a modal with input blocks must have submit', '/view/submit'));
    expect(await open(modal({ blocks: [input({ type: 'plain_text_input', action_id: 'why' })] }))).toMatchObject({ ok: true });
  });

  it('when an input label is mrkdwn or a modal title is mrkdwn, then views.open refuses it', async () => {
    expect(await open(modal({ blocks: [input({ type: 'plain_text_input', action_id: 'why' }, { label: mrkdwn('Why') })] }))).toEqual(
      refusedView('unsupported type: mrkdwn, expected plain_text', '/view/blocks/0/label/type'),
    );
    expect(await open(modal({ title: mrkdwn('Declare') }))).toEqual(
      refusedView('unsupported type: mrkdwn, expected plain_text', '/view/title/type'),
    );
  });

  it('when a modal has a key Slack does not define, then it is refused', async () => {
    expect(await open(modal({ colour: 'red' }))).toEqual(refusedView('unsupported property: colour', '/view/colour'));
  });
});

describe('fake Slack Block Kit structure switched off', () => {
  it('when blockKitLimits is off, then structure is not checked either', async () => {
    fake.enforceBlockKitLimits(false);
    expect(await post([{ type: 'header', text: mrkdwn('x') }, { type: 'banner' }])).toMatchObject({ ok: true });
  });
});
