import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { escalations, incidents } from '../../src/db/schema/index.js';
import { createLogger } from '../../src/log.js';
import { BOT_TOKEN, declareState, eventually, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';
import { addStepUsers, dmsTo, durabilityConfig, STEP_USERS } from '../durability/support.js';

/**
 * A whole private incident at LOG_LEVEL=trace, with a Slack failure and a forged intake request
 * on the way: no token, signing secret, intake secret, review token or private title, summary or
 * note text reaches any log line.
 */
const INTAKE_SECRET = 'intake-secret-do-not-log-4242';
const REVIEW_TOKEN = 'review-token-do-not-log-4242';
const TITLE = 'Zq7 private leak of a minor account';
const SUMMARY = 'Zq7 summary: names and handles';
const NOTE = 'Zq7 note with a handle';
const lines: string[] = [];
let h: Harness;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  h = await startHarness(import.meta.url, {
    meridian: durabilityConfig({ firstWaitMinutes: 60 }),
    env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET, REVIEW_API_TOKEN: REVIEW_TOKEN },
    channels: { INTAKE_CHANNEL: 'intake-triage' },
    logger: createLogger('trace', sink),
  });
  addStepUsers(h);
});
afterAll(async () => {
  await h?.close();
});

describe('logs at trace level', () => {
  it('when a private incident is declared, paged, noted, acknowledged and mitigated, then no secret and none of its text is in any log line', async () => {
    // One Slack failure on the way, so error paths log too.
    h.fake.fail('chat.postMessage', { kind: 'http', status: 500 });
    const reply = await h.submitView({
      id: 'V0LOGSECRET1',
      callback_id: 'declare_incident',
      state: declareState({ title: TITLE, severity: 'sev1', category: 'harmful-trend', summary: SUMMARY, private: true }),
    });
    expect(reply.status).toBe(200);
    const incident = await eventually(
      async () => (await h.db.select().from(incidents).where(eq(incidents.title, TITLE)))[0],
      'the incident',
    );
    const withChannel = await eventually(async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.id, incident.id));
      return row?.channelId ? row : undefined;
    }, 'its channel');
    const dm = await eventually(() => dmsTo(h, STEP_USERS[0], incident)[0], 'the page');
    await h.command(`note ${NOTE}`, { userId: 'U0DECL001', channelId: withChannel.channelId! });
    const blocks = dm.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
    const pageId = blocks.find((b) => b.type === 'actions')!.elements!.find((e) => e.action_id === 'page_ack')!.value;
    await h.clickButton({ actionId: 'page_ack', value: pageId, userId: STEP_USERS[0] });
    await eventually(
      async () => (await h.db.select().from(escalations).where(eq(escalations.incidentId, incident.id)))[0]?.status === 'acknowledged',
      'the acknowledgement',
    );
    await h.command('mitigate', { userId: 'U0DECL001', channelId: withChannel.channelId! });
    // A forged intake report and a review fetch with a wrong token.
    const base = h.eventsUrl.replace('/slack/events', '');
    await fetch(`${base}/api/intake`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-meridian-signature': 'v0=00', 'x-meridian-request-timestamp': '1' },
      body: JSON.stringify({ title: TITLE }),
    });
    await fetch(`${base}/reviews/INC-${incident.number}`, { headers: { authorization: `Bearer ${REVIEW_TOKEN}x` } });

    expect(lines.length).toBeGreaterThan(20);
    // Below info was written too (the logger is at trace): debug lines of retries and attempts.
    expect(lines.some((l) => /"level":(10|20),/.test(l))).toBe(true);
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, INTAKE_SECRET, REVIEW_TOKEN, TITLE, SUMMARY, NOTE, 'Zq7']) {
      const leaks = lines.filter((l) => l.includes(secret));
      expect(leaks, `"${secret}" in the logs`).toEqual([]);
    }
  });
});
