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
 * Recovery time with the default settings (JOB_LOCK_MS 10 s, renewed at half, stall checks every
 * quarter lock): a step in flight when its process is SIGKILLed is finished by the restarted bot
 * within 15 s. Prints the measured figure. worker-crash.test.ts is the same story with a 2 s lock.
 */
let h: Harness;
let child: BotProcess | undefined;
let dir: string;

beforeAll(async () => {
  h = await startHarness(import.meta.url, {
    meridian: durabilityConfig(),
    reconcileEveryMs: 60_000,
  });
  addStepUsers(h);
  dir = mkdtempSync(path.join(tmpdir(), 'meridian-recovery-'));
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

describe('recovery with default settings', () => {
  it('when the process running a step is SIGKILLed mid-page, then the restarted bot delivers the page within 15 s, exactly once', async () => {
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
    child = spawnDurabilityBot(h, dir);
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
    const dm = await eventually(() => dmsTo(h, STEP_USERS[1], incident)[0], 'step 2 to page after stall recovery', 20_000);
    const recoveredMs = dm.at - killedAt;
    process.stdout.write(`recovery with default settings: the killed step paged ${(recoveredMs / 1000).toFixed(1)} s after SIGKILL\n`);
    expect(recoveredMs).toBeLessThan(15_000);

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
  }, 60_000);
});
