import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';

/** Where the fake used to be kinder than Slack (issue 17): pages, user ids as channels, metadata, rate limits. */
let fake: FakeSlack;
let client: WebClient;

beforeEach(async () => {
  // Slack's rates x100, as the harness runs them: these tests are not about pacing.
  fake = await startFakeSlack({ rateLimits: { scale: 100 } });
  client = new WebClient(fake.token, { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
});

afterEach(async () => {
  await fake.close();
});

async function postMany(channel: string, n: number, threadTs?: string): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const r = await client.chat.postMessage({ channel, text: `m${i}`, ...(threadTs === undefined ? {} : { thread_ts: threadTs }) });
    out.push(String(r.ts));
  }
  return out;
}

describe('fake Slack pagination', () => {
  it('when conversations.history is read 2 at a time, then next_cursor walks every message newest first, once each', async () => {
    const channel = fake.addChannel({ name: 'room', botIsMember: true });
    const posted = await postMany(channel, 5);

    const seen: string[] = [];
    const pages: Array<{ has_more: boolean | undefined; next: string }> = [];
    let cursor: string | undefined;
    do {
      const page = await client.conversations.history({ channel, limit: 2, ...(cursor === undefined ? {} : { cursor }) });
      seen.push(...(page.messages ?? []).map((m) => String(m.ts)));
      cursor = page.response_metadata?.next_cursor ?? '';
      pages.push({ has_more: page.has_more, next: cursor });
    } while (cursor !== '');

    expect(seen).toEqual([...posted].reverse());
    expect(pages.map((p) => p.has_more)).toEqual([true, true, false]);
    expect(pages.at(-1)?.next).toBe('');
  });

  it('when conversations.replies is read 2 at a time, then next_cursor walks the thread oldest first', async () => {
    const channel = fake.addChannel({ name: 'room', botIsMember: true });
    const [parent] = await postMany(channel, 1);
    const replies = await postMany(channel, 4, parent);

    const first = await client.conversations.replies({ channel, ts: String(parent), limit: 2 });
    const second = await client.conversations.replies({
      channel,
      ts: String(parent),
      limit: 2,
      cursor: first.response_metadata?.next_cursor ?? '',
    });
    const third = await client.conversations.replies({
      channel,
      ts: String(parent),
      limit: 2,
      cursor: second.response_metadata?.next_cursor ?? '',
    });

    expect([first, second, third].flatMap((p) => (p.messages ?? []).map((m) => m.ts))).toEqual([parent, ...replies]);
    expect([first.has_more, second.has_more, third.has_more]).toEqual([true, true, false]);
  });

  it('when a cursor the fake never gave is passed, then it answers invalid_cursor', async () => {
    const channel = fake.addChannel({ name: 'room', botIsMember: true });
    await postMany(channel, 1);

    await expect(client.conversations.history({ channel, cursor: 'bm9wZQ==' })).rejects.toMatchObject({
      data: { error: 'invalid_cursor' },
    });
  });
});

describe('fake Slack chat.update targets', () => {
  it('when chat.update names a user id as channel, then it answers channel_not_found and the DM message is unchanged', async () => {
    const posted = await client.chat.postMessage({ channel: 'U0RESP001', text: 'original' });

    await expect(client.chat.update({ channel: 'U0RESP001', ts: String(posted.ts), text: 'edited' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    await expect(client.chat.update({ channel: String(posted.channel), ts: String(posted.ts), text: 'edited' })).resolves.toMatchObject({
      ok: true,
    });
    expect(fake.channel(String(posted.channel))?.messages.at(-1)?.text).toBe('edited');
  });
});

describe('fake Slack message metadata', () => {
  it('when metadata.event_payload is a string, then chat.postMessage answers invalid_metadata_format and posts nothing', async () => {
    const channel = fake.addChannel({ name: 'room' });

    await expect(
      client.chat.postMessage({ channel, text: 'x', metadata: { event_type: 'meridian_delivery', event_payload: 'k1' as never } }),
    ).rejects.toMatchObject({ data: { error: 'invalid_metadata_format' } });
    await expect(
      client.chat.postMessage({ channel, text: 'x', metadata: { event_payload: { key: 'k1' } } as never }),
    ).rejects.toMatchObject({ data: { error: 'invalid_metadata_format' } });
    expect(fake.channel(channel)?.messages).toEqual([]);
    await expect(
      client.chat.postMessage({ channel, text: 'x', metadata: { event_type: 'meridian_delivery', event_payload: { key: 'k1' } } }),
    ).resolves.toMatchObject({ ok: true });
  });
});

describe('fake Slack rate limits by default', () => {
  it('when the fake starts with a scale, then it allows that many times Slack tier burst and refuses the next call with 429', async () => {
    // Tier 2 (conversations.create): 20 a minute, so 40 at scale 2.
    const scaled = await startFakeSlack({ rateLimits: { scale: 2 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 41; i += 1) {
        const res = await fetch(`${scaled.url}conversations.create`, {
          method: 'POST',
          headers: { authorization: `Bearer ${scaled.token}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: `name=room-${i}`,
        });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
      expect(statuses[40]).toBe(429);
    } finally {
      await scaled.close();
    }
  });

  it('when the fake starts with rateLimits false, then the same burst is never refused', async () => {
    const unlimited = await startFakeSlack({ rateLimits: false });
    try {
      const loose = new WebClient(unlimited.token, { slackApiUrl: unlimited.url, retryConfig: { retries: 0 } });
      const channel = unlimited.addChannel({ name: 'room' });
      for (let i = 0; i < 10; i += 1) await loose.chat.postMessage({ channel, text: `m${i}` });
      expect(unlimited.callsTo('chat.postMessage').map((c) => c.status)).toEqual(Array(10).fill(200));
    } finally {
      await unlimited.close();
    }
  });
});
