import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { auditLog, escalations, incidents, pages, scheduledActions, timelineEntries } from '../../src/db/schema/index.js';
import { declareState, eventually, startHarness, type Harness, LOST_ANSWER_MS } from '../support/meridian-harness.js';

/** Steps of 5 minutes of the bot's clock: a test moves the clock past a step (`nextStep`) instead of waiting it out. */
const CONFIG = `
admins: [U0ADMIN001]
schedules:
  - id: tns
    name: T&S follow-the-sun
    layers:
      - name: APAC
        timezone: Asia/Singapore
        coverage: { days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00" }
        rotation: { members: [U0SGA0001, U0SGB0002], every: 1 week, handoff: "09:00", starts: 2026-01-05 }
      - name: EMEA
        timezone: Europe/Dublin
        coverage: { days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00" }
        rotation: { members: [U0DUA0001], every: 1 week, handoff: "09:00", starts: 2026-01-05 }
escalation_policies:
  - id: urgent
    steps:
      - notify: [{ schedule: tns }, { user: U0GHOST01 }]
        wait_minutes: 5
      - notify: [{ user: U0LEAD0001 }, { usergroup: S0TNSLEAD1 }]
        wait_minutes: 5
    repeat: 1
severities:
  sev1: { label: "SEV1 Critical", policy: urgent, update_every_minutes: 30 }
  sev2: { label: "SEV2 Major", policy: urgent }
  sev3: { label: "SEV3 Minor" }
  sev4: { label: "SEV4 Low" }
`;

/** Monday 2 March 2026, 10:00 in Singapore (02:00 UTC): APAC's week 8, so U0SGA0001 is on call. */
const MONDAY_APAC = Date.parse('2026-03-02T02:00:00Z');
/** Monday 2 March 2026, 00:30 UTC: before APAC opens (08:30 SGT), after the weekend: nobody. */
const MONDAY_GAP = Date.parse('2026-03-02T00:30:00Z');

let h: Harness;
let base = MONDAY_APAC;
let startedAt = Date.now();
let seq = 0;
const STEP_MS = 5 * 60_000;
/** How far `nextStep` has moved the bot's clock in all, and by the start of this test (each test starts at its `base`). */
let advancedTotal = 0;
let advancedBefore = 0;

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, {
    meridian: parsed.config,
    // A failed step is retried after 50 ms instead of 500 (the retries under test, not their spacing).
    env: { SLACK_TIMEOUT_MS: LOST_ANSWER_MS, JOB_BACKOFF_SCALE: '0.1' },
    clock: () => new Date(base + (Date.now() - startedAt) - advancedBefore),
  });
  // The declarers too: the channel set-up DMs them, and fails (and is retried) while it cannot.
  for (const id of [
    'U0SGA0001',
    'U0SGB0002',
    'U0DUA0001',
    'U0LEAD0001',
    'U0GRPA001',
    'U0ADMIN001',
    'U0OTHER01',
    'U0DECL001',
    'U0DECL002',
  ]) {
    h.fake.addUser({ id, name: id.toLowerCase(), tz: 'Asia/Singapore' });
  }
  h.fake.addUsergroup('S0TNSLEAD1', ['U0GRPA001', 'U0LEAD0001']);
});
// An earlier test's incidents stop escalating: each test's clock moves only its own incidents on.
afterEach(async () => {
  await h.db.update(scheduledActions).set({ status: 'cancelled' }).where(eq(scheduledActions.status, 'pending'));
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.fake.reset();
  h.fake.clearFaults();
  base = MONDAY_APAC;
  startedAt = Date.now();
  advancedBefore = advancedTotal;
});

/** Once the bot has done all it can now, moves its clock past one step's wait and lets it act. */
async function nextStep() {
  await h.idle();
  advancedTotal += STEP_MS;
  await h.advance(STEP_MS);
  await h.idle();
}

async function declare(title: string, fields: { severity?: string; category?: string; private?: boolean; userId?: string } = {}) {
  seq += 1;
  await h.submitView(
    {
      id: `V0PAGE${String(seq).padStart(4, '0')}`,
      callback_id: 'declare_incident',
      state: declareState({
        title,
        severity: fields.severity ?? 'sev1',
        category: fields.category ?? 'harmful-trend',
        private: fields.private,
      }),
    },
    fields.userId ? { userId: fields.userId } : {},
  );
  return eventually(async () => {
    const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
    return row?.cardTs ? row : undefined;
  }, `incident "${title}" to be set up`);
}

/** Page DMs to a person; with an incident, only its pages (other tests' incidents keep escalating). */
const said = (incident: { channelId: string | null }, text: string) => () =>
  h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === incident.channelId && String(c.args.text).includes(text));

const dmsTo = (userId: string, incident?: { number: number }) =>
  h.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === userId && JSON.stringify(c.args.blocks ?? '').includes('page_ack'))
    .filter((c) => !incident || String(c.args.text).includes(`INC-${incident.number} `));
const pageIdOf = (call: { args: Record<string, unknown> }) =>
  (call.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>)
    .find((b) => b.type === 'actions')!
    .elements!.find((e) => e.action_id === 'page_ack')!.value;

describe('paging the hub that is awake', () => {
  it('when a SEV1 is declared at 10:00 in Singapore, then the APAC on-call is DMed with buttons, invited, and named in the channel', async () => {
    const incident = await declare('Self-harm challenge trending in SG');
    const dm = await eventually(() => dmsTo('U0SGA0001', incident)[0], 'the APAC on-call to be paged');
    expect(String(dm.args.text)).toContain(`INC-${incident.number}`);
    expect(JSON.stringify(dm.args.blocks)).toContain('Acknowledge');
    expect(JSON.stringify(dm.args.blocks)).toContain('Escalate');
    // The page may beat the channel; then its DM is updated with the link once the channel exists.
    const withLink = await eventually(
      () =>
        [dm, ...h.fake.callsTo('chat.update').filter((c) => c.args.ts === (dm.response as { ts: string }).ts)].find((c) =>
          JSON.stringify(c.args.blocks).includes(`<#${incident.channelId}>`),
        ),
      'the page DM to link the channel',
    );
    expect(JSON.stringify(withLink.args.blocks)).toContain('Acknowledge');
    const line = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === incident.channelId && String(c.args.text).includes('Paged'),
    );
    expect(line.args.text).toBe(':pager: Paged <@U0SGA0001>, on call for APAC, 10:00 in Singapore');
    expect(h.fake.channel(incident.channelId!)?.members.has('U0SGA0001')).toBe(true);
    expect(dmsTo('U0SGB0002', incident)).toHaveLength(0);
  });

  it('when nobody acknowledges, then the next step pages the lead and the group, each once', async () => {
    const incident = await declare('Regulator deadline missed risk');
    await eventually(() => dmsTo('U0SGA0001', incident)[0], 'the first page');
    await nextStep();
    await eventually(() => dmsTo('U0GRPA001', incident)[0], 'step 2 to page the user group');
    expect(dmsTo('U0LEAD0001', incident)).toHaveLength(1);
    const rows = await h.db.select().from(pages).where(eq(pages.incidentId, incident.id));
    expect(
      rows
        .filter((p) => p.stepNumber === 1)
        .map((p) => p.userId)
        .sort(),
    ).toEqual(['U0GRPA001', 'U0LEAD0001']);
  });

  it('when a lead outside any rotation is paged by name at 10:00 in Singapore, then page_log reads the page in their Slack zone: APAC hub, not out of hours', async () => {
    const incident = await declare('Lead paged in their own zone');
    await eventually(() => dmsTo('U0SGA0001', incident)[0], 'the first page');
    await nextStep();
    await eventually(() => dmsTo('U0LEAD0001', incident)[0], 'step 2 to page the lead');
    const [page] = await h.db
      .select()
      .from(pages)
      .where(and(eq(pages.incidentId, incident.id), eq(pages.userId, 'U0LEAD0001')));
    expect(page?.userTimeZone).toBe('Asia/Singapore');
    const rows = [
      ...((await h.db.execute(
        sql`select layer, time_zone, out_of_hours from page_log where incident_id = ${incident.id} and user_id = 'U0LEAD0001'`,
      )) as unknown as Record<string, unknown>[]),
    ];
    // 02:00 UTC is 10:00 in Singapore: read in UTC it was counted out of hours under "No hub".
    expect(rows).toEqual([{ layer: 'APAC', time_zone: 'Asia/Singapore', out_of_hours: false }]);
  });

  it('when the paged person acknowledges, then paging stops, the DM and card change, and time to acknowledge is recorded', async () => {
    const incident = await declare('Media inquiry on deepfake ads');
    const dm = await eventually(() => dmsTo('U0SGA0001', incident)[0], 'the first page');
    const pageId = pageIdOf(dm);
    await h.clickButton({
      actionId: 'page_ack',
      value: pageId,
      userId: 'U0SGA0001',
      channelId: String(dm.response && (dm.response as { channel: string }).channel),
    });
    const [escalation] = await eventually(async () => {
      const rows = await h.db.select().from(escalations).where(eq(escalations.incidentId, incident.id));
      return rows[0]?.status === 'acknowledged' ? rows : undefined;
    }, 'the escalation to be acknowledged');
    expect(escalation!.acknowledgedBy).toBe('U0SGA0001');
    const updated = await h.fake.waitForCall(
      'chat.update',
      (c) => c.args.ts === (dm.response as { ts: string }).ts && String(c.args.text).includes('acknowledged'),
    );
    expect(String(updated.args.text)).toContain('you acknowledged');
    expect(JSON.stringify(updated.args.blocks)).not.toContain('page_ack');
    const card = await h.fake.waitForCall('chat.update', (c) => c.args.ts === incident.cardTs);
    expect(JSON.stringify(card.args.blocks)).toContain('acknowledged by <@U0SGA0001>');
    const line = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === incident.channelId && String(c.args.text).includes('acknowledged'),
    );
    expect(String(line.args.text)).toMatch(/<@U0SGA0001> acknowledged\. Time to acknowledge: \d+ s\./);
    const [row] = await h.db.select().from(incidents).where(eq(incidents.id, incident.id));
    expect(row!.acknowledgedAt).not.toBeNull();
    // Clicked in the page DM: the updated DM is the answer, no second message.
    expect(
      h.fake.callsTo('chat.postMessage').filter((c) => String(c.args.text).startsWith(':white_check_mark: You acknowledged')),
    ).toHaveLength(0);

    // Past the step's wait, and every action due by then run: nobody else is paged.
    h.fake.reset();
    await nextStep();
    expect(dmsTo('U0LEAD0001', incident)).toHaveLength(0);
    expect(h.fake.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes(`INC-${incident.number} `)).length).toBe(0);

    await h.clickButton({ actionId: 'page_ack', value: pageId, userId: 'U0SGA0001' });
    const again = await eventually(
      () => h.fake.callsTo('chat.postMessage').find((c) => String(c.args.text).startsWith('Already acknowledged')),
      'the second click answer',
    );
    expect(String(again.args.text)).toContain('<@U0SGA0001>');
    const timeline = await h.db.select().from(timelineEntries).where(eq(timelineEntries.incidentId, incident.id));
    expect(timeline.filter((t) => t.kind === 'acknowledged')).toHaveLength(1);
  });

  it('when someone else clicks a page meant for another, then they are told why and nothing changes', async () => {
    const incident = await declare('Partner NGO escalation, urgent');
    const dm = await eventually(() => dmsTo('U0SGA0001', incident)[0], 'the first page');
    await h.clickButton({ actionId: 'page_ack', value: pageIdOf(dm), userId: 'U0OTHER01' });
    const refusal = await eventually(() => h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0OTHER01'), 'the refusal');
    expect(String(refusal.args.text)).toContain('only they can acknowledge');
    const [escalation] = await h.db.select().from(escalations).where(eq(escalations.incidentId, incident.id));
    expect(escalation!.status).toBe('active');
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.incidentId, incident.id));
    expect(audit.some((a) => a.action === 'escalation.acknowledge' && a.outcome === 'refused' && a.actorId === 'U0OTHER01')).toBe(true);
    await h.command('ack', { userId: 'U0SGA0001', channelId: incident.channelId! });
    await eventually(
      async () => (await h.db.select().from(escalations).where(eq(escalations.incidentId, incident.id)))[0]?.status === 'acknowledged',
      '/incident ack to stop paging',
    );
  });

  it('when Escalate is pressed, then the next step pages at once', async () => {
    const incident = await declare('Account takeover wave');
    const dm = await eventually(() => dmsTo('U0SGA0001', incident)[0], 'the first page');
    const clickedAt = Date.now();
    await h.clickButton({ actionId: 'page_escalate', value: pageIdOf(dm), userId: 'U0SGA0001' });
    await eventually(() => dmsTo('U0LEAD0001', incident)[0], 'the escalated step', 5000);
    expect(Date.now() - clickedAt).toBeLessThan(1200);
    const line = h.fake
      .callsTo('chat.postMessage')
      .find((c) => c.args.channel === incident.channelId && String(c.args.text).includes('escalated'));
    expect(line).toBeDefined();
  });
});

describe('when someone cannot be reached', () => {
  it('when a paged account is unknown to Slack, then the channel is told, the others are paged and the escalation goes on', async () => {
    const incident = await declare('Sextortion wave via DMs');
    await eventually(() => dmsTo('U0SGA0001', incident)[0], 'the reachable on-call to be paged');
    await nextStep();
    await eventually(() => dmsTo('U0LEAD0001', incident)[0], 'step 2 after the wait');
    const line = await eventually(said(incident, 'Could not page'), 'the unreachable line');
    expect(String(line.args.text)).toContain('<@U0GHOST01>');
    const ghost = await h.db
      .select()
      .from(pages)
      .where(and(eq(pages.incidentId, incident.id), eq(pages.userId, 'U0GHOST01'), eq(pages.stepNumber, 0)));
    expect(ghost.map((p) => p.status)).toEqual(['undeliverable']);
  });

  it('when the first step runs before the channel exists, then its "Could not page" line reaches the channel once it exists, once', async () => {
    // Slack takes its time creating the channel: the first step pages (and fails to page the ghost) before it exists.
    h.fake.fail('conversations.create', { kind: 'delay', ms: 1500 }, { times: 1 });
    const incident = await declare('Ghost paged before the channel');
    await eventually(said(incident, 'Could not page'), 'the held unreachable line in the new channel');
    await h.idle();
    const lines = h.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === incident.channelId && String(c.args.text).includes('Could not page'));
    expect(lines).toHaveLength(1);
    expect(String(lines[0]!.args.text)).toContain('<@U0GHOST01>');
    const [created] = await h.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'channel_created')));
    const [paged] = await h.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'paged')));
    // The step did run first (else this test would not be about the held line).
    expect(paged!.at.getTime()).toBeLessThanOrEqual(created!.at.getTime());
  });
});

describe('when nobody is there', () => {
  it('when the schedule covers nobody now, then the step moves on at once and says so in the channel, once, even when it ran before the channel existed', async () => {
    base = MONDAY_GAP;
    h.fake.fail('conversations.create', { kind: 'delay', ms: 1500 }, { times: 1 });
    const incident = await declare('Overnight tooling outage');
    const lead = await eventually(() => dmsTo('U0LEAD0001', incident)[0], 'step 2 without waiting step 1 out', 1000);
    expect(lead).toBeDefined();
    const line = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === incident.channelId && String(c.args.text).includes('Escalation step 1 reached nobody'),
    );
    expect(String(line.args.text)).toContain('moving on to the next step now');
    await h.idle();
    expect(
      h.fake
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === incident.channelId && String(c.args.text).includes('reached nobody')),
    ).toHaveLength(1);
  });

  it('when every step and repeat of a private incident goes unanswered, then the admins are told by DM, once, and the feed learns nothing', async () => {
    const incident = await declare('Grooming ring on live streams', { category: 'child-safety' });
    // Two rounds of two steps, then the alert.
    for (let step = 0; step < 4; step++) await nextStep();
    const alert = await eventually(
      () =>
        h.fake
          .callsTo('chat.postMessage')
          .find((c) => c.args.channel === 'U0ADMIN001' && String(c.args.text).includes(`(INC-${incident.number})`)),
      'the DM to the admin',
    );
    expect(String(alert.args.text)).toContain(`A private SEV1 Critical incident (INC-${incident.number}) is still unacknowledged`);
    expect(String(alert.args.text)).not.toContain('Grooming');
    // Two rounds of two steps: each person paged once per round.
    const rows = await h.db.select().from(pages).where(eq(pages.incidentId, incident.id));
    expect(
      rows
        .filter((p) => p.userId === 'U0SGA0001')
        .map((p) => p.stepNumber)
        .sort(),
    ).toEqual([0, 2]);
    // The second round says which round it is, and why, in the DM and the channel (issue 19); the first says nothing of rounds.
    const [firstDm, secondDm] = dmsTo('U0SGA0001', incident);
    expect(JSON.stringify(firstDm?.args.blocks)).not.toContain('round');
    expect(JSON.stringify(secondDm?.args.blocks)).toContain('round 2 of 2, nobody acknowledged round 1');
    const lines = h.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === incident.channelId && String(c.args.text).includes('Paged <@U0SGA0001>'));
    expect(lines.map((c) => String(c.args.text).includes('round 2 of 2, nobody acknowledged round 1'))).toEqual([false, true]);
    await eventually(
      async () => (await h.db.select().from(escalations).where(eq(escalations.incidentId, incident.id)))[0]?.status === 'exhausted',
      'the escalation to end as exhausted',
    );
    // The escalation ends after the notices are sent: by now the feed would have had its alert.
    expect(
      h.fake
        .callsTo('chat.postMessage')
        .filter(
          (c) => c.args.channel === h.feedChannelId && String(c.args.text).includes(`(INC-${incident.number}) is still unacknowledged`),
        ),
    ).toHaveLength(0);
    expect(
      h.fake
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === 'U0ADMIN001' && String(c.args.text).includes(`(INC-${incident.number})`)),
    ).toHaveLength(1);
  });
});

describe('a private incident, to people outside it', () => {
  const NEUTRAL = ':warning: That incident is not available to you.';
  const replyTo = (userId: string) => h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === userId && !c.args.blocks);

  it('when a private incident is declared, then its channel is inc-<n>, without the title', async () => {
    const incident = await declare('Grooming ring in game chat', { category: 'child-safety', userId: 'U0DECL002' });
    const created = h.fake.callsTo('conversations.create').map((c) => c.args.name);
    expect(created).toContain(`inc-${incident.number}`);
    expect(created.join(' ')).not.toContain('grooming');
  });

  it('when a non-member asks /incident status with its channel, then they get the neutral answer and nothing of it', async () => {
    const incident = await declare('Grooming ring in voice rooms', { category: 'child-safety', userId: 'U0DECL002' });
    const reply = await h.command('status', { userId: 'U0OTHER01', channelId: incident.channelId! });
    const text = (reply.json as { text: string }).text;
    expect(text).toBe(NEUTRAL);
    expect(JSON.stringify(reply.json)).not.toContain('Grooming');
    // A member still gets the status.
    const member = await h.command('status', { userId: 'U0DECL002', channelId: incident.channelId! });
    expect(JSON.stringify(member.json)).toContain('Grooming ring in voice rooms');
  });

  it('when a non-member clicks a card button or page_ack with its ids, then the answer is the same as for made-up ids', async () => {
    const incident = await declare('Grooming ring on forums', { category: 'child-safety', userId: 'U0DECL002' });
    const page = await eventually(() => dmsTo('U0SGA0001', incident)[0], 'the page DM');

    await h.clickButton({ actionId: 'card_severity', value: incident.id, userId: 'U0OTHER01' });
    await h.clickButton({ actionId: 'card_severity', value: randomUUID(), userId: 'U0OTHER02' });
    const [real, madeUp] = await Promise.all([replyTo('U0OTHER01'), replyTo('U0OTHER02')]);
    expect(real.args.text).toBe(NEUTRAL);
    expect(madeUp.args.text).toBe(NEUTRAL);

    h.fake.reset();
    await h.clickButton({ actionId: 'page_ack', value: pageIdOf(page), userId: 'U0OTHER01' });
    await h.clickButton({ actionId: 'page_ack', value: randomUUID(), userId: 'U0OTHER02' });
    const [ack, madeUpAck] = await Promise.all([replyTo('U0OTHER01'), replyTo('U0OTHER02')]);
    expect(ack.args.text).toBe(NEUTRAL);
    expect(madeUpAck.args.text).toBe(NEUTRAL);
    const refused = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.incidentId, incident.id), eq(auditLog.actorId, 'U0OTHER01')));
    expect(refused.map((r) => [r.action, r.outcome])).toEqual([
      ['incident.access', 'refused'],
      ['incident.access', 'refused'],
    ]);
  });
});

describe('when a step fails half-way and is retried', () => {
  /** chat.postMessage calls Slack carried out (a lost answer's call is recorded with the answer it would have had). */
  const posted = (channel: string, text: string) =>
    h.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === channel && String(c.args.text).includes(text))
      .filter((c) => (c.response as { ok?: boolean } | undefined)?.ok === true);
  /** Moves the clock step by step until the escalation ends as exhausted (two rounds of two steps). */
  const exhausted = async (incidentId: string) => {
    const status = async () => (await h.db.select().from(escalations).where(eq(escalations.incidentId, incidentId)))[0]?.status;
    for (let step = 0; step < 6 && (await status()) !== 'exhausted'; step++) await nextStep();
    expect(await status()).toBe('exhausted');
  };

  it('when the channel post of the unacknowledged alert fails once after the feed post, then the retry sends nothing twice: one feed alert, one channel alert', async () => {
    const incident = await declare('Coordinated spam burst on comments');
    const channel = incident.channelId as string;
    const alert = `INC-${incident.number}`;
    const refused: string[] = [];
    h.fake.fail(
      'chat.postMessage',
      { kind: 'error', error: 'channel_not_found' },
      {
        when: (args) => {
          const hit = args.channel === channel && String(args.text).includes('still unacknowledged');
          if (hit) refused.push(String(args.text));
          return hit;
        },
      },
    );
    await exhausted(incident.id);
    expect(refused).toHaveLength(1);
    const feed = posted(h.feedChannelId, 'still unacknowledged').filter((c) => String(c.args.text).includes(alert));
    expect(feed).toHaveLength(1);
    expect(posted(channel, 'still unacknowledged')).toHaveLength(1);
  });

  it('when the channel post of a private incident alert fails once after the admins were told by DM, then the retry sends nothing twice: one DM per admin, one channel alert', async () => {
    const incident = await declare('Grooming ring in a forum', { category: 'child-safety' });
    const channel = incident.channelId as string;
    const refused: string[] = [];
    h.fake.fail(
      'chat.postMessage',
      { kind: 'error', error: 'channel_not_found' },
      {
        when: (args) => {
          const hit = args.channel === channel && String(args.text).includes('still unacknowledged');
          if (hit) refused.push(String(args.text));
          return hit;
        },
      },
    );
    await exhausted(incident.id);
    expect(refused).toHaveLength(1);
    expect(posted('U0ADMIN001', `(INC-${incident.number}) is still unacknowledged`)).toHaveLength(1);
    expect(posted(channel, 'still unacknowledged')).toHaveLength(1);
  });

  it('when the reached-nobody line fails after the unreachable line was posted, then the retry does not post the unreachable line again', async () => {
    base = MONDAY_GAP;
    const incident = await declare('Overnight payment fraud spike');
    const channel = incident.channelId as string;
    const refused: string[] = [];
    h.fake.fail(
      'chat.postMessage',
      { kind: 'error', error: 'channel_not_found' },
      {
        when: (args) => {
          const hit = args.channel === channel && String(args.text).includes('reached nobody');
          if (hit) refused.push(String(args.text));
          return hit;
        },
      },
    );
    await exhausted(incident.id);
    expect(refused).toHaveLength(1);
    expectOneLinePerStep(channel, 'Could not page');
    expectOneLinePerStep(channel, 'reached nobody');
  });

  it('when Slack carries out the reached-nobody line but its answer is lost, then the retry adopts it and posts it once', async () => {
    base = MONDAY_GAP;
    const incident = await declare('Overnight refund abuse');
    const channel = incident.channelId as string;
    const lost: string[] = [];
    h.fake.fail(
      'chat.postMessage',
      { kind: 'lose-answer' },
      {
        when: (args) => {
          const hit = args.channel === channel && String(args.text).includes('reached nobody');
          if (hit) lost.push(String(args.text));
          return hit;
        },
      },
    );
    // The gateway waits SLACK_TIMEOUT_MS (2.5 s here) for the lost answer before it looks for the tagged line.
    await exhausted(incident.id);
    expect(lost).toHaveLength(1);
    expectOneLinePerStep(channel, 'reached nobody');
  }, 30_000);

  /** Each step that said the line said it once: as many lines as distinct delivery keys, one key per step. */
  function expectOneLinePerStep(channel: string, text: string) {
    const lines = posted(channel, text);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    const keys = lines.map((c) => (c.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key);
    expect(keys.every((k) => typeof k === 'string')).toBe(true);
    expect(new Set(keys).size).toBe(lines.length);
  }
});
