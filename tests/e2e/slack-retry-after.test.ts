import { PassThrough } from 'node:stream';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { incidents } from '../../src/db/schema/index.js';
import { createLogger } from '../../src/log.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';

/**
 * Slack's own limits (SLACK_RATE_SCALE 1, in the bot and the fake): conversations.create is Tier 2,
 * about 20 a minute, one every 3 s once its burst is spent. After a 429 the call goes again as soon
 * as Retry-After has passed, not a pacing interval or two later (issue 26 item 4).
 */
const CONFIG = `
severities:
  sev1: { label: "SEV1 Critical" }
  sev2: { label: "SEV2 Major" }
  sev3: { label: "SEV3 Minor" }
  sev4: { label: "SEV4 Low" }
`;

let h: Harness;
const lines: Array<{ level: number; msg: string }> = [];

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { level: number; msg: string });
  });
  h = await startHarness(import.meta.url, { meridian: parsed.config, env: { SLACK_RATE_SCALE: '1' }, logger: createLogger('info', sink) });
  h.fake.enforceRateLimits(true, { scale: 1 });
});
afterAll(async () => {
  await h?.close();
});

describe("Slack's Retry-After", () => {
  it('when conversations.create answers 429 with Retry-After 1 s three times, then the channel exists less than 5 s after the declaration, and start-up never fell back from Redis pacing', async () => {
    h.fake.fail('conversations.create', { kind: 'ratelimited', retryAfterSeconds: 1 }, { times: 3 });
    const sentAt = Date.now();
    const reply = await h.submitView({
      id: 'V0RETRY0001',
      callback_id: 'declare_incident',
      state: declareState({ title: 'Retry-After', severity: 'sev3', category: 'harmful-trend' }),
    });
    expect(reply.status).toBe(200);
    const row = await eventually(
      async () => {
        const [r] = await h.db.select().from(incidents).where(eq(incidents.title, 'Retry-After'));
        return r?.channelId ? r : undefined;
      },
      'the channel',
      30_000,
    );
    const creates = h.fake.callsTo('conversations.create');
    expect(creates.map((c) => c.status)).toEqual([429, 429, 429, 200]);
    const createdAt = creates.at(-1)!.at;
    console.log(
      `Retry-After: channel created ${createdAt - sentAt} ms after the declaration; gaps ${creates
        .slice(1)
        .map((c, i) => c.at - creates[i]!.at)
        .join(', ')} ms`,
    );
    expect(createdAt - sentAt).toBeLessThan(5000);
    // Each retry waited Slack's second, and not much more.
    for (let i = 1; i < creates.length; i += 1) expect(creates[i]!.at - creates[i - 1]!.at).toBeGreaterThanOrEqual(1000);
    expect(h.fake.channel(row.channelId!)).toBeDefined();
    expect(lines.filter((l) => l.msg.includes('Slack pacing falls back'))).toEqual([]);
  });
});
