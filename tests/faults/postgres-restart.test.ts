import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, inArray, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { scheduledActions } from '../../src/db/schema/index.js';
import { addStepUsers } from '../durability/support.js';
import { spawnBot, type BotProcess } from '../support/bot-process.js';
import { BOT_TOKEN, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';
import {
  allExhausted,
  type Declared,
  declareOn,
  faultsConfig,
  type PrivatePostgres,
  seconds,
  startPrivatePostgres,
  submitDeclaration,
  tallyPages,
  writeFaultsConfig,
} from './support.js';

/**
 * Postgres restarted mid-traffic: the bot (the real entry point, in a child process) runs on a
 * Postgres of this file's own, which the test stops for about 5 s while incidents are declared
 * and their escalations are paging. Meanwhile a person who asks gets a clear "try again in a
 * moment"; afterwards every step pages its person exactly once and nothing is left pending.
 */
const WAIT_MINUTES = 0.03; // 1.8 s between steps: each escalation pages for 3.6 s
const DOWN_MS = 5000;
const DB_DOWN = "Meridian can't reach its database right now; try again in a moment.";

let h: Harness;
let pg: PrivatePostgres;
let bot: BotProcess | undefined;
let botDb: DatabaseHandle | undefined;
let dir: string;
let eventsUrl: string;

beforeAll(async () => {
  pg = await startPrivatePostgres();
  // The harness gives the fake Slack and signed requests; its own in-process bot (on the shared
  // Postgres) is not the one under test, so it is stopped at once.
  h = await startHarness(import.meta.url, { meridian: faultsConfig({ waitMinutes: WAIT_MINUTES }) });
  await h.stopBot();
  addStepUsers(h);
  dir = mkdtempSync(path.join(tmpdir(), 'meridian-faults-pg-bot-'));
  bot = spawnBot({
    DATABASE_URL: pg.url,
    REDIS_URL: h.config.REDIS_URL ?? '',
    QUEUE_PREFIX: h.config.QUEUE_PREFIX,
    SLACK_API_URL: h.fake.url,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    INCIDENT_FEED_CHANNEL: h.feedChannelId,
    PORT: '0',
    MERIDIAN_CONFIG: writeFaultsConfig(dir, { waitMinutes: WAIT_MINUTES }),
  });
  eventsUrl = `http://127.0.0.1:${await bot.ready}/slack/events`;
  botDb = await openDatabase({ url: pg.url, dataDir: '/nonexistent', maxConnections: 2 });
}, 60_000);
afterAll(async () => {
  await bot?.kill();
  await botDb?.close().catch(() => {});
  await h?.close();
  await pg?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Postgres restarted mid-traffic', () => {
  it('when Postgres is down for 5 s while escalations page, then requests meanwhile get "try again in a moment", and afterwards every step pages once', async () => {
    const db = botDb!.db;
    const declared: Declared[] = [];
    for (let n = 0; n < 6; n += 1) {
      declared.push(await declareOn(h, db, `Before the restart ${n}`, eventsUrl));
      await pause(400);
    }

    await pg.stop();
    const downAt = Date.now();
    h.eventsUrl = eventsUrl;
    // A command answered from the database: the ephemeral answer says what happened, in time.
    const asked = Date.now();
    const list = await h.command('list');
    const listMs = Date.now() - asked;
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining(DB_DOWN) });
    // A declaration: the modal stays open and says so, inline.
    const refused = await submitDeclaration(h, 'Declared while Postgres was down', eventsUrl);
    expect(refused.status).toBe(200);
    expect(refused.json).toMatchObject({ response_action: 'errors' });
    expect(JSON.stringify(refused.json)).toContain(DB_DOWN);
    await pause(Math.max(0, DOWN_MS - (Date.now() - downAt)));
    await pg.start();
    const upAt = Date.now();
    const downS = (upAt - downAt) / 1000;

    for (let n = 0; n < 6; n += 1) {
      declared.push(await declareOn(h, db, `After the restart ${n}`, eventsUrl));
      await pause(400);
    }
    await allExhausted(db, declared, 45_000);
    // The positive sentinel: one more escalation, declared after all the others ended, pages its
    // three steps; any late duplicate of an earlier page would have been sent by then.
    const sentinel = await declareOn(h, db, 'Sentinel after the restart', eventsUrl);
    await allExhausted(db, [sentinel], 20_000);

    const tally = tallyPages(h.fake, [...declared, sentinel]);
    const firstPageAfter = Math.min(
      ...h.fake
        .callsTo('chat.postMessage')
        .filter((c) => c.at >= upAt && c.status === 200 && JSON.stringify(c.args.blocks ?? '').includes('page_ack'))
        .map((c) => c.at),
    );
    const pendingRows = () =>
      db
        .select()
        .from(scheduledActions)
        .where(
          and(
            inArray(
              scheduledActions.incidentId,
              declared.map((d) => d.id),
            ),
            eq(scheduledActions.status, 'pending'),
            ne(scheduledActions.kind, 'update-reminder'),
          ),
        );
    // Pages run before channel set-ups (job priorities): on a loaded machine the last set-up can
    // still be running when the last escalation ends. Nothing may stay pending: give it 10 s.
    let pending = await pendingRows();
    for (const until = Date.now() + 10_000; pending.length > 0 && Date.now() < until; pending = await pendingRows()) await pause(250);
    console.log(
      `faults: postgres restart: ${tally.delivered} pages of ${tally.expected}, ${tally.lost} lost, ${tally.doubled} doubled, down ${downS.toFixed(1)} s, ` +
        `resumed ${seconds(firstPageAfter - upAt)} s after it was back; /incident list answered in ${listMs} ms while it was down`,
    );
    expect(tally.perIncident, bot!.output().slice(-4000)).toEqual(
      Object.fromEntries(Object.keys(tally.perIncident).map((k) => [k, [1, 1, 1]])),
    );
    expect(pending, bot!.output().slice(-4000)).toEqual([]);
    expect(listMs).toBeLessThan(3000);
    const health = await fetch(`http://127.0.0.1:${await bot!.ready}/healthz`);
    expect(health.status).toBe(200);
  }, 120_000);
});
