import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { createLogger } from '../../src/log.js';
import { auditLog, followUps, incidents, scheduledActions } from '../../src/db/schema/index.js';
import { startFakeJira, type FakeJira } from '../../src/sandbox/jira/fake-jira.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { waitForPrivateReply } from '../support/replies.js';
import { followUpsTouching } from '../../src/db/repos/follow-ups.js';
import { followUpFigures } from '../../src/domain/follow-up-digest.js';

const CONFIG = `
admins: [U0ADMIN001]
follow_ups:
  teams:
    - { id: legal, name: Legal, jira_project: LEGAL, members: [U0DECL001] }
    - { id: comms, name: Comms, categories: [media-inquiry] }
    - { id: policy, name: Policy, jira_project: POLX, categories: [harmful-trend] }
  remind_before_days: 2
  tracker_poll_minutes: 1
`;

const DAY = 86_400_000;
const OWNER = 'U0OWNER01';
let h: Harness;
let jira: FakeJira;
/** What the generic signed webhook received: its headers and body. */
const hooks: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
let hookServer: Server;
const HOOK_SECRET = 'follow-up-hook-secret-0123';
const JIRA_HOOK_SECRET = 'jira-admin-webhook-secret-42';
let seq = 0;
/** What the bot logged at warn and above. */
const logged: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logged.push(chunk.toString());
    done();
  },
});

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  jira = await startFakeJira({ email: 'bot@example.com', apiToken: 'jira-token-123', projects: ['LEGAL'] });
  hookServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hooks.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hooks`;
  h = await startHarness(import.meta.url, {
    meridian: parsed.config,
    logger: createLogger('warn', sink),
    // Retries of a failed export come back in tenths of the production backoff.
    env: {
      ...{ JIRA_BASE_URL: jira.url, JIRA_EMAIL: 'bot@example.com', JIRA_API_TOKEN: 'jira-token-123', JOB_BACKOFF_SCALE: '0.1' },
      ...{ FOLLOW_UP_WEBHOOK_URL: hookUrl, FOLLOW_UP_WEBHOOK_SECRET: HOOK_SECRET, JIRA_WEBHOOK_SECRET: JIRA_HOOK_SECRET },
    },
  });
  for (const id of ['U0DECL001', OWNER, 'U0OTHER01', 'U0ADMIN001']) h.fake.addUser({ id, name: id.toLowerCase(), tz: 'Europe/Dublin' });
});
afterAll(async () => {
  await h?.close();
  await jira?.close();
  await new Promise((resolve) => hookServer?.close(resolve));
});

async function declare(title: string, opts: { private?: boolean; category?: string } = {}) {
  seq += 1;
  await h.submitView({
    id: `V0FU${String(seq).padStart(6, '0')}`,
    callback_id: 'declare_incident',
    state: declareState({
      title,
      severity: 'sev3',
      category: opts.category ?? 'media-inquiry',
      ...(opts.private ? { private: true } : {}),
    }),
  });
  return eventually(async () => {
    const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
    return row?.cardTs && row.channelId ? row : undefined;
  }, `"${title}" to be set up`);
}

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

function followUpState(f: { title?: string; owner?: string | null; team?: string | null; due?: string | null }) {
  return {
    values: {
      title: { value: { type: 'plain_text_input', value: f.title ?? null } },
      owner: { value: { type: 'users_select', selected_user: f.owner ?? null } },
      team: { value: { type: 'static_select', selected_option: f.team ? { value: f.team } : null } },
      due: { value: { type: 'datepicker', selected_date: f.due ?? null } },
    },
  };
}

let viewSeq = 0;
async function submitFollowUp(incidentId: string, f: Parameters<typeof followUpState>[0], userId = 'U0DECL001') {
  viewSeq += 1;
  return h.submitView(
    {
      id: `V0FUF${String(viewSeq).padStart(5, '0')}`,
      callback_id: 'follow_up_create',
      private_metadata: JSON.stringify({ incidentId }),
      state: followUpState(f),
    },
    { userId },
  );
}

const dmsTo = (user: string, pattern: string) =>
  h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user && JSON.stringify(c.args).includes(pattern));
const said = (channel: string, pattern: string) =>
  h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && JSON.stringify(c.args).includes(pattern));
const rowOf = async (title: string) => (await h.db.select().from(followUps).where(eq(followUps.title, title)))[0];

describe('follow-ups', () => {
  it('created from the channel: owner told, one Jira issue with a link back, reminded before and after the due date; done in Jira is done in Meridian and on the card', async () => {
    const incident = await declare('Upload spam wave');
    const channel = incident.channelId!;
    // `/incident follow-up <text>` opens the modal with the text as its title.
    await h.command('follow-up Rate-limit new uploads', { channelId: channel });
    const opened = await eventually(
      () => h.fake.callsTo('views.open').find((c) => JSON.stringify(c.args.view).includes('follow_up_create')),
      'the follow-up modal',
    );
    expect(JSON.stringify(opened.args.view)).toContain('Rate-limit new uploads');
    expect(JSON.stringify(opened.args.view)).toContain('"Legal"');

    const now = Date.now();
    const answer = await submitFollowUp(incident.id, {
      title: 'Rate-limit new uploads',
      owner: OWNER,
      team: 'legal',
      due: day(now + 5 * DAY),
    });
    expect(answer.status).toBe(200);
    const row = await eventually(() => rowOf('Rate-limit new uploads'), 'the follow-up row');
    expect(row).toMatchObject({ ownerId: OWNER, teamId: 'legal', status: 'open', createdBy: 'U0DECL001' });
    await eventually(() => dmsTo(OWNER, `FU-${row.number}`)[0], "the owner's notice");
    await eventually(() => said(channel, `added follow-up *FU-${row.number}*`)[0], 'the channel line');

    // Exported once, with its label and a link back to the channel.
    const exported = await eventually(async () => {
      const r = await rowOf('Rate-limit new uploads');
      return r?.trackerKey ? r : undefined;
    }, 'the Jira key to be stored');
    expect(jira.issues()).toHaveLength(1);
    const [issue] = jira.issues();
    expect(issue).toMatchObject({ key: 'LEGAL-1', project: 'LEGAL', labels: ['meridian', `meridian-fu-${row.id}`] });
    expect(JSON.stringify(issue!.description)).toContain(`app_redirect?team=`);
    expect(JSON.stringify(issue!.description)).toContain(channel);
    expect(exported.trackerUrl).toBe(`${jira.url}/browse/LEGAL-1`);

    // Two days before the due date: reminded; nothing before.
    expect(dmsTo(OWNER, 'is due')).toHaveLength(0);
    await h.advance(row.dueAt.getTime() - 2 * DAY - Date.now() + 60_000);
    await h.idle();
    await eventually(() => dmsTo(OWNER, `*FU-${row.number}* of INC-${incident.number} is due`)[0], 'the reminder before the due date');
    expect(dmsTo(OWNER, 'is overdue')).toHaveLength(0);
    await h.advance(2 * DAY);
    await h.idle();
    await eventually(() => dmsTo(OWNER, `*FU-${row.number}* of INC-${incident.number} is overdue`)[0], 'the overdue reminder');

    // Done in Jira: the next read marks it done here, in the channel and on the card.
    await jira.transition('LEGAL-1', 'Done');
    await h.advance(2 * 60_000);
    await h.idle();
    const done = await eventually(async () => {
      const r = await rowOf('Rate-limit new uploads');
      return r?.status === 'done' ? r : undefined;
    }, 'the follow-up to be done');
    expect(done.doneAt).not.toBeNull();
    await eventually(() => said(channel, 'done in Jira LEGAL-1')[0], 'the channel to hear it');
    await eventually(
      () =>
        h.fake
          .callsTo('chat.update')
          .find((c) => c.args.channel === channel && JSON.stringify(c.args.blocks).includes('Follow-ups: 0 open, 1 done')),
      'the card to count it done',
    );
    const pending = await h.db.select().from(scheduledActions).where(eq(scheduledActions.status, 'pending'));
    expect(pending.filter((a) => JSON.stringify(a.data).includes(row.id))).toEqual([]);
    expect(jira.issues()).toHaveLength(1);

    // The generic webhook heard of its creation and its closing, each signed with the shared secret.
    const mine = () => hooks.filter((x) => x.body.includes(row.id));
    await eventually(() => mine().length === 2, 'the created and closed webhooks');
    for (const hook of mine()) {
      const ts = String(hook.headers['x-meridian-timestamp']);
      const expected = `v0=${createHmac('sha256', HOOK_SECRET).update(`v0:${ts}:${hook.body}`).digest('hex')}`;
      expect(hook.headers['x-meridian-signature']).toBe(expected);
    }
    expect(mine().map((x) => (JSON.parse(x.body) as { event: string }).event)).toEqual(['follow_up.created', 'follow_up.closed']);
  });

  it('refuses a follow-up without an owner or with a due date in the past, inline, storing and sending nothing; a private incident’s follow-ups are listed to its owner, not to others', async () => {
    const incident = await declare('Grooming report in DMs', { private: true });
    const before = jira.requests().length;
    const refused = await submitFollowUp(incident.id, {
      title: 'Preserve the evidence',
      owner: null,
      team: 'legal',
      due: day(Date.now() - 2 * DAY),
    });
    const body = refused.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual(['due', 'owner']);
    expect(await rowOf('Preserve the evidence')).toBeUndefined();
    const audits = await h.db.select().from(auditLog).where(eq(auditLog.incidentId, incident.id));
    expect(audits.filter((a) => a.action === 'follow_up.create')).toEqual([]);

    await submitFollowUp(incident.id, { title: 'Preserve the evidence', owner: OWNER, team: 'comms', due: day(Date.now() + 30 * DAY) });
    const row = await eventually(() => rowOf('Preserve the evidence'), 'the follow-up');
    expect(row.exportState).toBe('none');
    await h.idle();
    expect(jira.requests().length).toBe(before);

    const list = async (userId: string, args: string) => {
      const reply = await h.command(`follow-ups ${args}`, { userId, channelId: 'C0GENERAL1' });
      return JSON.stringify(reply.json ?? reply.text);
    };
    expect(await list(OWNER, 'mine')).toContain('Preserve the evidence');
    expect(await list('U0OTHER01', 'team comms')).not.toContain('Preserve the evidence');
    expect(await list('U0ADMIN001', 'team comms')).toContain('Preserve the evidence');
    expect(await list('U0OTHER01', 'team nope')).toContain('No team');

    // Closed by number: a non-member gets the neutral answer and changes nothing; the owner needs a reason for won't do.
    await h.command(`follow-up done FU-${row.number}`, { userId: 'U0OTHER01', channelId: 'C0GENERAL1' });
    await waitForPrivateReply(h.fake, (c) => c.args.user === 'U0OTHER01' && String(c.args.text).includes('not available to you'));
    await h.command(`follow-up wontdo FU-${row.number}`, { userId: OWNER, channelId: 'C0GENERAL1' });
    await waitForPrivateReply(h.fake, (c) => c.args.user === OWNER && String(c.args.text).includes("won't be done"));
    expect((await rowOf('Preserve the evidence'))?.status).toBe('open');
    await h.command(`follow-up wontdo FU-${row.number} Legal holds it under the preservation order`, {
      userId: OWNER,
      channelId: 'C0GENERAL1',
    });
    await waitForPrivateReply(h.fake, (c) => c.args.user === OWNER && String(c.args.text).includes("closed as won't do"));
    expect(await rowOf('Preserve the evidence')).toMatchObject({
      status: 'wont_do',
      reason: 'Legal holds it under the preservation order',
    });
    const refusals = await h.db.select().from(auditLog).where(eq(auditLog.incidentId, incident.id));
    expect(refusals.some((a) => a.actorId === 'U0OTHER01' && a.outcome === 'refused')).toBe(true);
  });

  it('a Jira outage during the create: the follow-up is kept, and the issue is created once when Jira answers again, even when its first answer was lost', async () => {
    const incident = await declare('Fake giveaway links');
    jira.setOutage('down');
    await submitFollowUp(incident.id, { title: 'Block the giveaway domain', owner: OWNER, team: 'legal', due: day(Date.now() + 10 * DAY) });
    const row = await eventually(() => rowOf('Block the giveaway domain'), 'the follow-up to be kept');
    await eventually(() => jira.requests().find((r) => r.status === 503), 'Jira to refuse');
    expect(jira.issues().filter((i) => i.labels.includes(`meridian-fu-${row.id}`))).toHaveLength(0);
    // Back, but the first create's answer is lost after Jira made the issue: the retry finds it by its label.
    jira.setOutage('lose-answer');
    await eventually(() => jira.issues().find((i) => i.labels.includes(`meridian-fu-${row.id}`)), 'the issue to be created', 10_000);
    jira.setOutage('none');
    const exported = await eventually(
      async () => {
        const r = await rowOf('Block the giveaway domain');
        return r?.trackerKey ? r : undefined;
      },
      'the key to be stored',
      10_000,
    );
    const mine = jira.issues().filter((i) => i.labels.includes(`meridian-fu-${row.id}`));
    expect(mine).toHaveLength(1);
    expect(jira.requests().filter((r) => r.method === 'POST' && r.status === 503).length).toBeGreaterThanOrEqual(1);
    expect(exported.trackerKey).toBe(mine[0]!.key);

    // What the digest reads for these days (its figures against a hand count: tests/unit/follow-ups.test.ts).
    const touching = await followUpsTouching(h.db, new Date(Date.now() - DAY), new Date(Date.now() + 30 * DAY));
    const figures = followUpFigures(touching, { from: new Date(Date.now() - DAY), to: new Date(Date.now() + 30 * DAY) }, new Date());
    expect(figures.total).toMatchObject({ opened: 3, done: 1 });
    expect(figures.teams.find((t) => t.teamId === 'legal')).toMatchObject({ opened: 2, done: 1 });
  });

  it('done in Jira is done at once through the signed Jira webhook; an unsigned or wrongly signed delivery is refused, a malformed one named, and neither changes anything', async () => {
    const incident = await declare('Impersonation of a minister');
    const channel = incident.channelId!;
    await submitFollowUp(incident.id, {
      title: 'Verify the minister account',
      owner: OWNER,
      team: 'legal',
      due: day(Date.now() + 9 * DAY),
    });
    const exported = await eventually(async () => {
      const r = await rowOf('Verify the minister account');
      return r?.trackerKey ? r : undefined;
    }, 'the Jira key to be stored');
    const hookUrl = `http://127.0.0.1:${h.runtime.port}/webhooks/jira`;
    const sign = (body: string, secret = JIRA_HOOK_SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const done = JSON.stringify({
      webhookEvent: 'jira:issue_updated',
      issue: { key: exported.trackerKey, fields: { status: { name: 'Done', statusCategory: { key: 'done' } } } },
    });
    const post = (body: string, headers: Record<string, string>) =>
      fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await post(done, {})).status).toBe(401);
    expect((await post(done, { 'x-hub-signature': sign(done, 'not-the-secret-at-all') })).status).toBe(403);
    const malformed = JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: { key: 'not a key', fields: {} } });
    const bad = await post(malformed, { 'x-hub-signature': sign(malformed) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fields: string[] }).fields).toEqual(expect.arrayContaining(['issue.key', 'issue.fields.status']));
    expect((await rowOf('Verify the minister account'))?.status).toBe('open');

    // Jira, as an admin webhook saved with the secret: moved to Done, closed here at once, no polling needed.
    jira.setWebhook({ url: hookUrl, secret: JIRA_HOOK_SECRET });
    try {
      expect(await jira.transition(exported.trackerKey!, 'Done')).toBe(200);
    } finally {
      jira.setWebhook(undefined);
    }
    const closed = await rowOf('Verify the minister account');
    expect(closed).toMatchObject({ status: 'done' });
    await eventually(() => said(channel, `done in Jira ${exported.trackerKey}`)[0], 'the channel to hear it');
    const pending = await h.db.select().from(scheduledActions).where(eq(scheduledActions.status, 'pending'));
    expect(pending.filter((a) => JSON.stringify(a.data).includes(exported.id))).toEqual([]);
    // A redelivery changes nothing.
    const again = await post(done, { 'x-hub-signature': sign(done) });
    expect(await again.json()).toMatchObject({ result: 'already_closed' });
  });

  it("the resolve modal's lines get the team of the incident's category, else the commander's; a private incident's follow-up titles reach neither Jira nor the webhook", async () => {
    const resolve = async (incidentId: string, lines: string) => {
      viewSeq += 1;
      await h.submitView({
        id: `V0FUR${String(viewSeq).padStart(5, '0')}`,
        callback_id: 'incident_resolve',
        private_metadata: JSON.stringify({ incidentId }),
        state: {
          values: {
            resolution: { value: { value: 'Handled' } },
            mitigation: { value: { value: null } },
            follow_ups: { value: { value: lines } },
          },
        },
      });
    };
    const press = await declare('Hoax poster spread');
    await resolve(press.id, '- Brief the press office');
    expect(await eventually(() => rowOf('Brief the press office'), 'the resolve follow-up')).toMatchObject({ teamId: 'comms' });

    // No team names this category: the commander's team (the declarer commands; Legal lists them).
    const scam = await declare('Scam ring targeting a named teenager', { category: 'account-search-safety', private: true });
    expect(scam.commanderId).toBe('U0DECL001');
    await resolve(scam.id, 'Block the advertiser network of the teenager case');
    const row = await eventually(() => rowOf('Block the advertiser network of the teenager case'), 'the private follow-up');
    expect(row.teamId).toBe('legal');
    await h.idle();
    const issue = await eventually(() => jira.issues().find((i) => i.labels.includes(`meridian-fu-${row.id}`)), 'its Jira issue');
    expect(issue.summary).toBe(`FU-${row.number}: follow-up of private incident INC-${scam.number} (title kept in Slack)`);
    expect(JSON.stringify(issue)).not.toContain('teenager');
    const hook = await eventually(() => hooks.find((x) => x.body.includes(row.id)), 'the created webhook');
    expect(hook.body).not.toContain('teenager');
    expect(JSON.parse(hook.body)).toMatchObject({ followUp: { title: null, titleWithheld: true }, incident: { private: true } });
  });

  it("a team whose Jira project does not exist: said in the log at start, the form refuses it inline storing nothing, and the resolve modal's line is kept here, not sent, with the channel told", async () => {
    await eventually(() => logged.find((l) => l.includes('Jira has no project POLX')), 'the start-up check');
    expect(logged.find((l) => l.includes('POLX'))).toContain('follow_ups.teams[2].jira_project');

    const incident = await declare('Choking challenge videos', { category: 'harmful-trend' });
    const posts = () => jira.requests().filter((r) => r.method === 'POST').length;
    const before = posts();
    const refused = await submitFollowUp(incident.id, {
      title: 'Update the dangerous-challenges policy',
      owner: OWNER,
      team: 'policy',
      due: day(Date.now() + 7 * DAY),
    });
    const body = refused.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors)).toEqual(['team']);
    expect(body.errors.team).toContain('Jira has no project POLX');
    expect(await rowOf('Update the dangerous-challenges policy')).toBeUndefined();

    viewSeq += 1;
    await h.submitView({
      id: `V0FUR${String(viewSeq).padStart(5, '0')}`,
      callback_id: 'incident_resolve',
      private_metadata: JSON.stringify({ incidentId: incident.id }),
      state: {
        values: {
          resolution: { value: { value: 'Videos removed' } },
          mitigation: { value: { value: null } },
          follow_ups: { value: { value: 'Add the challenge to the hash list' } },
        },
      },
    });
    const kept = await eventually(() => rowOf('Add the challenge to the hash list'), 'the resolve follow-up');
    expect(kept).toMatchObject({ teamId: 'policy', exportState: 'failed', status: 'open' });
    await eventually(() => said(incident.channelId!, 'Not sent to Jira: it has no project POLX')[0], 'the channel to be told');
    await h.idle();
    expect(posts()).toBe(before);
  });

  it('edited by its owner or the commander: owner, team and due changed, the new owner told, reminders planned again for the new date (none at the old one), exported to the new team’s Jira; a stranger and a past date are refused, changing nothing', async () => {
    const incident = await declare('Counterfeit pharmacy ads');
    const channel = incident.channelId!;
    await submitFollowUp(incident.id, {
      title: 'Audit the pharmacy advertisers',
      owner: OWNER,
      team: 'comms',
      due: day(Date.now() + 30 * DAY),
    });
    const row = await eventually(() => rowOf('Audit the pharmacy advertisers'), 'the follow-up');
    const notice = await eventually(() => dmsTo(OWNER, `FU-${row.number}`)[0], "the owner's notice");
    expect(JSON.stringify(notice.args.blocks)).toContain('"action_id":"follow_up_edit"');

    // The owner's Edit opens the modal filled in; a stranger's is refused and audited.
    await h.clickButton({ actionId: 'follow_up_edit', value: row.id, userId: OWNER });
    const opened = await eventually(
      () => h.fake.callsTo('views.open').find((c) => JSON.stringify(c.args.view).includes(`Edit FU-${row.number}`)),
      'the edit modal',
    );
    expect(JSON.stringify(opened.args.view)).toContain('"initial_user":"U0OWNER01"');
    expect(JSON.stringify(opened.args.view)).toContain('"initial_option":{"text":{"type":"plain_text","text":"Comms"');
    await h.command(`follow-up edit FU-${row.number}`, { userId: 'U0OTHER01', channelId: 'C0GENERAL1' });
    await waitForPrivateReply(h.fake, (c) => c.args.user === 'U0OTHER01' && String(c.args.text).includes(`can change FU-${row.number}`));

    const edit = (f: Parameters<typeof followUpState>[0], userId: string) => {
      viewSeq += 1;
      return h.submitView(
        {
          id: `V0FUE${String(viewSeq).padStart(5, '0')}`,
          callback_id: 'follow_up_edit',
          private_metadata: JSON.stringify({ followUpId: row.id }),
          state: followUpState(f),
        },
        { userId },
      );
    };
    const past = await edit({ title: row.title, owner: OWNER, team: 'comms', due: day(Date.now() - DAY) }, 'U0DECL001');
    expect((past.json as { errors: Record<string, string> }).errors).toHaveProperty('due');
    expect(await rowOf('Audit the pharmacy advertisers')).toMatchObject({ version: 1, teamId: 'comms' });

    // The declarer reassigns it to Legal, ten days later.
    const newDue = day(Date.now() + 40 * DAY);
    expect((await edit({ title: row.title, owner: 'U0OTHER01', team: 'legal', due: newDue }, 'U0DECL001')).status).toBe(200);
    const edited = await eventually(async () => {
      const r = await rowOf('Audit the pharmacy advertisers');
      return r?.trackerKey ? r : undefined;
    }, 'the edit and its export');
    expect(edited).toMatchObject({ ownerId: 'U0OTHER01', teamId: 'legal', version: 2, exportState: 'created' });
    expect(edited.dueAt.toISOString().slice(0, 10)).toBe(newDue);
    expect(jira.issues().filter((i) => i.labels.includes(`meridian-fu-${row.id}`))).toHaveLength(1);
    await eventually(() => dmsTo('U0OTHER01', `FU-${row.number}`)[0], "the new owner's notice");
    const line = await eventually(() => said(channel, `changed follow-up *FU-${row.number}*`)[0], 'the channel line');
    expect(String(line.args.text)).toContain('owner <@U0OWNER01> → <@U0OTHER01>');
    expect(String(line.args.text)).toContain('team Comms → Legal');
    const audits = await h.db.select().from(auditLog).where(eq(auditLog.incidentId, incident.id));
    expect(audits.filter((a) => a.action === 'follow_up.edit').map((a) => a.outcome)).toEqual(['refused', 'ok']);

    // Two days before the old due date (the bot's clock is the row's creation time): nobody is reminded.
    const botNow = row.createdAt.getTime();
    await h.advance(row.dueAt.getTime() - 2 * DAY - botNow + 60_000);
    await h.idle();
    const reminders = (user: string) => dmsTo(user, `*FU-${row.number}* of INC-${incident.number} is due`);
    expect([...reminders(OWNER), ...reminders('U0OTHER01')]).toEqual([]);
    // Two days before the new one: the new owner is.
    await h.advance(10 * DAY);
    await h.idle();
    await eventually(() => reminders('U0OTHER01')[0], "the new owner's reminder");
    expect(reminders(OWNER)).toEqual([]);
  });
});
