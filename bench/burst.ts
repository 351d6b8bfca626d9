/**
 * Burst bench (issue "Pace to Slack's limits"): 100 declarations in 20 s against the fake Slack
 * with Slack's rate limits on, each tier's allowance scaled 10x (chat.postMessage 10/s per
 * channel), the bot paced to the same scaled limits (SLACK_RATE_SCALE=10). Run twice: pacing off
 * (the bot as before: 429s waited out) and on.
 *
 * Floor: the least time the limits allow for the calls the bot made. For each of the fake's
 * buckets (per method; chat.postMessage per channel), (calls beyond the burst capacity) / rate,
 * counted from the first submission; the floor is the largest of those, and never less than the
 * submissions' own spread (the last one is sent 20 s after the first). Drained: the last Slack
 * call of the burst (the log is quiet for QUIET_MS after every incident had its channel and card).
 *
 * The bot runs in a child process (this file, with BENCH_BURST_SUT set), as in escalation-run.ts.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { count, isNotNull } from 'drizzle-orm';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { defaultMeridianConfig } from '../src/config-file/load.js';
import { incidents } from '../src/db/schema/index.js';
import { startMeridian } from '../src/runtime.js';
import { METHODS } from '../src/sandbox/slack/methods/index.js';
import { limitKey, ruleFor } from '../src/sandbox/slack/rate-limits.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../tests/fakes/fake-slack.js';
import { ADMIN_DATABASE_URL, ensureTestInfrastructure, TEST_REDIS_URL } from '../tests/support/infra.js';
import { BOT_TOKEN, declareState, flushPrefix, SIGNING_SECRET } from '../tests/support/meridian-harness.js';
import { signSlackRequest, viewSubmissionBody } from '../tests/support/slack-requests.js';
import { createTestDatabase, testQueuePrefix } from '../tests/support/test-database.js';
import { forkTs } from './child.js';
import { keepAliveAgent, post } from './load.js';
import { describeMachine, machineLines, writeSection } from './report.js';
import { markdownTable } from './stats.js';

const COUNT = Number(process.env.BENCH_BURST_COUNT ?? 100);
/** The issue's burst (100 in 20 s), and the same squeezed into 2 s, where the limits bind. */
const SPREADS_MS = (process.env.BENCH_BURST_SPREAD_S ?? '20,2').split(',').map((x) => Number(x) * 1000);
const SCALE = Number(process.env.BENCH_BURST_SCALE ?? 10);
const QUIET_MS = 3000;
const DEADLINE_MS = 180_000;
const RATIO_TARGET = 1.1;
const RATE_429_TARGET = 0.1;
const BENCHMARKS_FILE = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

interface SutConfig {
  slackApiUrl: string;
  databaseUrl: string;
  queuePrefix: string;
  feedChannelId: string;
  pacing: 'on' | 'off';
}
type FromSut = { type: 'ready'; port: number } | { type: 'stopped' } | { type: 'failed'; error: string };
type ToSut = { type: 'stop' };

const GENEROUS = { perUserPerHour: 100_000, perTeamPerHour: 100_000 };

/** Child mode: the real bot, as main.ts wires it, paced (or not) to Slack's limits x SCALE. */
async function runSut(cfg: SutConfig): Promise<void> {
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: cfg.slackApiUrl,
    DATABASE_URL: cfg.databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    PORT: '0',
    INCIDENT_FEED_CHANNEL: cfg.feedChannelId,
    QUEUE_PREFIX: cfg.queuePrefix,
    LOG_LEVEL: 'silent',
    SLACK_RATE_SCALE: String(SCALE),
    SLACK_PACING: cfg.pacing,
  });
  const meridian = defaultMeridianConfig();
  const runtime = await startMeridian(config, {
    logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }),
    // One person declares them all: the hourly limits would refuse most of the burst.
    meridian: { ...meridian, limits: { declare: GENEROUS, escalate: GENEROUS, review: GENEROUS, override: GENEROUS } },
  });
  process.on('message', (msg: ToSut) => {
    if (msg.type === 'stop') {
      void runtime.close().finally(() => {
        process.send?.({ type: 'stopped' } satisfies FromSut);
        setTimeout(() => process.exit(0), 50);
      });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', port: runtime.port } satisfies FromSut);
}

interface PhaseResult {
  pacing: 'on' | 'off';
  spreadMs: number;
  drainS: number;
  floorS: number;
  floorKey: string;
  /** The floor with each bucket counted from its first call. */
  floorFromFirstCallS: number;
  calls: number;
  rateLimited: number;
  incidents: number;
  channelsOnce: number;
  cardsOnce: number;
  refused: number;
}

/** The floor the fake's buckets set for `calls` (successful ones), from `t0`. */
function floorOf(calls: readonly RecordedCall[], t0: number, spreadMs: number): { floorS: number; key: string; fromFirstCallS: number } {
  const perKey = new Map<string, { n: number; capacity: number; perMs: number; firstAt: number }>();
  for (const c of calls) {
    if (c.status !== 200 || c.at < t0) continue;
    const tier = METHODS.get(c.method)?.tier;
    if (tier === undefined) continue; // uploads of bytes: not a rate-limited method
    const key = limitKey(c.method, tier, typeof c.args['channel'] === 'string' ? c.args['channel'] : undefined);
    const rule = ruleFor(tier, SCALE);
    const entry = perKey.get(key) ?? { n: 0, capacity: rule.capacity, perMs: rule.refillPerMs, firstAt: c.at };
    entry.n += 1;
    perKey.set(key, entry);
  }
  let best = { floorS: spreadMs / 1000, key: 'the submissions themselves (spread)' };
  // The same, but each bucket's count starts at its first call (the bot's own latency before it is not the limits').
  let fromFirstCallS = spreadMs / 1000;
  for (const [key, e] of perKey) {
    const s = Math.max(0, e.n - e.capacity) / e.perMs / 1000;
    if (s > best.floorS) best = { floorS: s, key: `${key} (${e.n} calls)` };
    fromFirstCallS = Math.max(fromFirstCallS, (e.firstAt - t0) / 1000 + s);
  }
  return { ...best, fromFirstCallS };
}

async function runPhase(pacing: 'on' | 'off', spreadMs: number): Promise<PhaseResult> {
  const fake: FakeSlack = await startFakeSlack({ token: BOT_TOKEN, rateLimits: { scale: SCALE }, keepCalls: 200_000 });
  const feedChannelId = fake.addChannel({ name: 'incidents-feed', botIsMember: true });
  const phaseUrl = new URL(`./burst-${pacing}-${spreadMs}.ts`, import.meta.url).href;
  const database = await createTestDatabase(phaseUrl);
  const queuePrefix = testQueuePrefix(phaseUrl);
  await flushPrefix(queuePrefix);
  const cfg: SutConfig = { slackApiUrl: fake.url, databaseUrl: database.url, queuePrefix, feedChannelId, pacing };
  const bot = forkTs<ToSut, FromSut>(new URL(import.meta.url), {
    name: `meridian (pacing ${pacing})`,
    env: { BENCH_BURST_SUT: JSON.stringify(cfg) },
  });
  const agent = keepAliveAgent();
  try {
    const { port } = await bot.next('ready');
    fake.reset();
    const url = new URL(`http://127.0.0.1:${port}/slack/events`);
    const label = `${pacing}${Date.now().toString(36)}`;
    const t0 = Date.now();
    const start = performance.now();
    const replies: Array<Promise<{ status: number; text: string }>> = [];
    for (let i = 0; i < COUNT; i++) {
      const due = (i * spreadMs) / Math.max(1, COUNT - 1);
      const wait = due - (performance.now() - start);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const tag = `${label}-${String(i).padStart(4, '0')}`;
      const view = {
        id: `V0${tag.toUpperCase().replace(/[^A-Z0-9]/g, '')}`,
        callback_id: 'declare_incident',
        private_metadata: JSON.stringify({ originChannelId: 'C0GENERAL1' }),
        state: declareState({ title: `Burst ${tag}`, severity: 'sev2', category: 'harmful-trend', summary: 'npm run bench: burst' }),
      };
      const body = viewSubmissionBody({ userId: 'U0DECL001', view });
      const headers = {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(SIGNING_SECRET, Math.floor(Date.now() / 1000), body),
      };
      replies.push(post(agent, url, { body, headers }, 10_000).catch((err: unknown) => ({ status: 0, text: String(err) })));
    }
    const answers = await Promise.all(replies);
    const refused = answers.filter((a) => a.status !== 200 || a.text !== '').length;

    // Every incident's channel and pinned card, then quiet.
    const created = () => fake.calls.filter((c) => c.method === 'conversations.create' && c.status === 200);
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const channels = created().map((c) => (c.response as { channel?: { id?: string } }).channel?.id ?? '');
      const allCarded = channels.length >= COUNT - refused && channels.every((id) => (fake.channel(id)?.pins.size ?? 0) >= 1);
      const last = fake.calls.at(-1)?.at ?? 0;
      if (allCarded && Date.now() - last >= QUIET_MS) break;
      if (Date.now() > deadline) throw new Error(`burst bench (pacing ${pacing}): not drained within ${DEADLINE_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const calls = fake.calls.filter((c) => c.at >= t0);
    const drainS = ((calls.at(-1)?.at ?? t0) - t0) / 1000;
    if (process.env.BENCH_BURST_DEBUG === '1') {
      const feed = calls.filter((c) => c.method === 'chat.postMessage' && c.args['channel'] === feedChannelId);
      console.log('feed posts at (s):', feed.map((c) => ((c.at - t0) / 1000).toFixed(2)).join(' '));
      console.log(
        'last calls:',
        calls
          .slice(-6)
          .map((c) => `${c.method} ${((c.at - t0) / 1000).toFixed(2)}`)
          .join(', '),
      );
      const creates = calls.filter((c) => c.method === 'conversations.create');
      console.log('creates at (s):', creates.map((c) => ((c.at - t0) / 1000).toFixed(2)).join(' '));
    }
    const { floorS, key, fromFirstCallS } = floorOf(calls, t0, spreadMs);
    const creates = created();
    const names = new Map<string, number>();
    for (const c of creates) names.set(String(c.args['name']), (names.get(String(c.args['name'])) ?? 0) + 1);
    const channelIds = creates.map((c) => (c.response as { channel?: { id?: string } }).channel?.id ?? '');
    const pinsOnce = channelIds.filter(
      (id) => calls.filter((c) => c.method === 'pins.add' && c.status === 200 && c.args['channel'] === id).length === 1,
    ).length;
    const [withChannel] = await database.db.select({ n: count() }).from(incidents).where(isNotNull(incidents.channelId));
    return {
      pacing,
      spreadMs,
      drainS,
      floorS,
      floorKey: key,
      floorFromFirstCallS: fromFirstCallS,
      calls: calls.length,
      rateLimited: calls.filter((c) => c.status === 429).length,
      incidents: withChannel?.n ?? 0,
      channelsOnce: [...names.values()].filter((n) => n === 1).length,
      cardsOnce: pinsOnce,
      refused,
    };
  } finally {
    agent.destroy();
    await bot.stop({ type: 'stop' }).catch(() => {});
    await flushPrefix(queuePrefix).catch(() => {});
    await database.drop().catch((err: unknown) => console.error('could not drop the bench database', err));
    await fake.close();
  }
}

function render(results: PhaseResult[]): string {
  const rows = results.map((r) => [
    `${COUNT} in ${r.spreadMs / 1000} s`,
    r.pacing === 'on' ? 'paced (after)' : 'pacing off (before)',
    `${r.drainS.toFixed(1)} s`,
    `${r.floorS.toFixed(1)} s`,
    `${(r.drainS / r.floorS).toFixed(2)}x`,
    `${(r.drainS / r.floorFromFirstCallS).toFixed(2)}x`,
    `${r.rateLimited} / ${r.calls} (${((100 * r.rateLimited) / Math.max(1, r.calls)).toFixed(1)}%)`,
    `${r.incidents} / ${COUNT}`,
    `${r.channelsOnce} / ${r.cardsOnce}`,
  ]);
  const verdicts = results
    .filter((r) => r.pacing === 'on')
    .map(
      (after) =>
        `Target (${COUNT} in ${after.spreadMs / 1000} s): drained within ${RATIO_TARGET}x the floor with 429s on fewer than ${RATE_429_TARGET * 100}% of calls: ` +
        `${after.drainS / after.floorS <= RATIO_TARGET && after.rateLimited / after.calls < RATE_429_TARGET ? 'met' : 'missed'} ` +
        `(${(after.drainS / after.floorS).toFixed(2)}x, ${((100 * after.rateLimited) / after.calls).toFixed(1)}%).`,
    );
  return [
    `${COUNT} declarations (sev2: channel, topic, invite, card, pin, feed post, declarer notice) against the fake Slack with`,
    `Slack's limits x${SCALE} (tiers per method, chat.postMessage ${SCALE}/s per channel, burst ${ruleFor('special', SCALE).capacity}); the bot paced to the same.`,
    `Floor: per bucket (calls beyond the burst) / rate from the first submission, at least the submissions' spread;`,
    `"from first call": each bucket counted from its first call instead (the bot's latency before that is not the limits').`,
    `binding: ${results.map((r) => `${r.spreadMs / 1000} s ${r.pacing}: ${r.floorKey}`).join('; ')}.`,
    '',
    markdownTable(
      [
        'burst',
        'run',
        'drained',
        'floor',
        'drain / floor',
        'drain / floor from first call',
        '429s / calls',
        'incidents with a channel',
        'channels once / cards once',
      ],
      rows,
    ),
    '',
    ...verdicts,
  ].join('\n');
}

async function main(): Promise<void> {
  await ensureTestInfrastructure();
  const machine = await describeMachine(ADMIN_DATABASE_URL, TEST_REDIS_URL);
  const results: PhaseResult[] = [];
  for (const spreadMs of SPREADS_MS) {
    for (const pacing of ['off', 'on'] as const) {
      console.log(`burst: ${COUNT} declarations over ${spreadMs / 1000} s, limits x${SCALE}, pacing ${pacing} ...`);
      const r = await runPhase(pacing, spreadMs);
      console.log(r);
      results.push(r);
    }
  }
  const markdown = render(results);
  console.log(`\n${markdown}\n`);
  if (process.env.BENCH_NO_WRITE !== '1') {
    writeSection(BENCHMARKS_FILE, 'burst', ['## Burst against Slack rate limits', '', ...machineLines(machine), '', markdown].join('\n'));
    console.log('BENCHMARKS.md: burst section rewritten');
  }
}

const sut = process.env.BENCH_BURST_SUT;
(sut ? runSut(JSON.parse(sut) as SutConfig) : main()).catch((err: unknown) => {
  if (sut) process.send?.({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies FromSut);
  else console.error(err);
  process.exitCode = 1;
});
