import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { signSlackRequest, slashCommandBody, viewSubmissionBody } from '../support/slack-requests.js';
import { declareState, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(import.meta.url);
});
afterAll(async () => {
  await h?.close();
});

const validSubmission = () =>
  viewSubmissionBody({
    userId: 'U0DECL001',
    view: {
      id: 'V0SEC0001',
      callback_id: 'declare_incident',
      state: declareState({ title: 'Should never exist', severity: 'sev1', category: 'other' }),
    },
  });

async function post(body: string, headers: object, contentType = 'application/x-www-form-urlencoded') {
  const res = await fetch(h.eventsUrl, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(headers as Record<string, string>) },
    body,
  });
  return { status: res.status, text: await res.text() };
}

async function incidentCount(): Promise<number> {
  const result = (await h.db.execute(sql`select count(*)::int as n from incidents`)) as unknown as Array<{ n: number }>;
  return result[0]!.n;
}

describe('requests that are not from Slack', () => {
  it('when the signature is wrong, then 401 and nothing is written or called', async () => {
    const body = validSubmission();
    const headers = signSlackRequest('not-the-secret', Math.floor(Date.now() / 1000), body);
    const res = await post(body, headers);
    expect(res.status).toBe(401);
    expect(await incidentCount()).toBe(0);
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('when the signature headers are missing, then 401', async () => {
    expect((await post(validSubmission(), {})).status).toBe(401);
    expect(await incidentCount()).toBe(0);
  });

  it('when the timestamp is more than 5 minutes old, then 401 even with a valid signature', async () => {
    const body = validSubmission();
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await post(body, signSlackRequest(SIGNING_SECRET, stale, body));
    expect(res.status).toBe(401);
    expect(await incidentCount()).toBe(0);
  });

  it('when a signed body is malformed, then 400 and the bot keeps serving', async () => {
    const body = 'payload=%7Bnot-json';
    const res = await post(body, signSlackRequest(SIGNING_SECRET, Math.floor(Date.now() / 1000), body));
    expect(res.status).toBe(400);
    const json = '{"type": "event_callback", ';
    const res2 = await post(json, signSlackRequest(SIGNING_SECRET, Math.floor(Date.now() / 1000), json), 'application/json');
    expect(res2.status).toBe(400);
    expect(await incidentCount()).toBe(0);
    const health = await fetch(h.eventsUrl.replace('/slack/events', '/healthz'));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'up', redis: 'up' });
  });
});

describe('/incident help', () => {
  it('when help is asked, then a short help comes back only to the caller', async () => {
    const res = await h.command('help');
    const json = JSON.parse(res.text) as { response_type: string; text: string };
    expect(json.response_type).toBe('ephemeral');
    expect(json.text).toContain('/incident declare');
  });

  it('when the subcommand is unknown, then the help names it', async () => {
    const res = await h.command('frobnicate now');
    const json = JSON.parse(res.text) as { response_type: string; text: string };
    expect(json.response_type).toBe('ephemeral');
    expect(json.text).toContain("I don't know `frobnicate`");
  });

  it('a slash command signed correctly is accepted (the signing in these tests is real)', async () => {
    const body = slashCommandBody({
      command: '/incident',
      text: 'help',
      userId: 'U0DECL001',
      channelId: 'C0GENERAL1',
      triggerId: h.fake.mintTriggerId(),
    });
    const res = await post(body, signSlackRequest(SIGNING_SECRET, Math.floor(Date.now() / 1000), body));
    expect(res.status).toBe(200);
  });
});
