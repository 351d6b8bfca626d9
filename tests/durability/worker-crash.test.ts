import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { escalations, pages } from '../../src/db/schema/index.js';
import type { BotProcess } from '../support/bot-process.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import {
  ALL_STEPS,
  addStepUsers,
  declare,
  dmsTo,
  durabilityConfig,
  expectEachStepOnce,
  pendingStepsOf,
  STEP_USERS,
  spawnDurabilityBot,
} from './support.js';

/**
 * A worker process killed while it holds a job: BullMQ sees the job stalled once its lock
 * (JOB_LOCK_MS, 2 s here) runs out, another worker runs it, and the page is delivered once.
 * The killed worker is the real entry point, src/main.ts, in a child process.
 */
const LOCK_MS = 2000;
let h: Harness;
let child: BotProcess | undefined;
let dir: string;

beforeAll(async () => {
  h = await startHarness(import.meta.url, {
    meridian: durabilityConfig(),
    env: { JOB_LOCK_MS: String(LOCK_MS) },
    reconcileEveryMs: 60_000,
  });
  addStepUsers(h);
  dir = mkdtempSync(path.join(tmpdir(), 'meridian-crash-'));
});
afterEach(async () => {
  await child?.kill();
  child = undefined;
  h.fake.clearFaults();
});
afterAll(async () => {
  await child?.kill();
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a worker killed while it holds a job', () => {
  it('when the process running a step is SIGKILLed mid-page, then after stall recovery another worker delivers the page, exactly once', async () => {
    const incident = await declare(h, 'Worker killed mid-page');
    await eventually(() => dmsTo(h, STEP_USERS[0], incident)[0], 'the first page');
    // Only step 2 is left to run: the channel set-up and step 1 are finished.
    await eventually(async () => {
      const rows = await pendingStepsOf(h, incident.id);
      return rows.length === 1 && rows[0]!.kind === 'escalation-step';
    }, 'only the next step to be pending');
    await h.stopBot();

    // The child's first chat.postMessage is step 2's DM: Slack never answers it.
    h.fake.fail('chat.postMessage', { kind: 'hang' });
    child = spawnDurabilityBot(h, dir, { JOB_LOCK_MS: String(LOCK_MS) });
    await child.ready;
    const hung = await eventually(
      () => h.fake.callsTo('chat.postMessage').find((c) => c.status === 0 && c.args.channel === STEP_USERS[1]),
      "the child to be stuck sending step 2's DM",
      10_000,
    );
    // The child holds the job: the page is recorded, not yet sent.
    const [page] = await h.db
      .select()
      .from(pages)
      .where(and(eq(pages.incidentId, incident.id), eq(pages.stepNumber, 1)));
    expect(page!.dmTs).toBeNull();
    await child.kill('SIGKILL');
    const killedAt = Date.now();
    expect(hung.at).toBeLessThan(killedAt);
    h.fake.clearFaults();

    await h.restart();
    const dm = await eventually(() => dmsTo(h, STEP_USERS[1], incident)[0], 'step 2 to page after stall recovery', 12_000);
    // Stall detection takes one to three lock periods; the default 30 s lock would fail this.
    expect(dm.at - killedAt).toBeLessThan(4 * LOCK_MS + 2000);

    await eventually(
      async () => (await h.db.select().from(escalations).where(eq(escalations.incidentId, incident.id)))[0]?.status === 'exhausted',
      'the escalation to end',
      8000,
    );
    // Until the bot is idle (no job waiting, running or due, no due row: a stalled or re-added job
    // would show), then the count: nothing more can be sent.
    await h.idle();
    expect(await expectEachStepOnce(h, incident)).toEqual({ dms: [1, 1, 1], rows: ALL_STEPS });
    // Slack saw two attempts at step 2's DM: the one that hung, and the one delivered.
    expect(
      h.fake
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === STEP_USERS[1])
        .map((c) => c.status),
    ).toEqual([0, 200]);
    const [after] = await h.db.select().from(pages).where(eq(pages.id, page!.id));
    expect(after!.dmTs).toBe((dm.response as { ts: string }).ts);
  }, 40_000);
});
