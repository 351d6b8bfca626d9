import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { incidents } from '../../src/db/schema/index.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';

/** SEV1 pages one responder at once; SEV3 pages nobody (only channel set-ups). */
const CONFIG = `
escalation_policies:
  - id: direct
    steps:
      - notify: [{ user: U0RESP0001 }]
        wait_minutes: 30
severities:
  sev1: { label: "SEV1 Critical", policy: direct }
  sev2: { label: "SEV2 Major" }
  sev3: { label: "SEV3 Minor" }
  sev4: { label: "SEV4 Low" }
`;

/** Slack's limits x10, in the fake and in the bot: chat.postMessage 10/s per channel with a burst of 30. */
const SCALE = 10;

let h: Harness;
let seq = 0;

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, { meridian: parsed.config, env: { SLACK_RATE_SCALE: String(SCALE) } });
  h.fake.addUser({ id: 'U0RESP0001', name: 'responder', tz: 'Europe/Dublin' });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.fake.reset();
  h.fake.enforceRateLimits(true, { scale: SCALE });
});

function submit(title: string, severity: string) {
  seq += 1;
  return h.submitView({
    id: `V0PACE${String(seq).padStart(4, '0')}`,
    callback_id: 'declare_incident',
    state: declareState({ title, severity, category: 'harmful-trend' }),
  });
}

async function setUp(title: string) {
  return eventually(
    async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
      return row?.cardTs ? row : undefined;
    },
    `incident "${title}" to be set up`,
    20_000,
  );
}

describe('pacing to Slack rate limits', () => {
  it('when 45 incidents are declared at once, then each gets its channel and card and Slack answers no 429', async () => {
    const titles = Array.from({ length: 45 }, (_, i) => `Burst ${i}`);
    const replies = await Promise.all(titles.map((t) => submit(t, 'sev3')));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    const rows = await Promise.all(titles.map(setUp));
    // Every announcement reached the feed: 45 posts on one channel's 10/s with a burst of 30.
    await eventually(
      () => h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === h.feedChannelId && c.status === 200).length >= 45,
      'the 45 feed announcements',
      20_000,
    );
    for (const row of rows) {
      expect(h.fake.callsTo('conversations.create').filter((c) => c.status === 200 && c.args.name === row.channelName)).toHaveLength(1);
      expect(h.fake.channel(row.channelId!)?.pins.size).toBe(1);
    }
    expect(h.fake.calls.filter((c) => c.status === 429)).toEqual([]);
    // The feed posts were spread out by the pacer, not bounced by Slack: the last ones waited their turn.
    const feed = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === h.feedChannelId);
    expect(feed.at(-1)!.at - feed[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('when a SEV1 is declared behind 60 queued channel set-ups, then its page DM goes out before they are done', async () => {
    const titles = Array.from({ length: 60 }, (_, i) => `Queued ${i}`);
    await Promise.all(titles.map((t) => submit(t, 'sev3')));
    // The set-ups are under way, and their feed posts pile up behind the feed channel's 10/s.
    await eventually(
      () => h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === h.feedChannelId).length >= 10,
      'set-ups to start',
      10_000,
    );
    const sentAt = Date.now();
    expect((await submit('Child-safety escalation', 'sev1')).status).toBe(200);
    const dm = await eventually(
      () => h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0RESP0001' && c.status === 200),
      'the page DM',
      20_000,
    );
    expect(dm.at - sentAt).toBeLessThan(1500);
    await Promise.all(titles.map(setUp));
    const feed = await eventually(
      () => {
        const posts = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === h.feedChannelId && c.status === 200);
        return posts.length >= 61 ? posts : undefined;
      },
      'every feed announcement',
      20_000,
    );
    // Many set-ups finished after the page: it did not wait for the queue to drain.
    expect(feed.filter((c) => c.at > dm.at).length).toBeGreaterThanOrEqual(10);
    expect(h.fake.calls.filter((c) => c.status === 429)).toEqual([]);
  });
});
