import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStepUsers } from '../durability/support.js';
import { spawnBot, type BotProcess } from '../support/bot-process.js';
import { BOT_TOKEN, eventually, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';
import {
  allExhausted,
  type Declared,
  declareOn,
  faultsConfig,
  pageDeliveredAt,
  STEP_USERS,
  seconds,
  tallyPages,
  writeFaultsConfig,
} from './support.js';

/**
 * One of two worker processes (`npm run worker`) SIGKILLed while it runs escalation steps: with
 * the default lock (JOB_LOCK_MS 10 s), the other worker finds the stalled jobs and runs them, and
 * every step pages once. To be sure the killed worker holds steps, the edge (the in-process bot,
 * which runs workers too) is stopped while they fall due, and their page DMs hang in Slack; the
 * second worker starts once they hang, so only the killed one holds them.
 */
const WAIT_MINUTES = 0.1; // 6 s between steps
let h: Harness;
let dir: string;
const workers: BotProcess[] = [];

function startWorker(configPath: string): BotProcess {
  const worker = spawnBot(
    {
      DATABASE_URL: h.config.DATABASE_URL ?? '',
      REDIS_URL: h.config.REDIS_URL ?? '',
      QUEUE_PREFIX: h.config.QUEUE_PREFIX,
      SLACK_API_URL: h.fake.url,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      INCIDENT_FEED_CHANNEL: h.feedChannelId,
      PORT: '0',
      MERIDIAN_CONFIG: configPath,
    },
    { args: ['--worker'] },
  );
  workers.push(worker);
  return worker;
}

beforeAll(async () => {
  h = await startHarness(import.meta.url, { meridian: faultsConfig({ waitMinutes: WAIT_MINUTES }) });
  addStepUsers(h);
  dir = mkdtempSync(path.join(tmpdir(), 'meridian-faults-workers-'));
}, 60_000);
afterAll(async () => {
  for (const w of workers) await w.kill();
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a worker killed mid-escalation', () => {
  it('when a worker holding steps is SIGKILLed, then the other worker runs them and every step pages once', async () => {
    const configPath = writeFaultsConfig(dir, { waitMinutes: WAIT_MINUTES });
    const first = startWorker(configPath);
    await first.ready;
    const declared: Declared[] = [];
    for (let n = 0; n < 4; n += 1) declared.push(await declareOn(h, h.db, `Worker killed ${n}`));
    for (const incident of declared)
      await eventually(() => pageDeliveredAt(h.fake, incident, 0), `step 1 of INC-${incident.number}`, 10_000);
    await h.stopBot();

    h.fake.fail('chat.postMessage', { kind: 'hang' }, { times: 1000, when: (args) => args.channel === STEP_USERS[1] });
    const hung = () => h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === STEP_USERS[1] && c.status === 0);
    await eventually(() => hung().length >= declared.length, 'step 2 of every escalation to hang in the first worker', 15_000);
    const second = startWorker(configPath);
    await second.ready;

    await first.kill('SIGKILL');
    const killedAt = Date.now();
    h.fake.clearFaults();
    await allExhausted(h.db, declared, 45_000);
    const orphanedDone = Math.max(...declared.map((i) => pageDeliveredAt(h.fake, i, 1) ?? 0)) - killedAt;

    // The edge again, and a sentinel escalation declared after the others ended.
    await h.restart();
    const sentinel = await declareOn(h, h.db, 'Sentinel after the kill');
    await allExhausted(h.db, [sentinel], 30_000);

    const tally = tallyPages(h.fake, [...declared, sentinel]);
    console.log(
      `faults: worker killed: ${tally.delivered} pages of ${tally.expected}, ${tally.lost} lost, ${tally.doubled} doubled, ` +
        `${declared.length} steps orphaned by the kill, the last one paged ${seconds(orphanedDone)} s after the kill (JOB_LOCK_MS 10 s, target 15 s)`,
    );
    expect(tally.perIncident, second.output().slice(-3000)).toEqual(
      Object.fromEntries(Object.keys(tally.perIncident).map((k) => [k, [1, 1, 1]])),
    );
    expect(orphanedDone).toBeLessThan(15_000);
  }, 120_000);
});
