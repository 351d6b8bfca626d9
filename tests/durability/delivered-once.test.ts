import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { escalations, incidents, pages } from '../../src/db/schema/index.js';
import type { BotProcess } from '../support/bot-process.js';
import { eventually, startHarness, type Harness, LOST_ANSWER_MS } from '../support/meridian-harness.js';
import { addStepUsers, declare, dmsTo, durabilityConfig, STEP_USERS, spawnDurabilityBot } from './support.js';

/**
 * Exactly once as people see it: a page DM Slack accepted whose answer never reached the bot
 * (a timeout, or the process killed before it recorded the ts) is found by its metadata tag
 * and adopted; the person sees one DM. Counted in the fake Slack's DM, not in calls.
 */
const LOCK_MS = 2000;
let h: Harness;
let child: BotProcess | undefined;
let dir: string;

beforeAll(async () => {
  h = await startHarness(import.meta.url, {
    meridian: durabilityConfig({ firstWaitMinutes: 0.02 }),
    env: { JOB_LOCK_MS: String(LOCK_MS), SLACK_TIMEOUT_MS: LOST_ANSWER_MS },
    reconcileEveryMs: 60_000,
  });
  addStepUsers(h);
  dir = mkdtempSync(path.join(tmpdir(), 'meridian-once-'));
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

/** Page DMs (with the Acknowledge button) for this incident in the user's DM, as the person sees them. */
function pageDmsSeen(userId: string, incident: { number: number }) {
  const dm = h.fake.channel(h.fake.dmChannelId(userId));
  return (dm?.messages ?? []).filter(
    (m) => JSON.stringify(m.blocks ?? '').includes('page_ack') && m.text.includes(`INC-${incident.number} `),
  );
}

const toStep = (i: number) => (args: Record<string, unknown>) => args.channel === STEP_USERS[i];

async function exhausted(incidentId: string) {
  await eventually(
    async () => (await h.db.select().from(escalations).where(eq(escalations.incidentId, incidentId)))[0]?.status === 'exhausted',
    'the escalation to end',
    30_000,
  );
}

describe('a page DM Slack accepted but the bot never heard back about', () => {
  it('when the answer is lost and the call times out, then the retry adopts the tagged DM: one DM, its ts recorded', async () => {
    h.fake.fail('chat.postMessage', { kind: 'lose-answer' }, { when: toStep(1) });
    const incident = await declare(h, 'Lost answer to a page DM');
    await exhausted(incident.id);
    const seen = pageDmsSeen(STEP_USERS[1], incident);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.metadata).toEqual({ event_type: 'meridian_delivery', event_payload: { key: expect.stringMatching(/^page:/) } });
    const [page] = await h.db
      .select()
      .from(pages)
      .where(and(eq(pages.incidentId, incident.id), eq(pages.stepNumber, 1)));
    expect(page!.dmTs).toBe(seen[0]!.ts);
    // The one chat.postMessage to step 2's person, and the look-up that found it.
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === STEP_USERS[1])).toHaveLength(1);
    expect(h.fake.callsTo('conversations.history').some((c) => c.args.include_all_metadata !== undefined)).toBe(true);
    expect(pageDmsSeen(STEP_USERS[0], incident)).toHaveLength(1);
    expect(pageDmsSeen(STEP_USERS[2], incident)).toHaveLength(1);
  }, 40_000);

  it('when the process is SIGKILLed after Slack accepted the DM and before the bot recorded it, then after restart the person still has one DM', async () => {
    const incident = await declare(h, 'Killed between accept and record');
    await eventually(() => dmsTo(h, STEP_USERS[0], incident)[0], 'the first page');
    await h.stopBot();

    h.fake.fail('chat.postMessage', { kind: 'lose-answer' }, { when: toStep(1) });
    child = spawnDurabilityBot(h, dir, { JOB_LOCK_MS: String(LOCK_MS) });
    await child.ready;
    await eventually(() => pageDmsSeen(STEP_USERS[1], incident)[0], 'Slack to accept step 2’s DM', 10_000);
    await child.kill('SIGKILL');
    const [before] = await h.db
      .select()
      .from(pages)
      .where(and(eq(pages.incidentId, incident.id), eq(pages.stepNumber, 1)));
    expect(before!.dmTs).toBeNull();
    h.fake.clearFaults();

    await h.restart();
    await exhausted(incident.id);
    const seen = pageDmsSeen(STEP_USERS[1], incident);
    expect(seen).toHaveLength(1);
    const [after] = await h.db.select().from(pages).where(eq(pages.id, before!.id));
    expect(after!.dmTs).toBe(seen[0]!.ts);
    expect(pageDmsSeen(STEP_USERS[2], incident)).toHaveLength(1);
  }, 60_000);

  it('when the "paged" line fails after its pages were claimed, then the retried step still posts it, once', async () => {
    const isLine = (args: Record<string, unknown>) =>
      String(args.text).startsWith(':pager: Paged') && String(args.text).includes(STEP_USERS[1]);
    // More failures than the gateway's attempts: the step's job fails after claiming the line, and runs again.
    h.fake.fail('chat.postMessage', { kind: 'http', status: 500 }, { times: 4, when: isLine });
    const incident = await declare(h, 'Lost announcement of a page');
    await exhausted(incident.id);
    const [row] = await h.db.select().from(incidents).where(eq(incidents.id, incident.id));
    const channel = h.fake.channel(row?.channelId ?? '');
    const lines = (channel?.messages ?? []).filter((m) => m.text.startsWith(':pager: Paged') && m.text.includes(STEP_USERS[1]));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.metadata).toMatchObject({ event_payload: { key: expect.stringMatching(/^announce:/) } });
  }, 60_000);
});
