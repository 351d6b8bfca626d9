import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';

/** canvases.create and canvases.edit in the fake, with Slack's documented shapes and errors, through Slack's own client. */
let fake: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  fake = await startFakeSlack({ rateLimits: { scale: 100 } });
  client = new WebClient(fake.token, { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
});
afterAll(async () => {
  await fake.close();
});

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (err: { data?: { error?: string } }) => err.data?.error ?? 'thrown',
  );

describe('fake Slack canvases', () => {
  it('when a canvas is created in a channel and edited, then it holds the Markdown written; bad content, a missing canvas or a section it cannot find are refused as Slack does', async () => {
    const channel = fake.addChannel({ name: 'inc-1', botIsMember: true });
    const created = await client.canvases.create({
      channel_id: channel,
      title: 'INC-1 review',
      document_content: { type: 'markdown', markdown: '# One' },
    });
    const id = String(created.canvas_id);
    expect(fake.canvases()).toEqual([{ id, title: 'INC-1 review', markdown: '# One', channelId: channel, edits: 0 }]);

    await client.canvases.edit({
      canvas_id: id,
      changes: [{ operation: 'replace', document_content: { type: 'markdown', markdown: '# Two' } }],
    });
    await client.canvases.edit({
      canvas_id: id,
      changes: [{ operation: 'insert_at_end', document_content: { type: 'markdown', markdown: 'tail' } }],
    });
    expect(fake.canvases()[0]).toMatchObject({ markdown: '# Two\ntail', edits: 2 });

    const bad = { type: 'html', markdown: '<b>x</b>' } as unknown as { type: 'markdown'; markdown: string };
    expect(await code(client.canvases.create({ channel_id: channel, document_content: bad }))).toBe('invalid_document_content');
    expect(await code(client.canvases.create({ channel_id: 'C0NOPE', title: 'x' }))).toBe('channel_not_found');
    const change = { operation: 'replace' as const, document_content: { type: 'markdown' as const, markdown: 'x' } };
    expect(await code(client.canvases.edit({ canvas_id: 'F0NOPE', changes: [change] }))).toBe('canvas_not_found');
    expect(await code(client.canvases.edit({ canvas_id: id, changes: [{ ...change, section_id: 'temp:C:AAA' }] }))).toBe(
      'canvas_editing_failed',
    );
    expect(
      await code(
        client.canvases.edit({
          canvas_id: id,
          changes: [{ operation: 'replace', document_content: { type: 'markdown', markdown: 'x'.repeat(1_048_577) } }],
        }),
      ),
    ).toBe('invalid_document_content');
    // Nothing refused changed anything.
    expect(fake.canvases()).toHaveLength(1);
    expect(fake.canvases()[0]).toMatchObject({ markdown: '# Two\ntail', edits: 2 });
  });
});
