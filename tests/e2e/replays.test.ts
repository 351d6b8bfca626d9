import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { incidents, scheduledActions, scheduleOverrides, timelineEntries } from '../../src/db/schema/index.js';
import { declareState, eventually, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';
import { blockActionBody, sendToSlackEndpoint, slashCommandBody, viewSubmissionBody } from '../support/slack-requests.js';
import { privateReplies } from '../support/replies.js';

/** Three steps of one person each, 30 minutes apart: only Escalate moves on within a test. */
const CONFIG = `
admins: [U0ADMIN001]
schedules:
  - id: tns
    name: T&S follow-the-sun
    layers:
      - name: APAC
        timezone: Asia/Singapore
        coverage: { days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00" }
        rotation: { members: [U0SGA0001], every: 1 week, handoff: "09:00", starts: 2026-01-05 }
escalation_policies:
  - id: three
    steps:
      - notify: [{ user: U0STEP001 }]
        wait_minutes: 30
      - notify: [{ user: U0STEP002 }]
        wait_minutes: 30
      - notify: [{ user: U0STEP003 }]
        wait_minutes: 30
    repeat: 0
severities:
  sev1: { label: "SEV1 Critical", policy: three, update_every_minutes: 60 }
  sev2: { label: "SEV2 Major" }
  sev3: { label: "SEV3 Minor" }
  sev4: { label: "SEV4 Low" }
`;

let h: Harness;
let seq = 0;

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, { meridian: parsed.config });
  for (const id of ['U0STEP001', 'U0STEP002', 'U0STEP003', 'U0ADMIN001', 'U0COVER01']) h.fake.addUser({ id, name: id.toLowerCase() });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.fake.reset();
});

const next = (prefix: string) => `${prefix}${String(++seq).padStart(5, '0')}`;

/** Sends one signed request three times: the same body, the same timestamp, so the same signature. */
async function sendThreeTimes(body: string) {
  const timestamp = Math.floor(Date.now() / 1000);
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push(await sendToSlackEndpoint(h.eventsUrl, body, { secret: SIGNING_SECRET, timestamp }));
  return answers;
}

/** The same signed request three times at once, as a retry overlapping a slow first delivery arrives. */
async function sendThreeAtOnce(body: string) {
  const timestamp = Math.floor(Date.now() / 1000);
  return Promise.all([0, 1, 2].map(() => sendToSlackEndpoint(h.eventsUrl, body, { secret: SIGNING_SECRET, timestamp })));
}

async function declare(title: string, severity = 'sev3') {
  await h.submitView({ id: next('V0RPL'), callback_id: 'declare_incident', state: declareState({ title, severity, category: 'other' }) });
  return eventually(async () => {
    const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
    return row?.cardTs && row.declarerToldAt ? row : undefined;
  }, `"${title}" to be set up`);
}

function modalState(values: Record<string, Record<string, unknown>>) {
  return { values: Object.fromEntries(Object.entries(values).map(([block, v]) => [block, { value: v }])) };
}

const posts = (channel: string | null, pattern: string) =>
  h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && JSON.stringify(c.args).includes(pattern));
const toldUser = (userId: string, pattern: string) =>
  [
    ...privateReplies(h.fake).filter((c) => c.args.user === userId),
    ...h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === userId),
  ].filter((c) => String(c.args.text).includes(pattern));

describe('the same request arriving more than once', () => {
  it('when one signed status update arrives three times, then the channel and the feed get it once', async () => {
    const incident = await declare('Replayed status update');
    const view = {
      id: next('V0UPD'),
      callback_id: 'incident_update',
      private_metadata: JSON.stringify({ incidentId: incident.id }),
      state: modalState({
        status: { selected_option: { value: 'investigating' } },
        known: { value: 'Mirror sites found' },
        doing: { value: 'Takedowns requested' },
        next_update: { selected_date_time: null },
      }),
    };
    const answers = await sendThreeTimes(viewSubmissionBody({ userId: 'U0DECL001', view }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(posts(incident.channelId, 'Mirror sites found')).toHaveLength(1);
    expect(posts(h.feedChannelId, 'Mirror sites found')).toHaveLength(1);
    const entries = await h.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'update_posted')));
    expect(entries).toHaveLength(1);
  });

  it('when one signed severity submission arrives three times at once, then the channel and the feed announce one change', async () => {
    const incident = await declare('Replayed severity');
    const view = {
      id: next('V0SEV'),
      callback_id: 'incident_severity',
      private_metadata: JSON.stringify({ incidentId: incident.id }),
      state: modalState({ severity: { selected_option: { value: 'sev2' } }, reason: { value: 'Spreading to a second market' } }),
    };
    const answers = await sendThreeAtOnce(viewSubmissionBody({ userId: 'U0DECL001', view }));
    // Each answer comes after its submission's work, announcements included.
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(posts(incident.channelId, 'Spreading to a second market')).toHaveLength(1);
    expect(posts(h.feedChannelId, 'severity raised')).toHaveLength(1);
    const entries = await h.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'severity_changed')));
    expect(entries).toHaveLength(1);
  });

  it('when one signed resolve submission arrives three times at once, then one resolution message is posted', async () => {
    const incident = await declare('Replayed resolve');
    const view = {
      id: next('V0RES'),
      callback_id: 'incident_resolve',
      private_metadata: JSON.stringify({ incidentId: incident.id }),
      state: modalState({ resolution: { value: 'Hashes blocked at upload' }, mitigation: { value: null }, follow_ups: { value: null } }),
    };
    const answers = await sendThreeAtOnce(viewSubmissionBody({ userId: 'U0DECL001', view }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(posts(incident.channelId, 'Hashes blocked at upload')).toHaveLength(1);
    const entries = await h.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'status_changed')));
    expect(entries).toHaveLength(1);
  });

  it('when one signed /incident mitigate arrives three times at once, then the incident moves once', async () => {
    const incident = await declare('Replayed mitigate');
    const body = slashCommandBody({
      command: '/incident',
      text: 'mitigate',
      userId: 'U0DECL001',
      channelId: incident.channelId!,
      triggerId: h.fake.mintTriggerId(),
    });
    await sendThreeAtOnce(body);
    await eventually(() => (toldUser('U0DECL001', 'mitigated').length === 3 ? true : undefined), 'the three replies');
    const entries = await h.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'status_changed')));
    expect(entries).toHaveLength(1);
  });

  it('when one signed /incident note arrives three times, then the timeline has one entry', async () => {
    const incident = await declare('Replayed note');
    const body = slashCommandBody({
      command: '/incident',
      text: 'note Partner confirmed the takedown',
      userId: 'U0DECL001',
      channelId: incident.channelId!,
      triggerId: h.fake.mintTriggerId(),
    });
    await sendThreeTimes(body);
    await eventually(() => (toldUser('U0DECL001', 'Added to the timeline').length === 3 ? true : undefined), 'the three replies');
    const notes = await h.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'note')));
    expect(notes.map((n) => n.text)).toEqual(['Partner confirmed the takedown']);
  });

  it('when one signed role submission arrives three times, then the role is announced once', async () => {
    const incident = await declare('Replayed role');
    const view = {
      id: next('V0ROL'),
      callback_id: 'incident_role',
      private_metadata: JSON.stringify({ incidentId: incident.id }),
      state: modalState({ role: { selected_option: { value: 'scribe' } }, user: { selected_user: 'U0STEP003' } }),
    };
    await sendThreeTimes(viewSubmissionBody({ userId: 'U0DECL001', view }));
    expect(posts(incident.channelId, '*Scribe*')).toHaveLength(1);
    const entries = await h.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'role_assigned')));
    expect(entries).toHaveLength(1);
  });

  it('when one signed override submission arrives three times, then one override is stored and the cover is told once', async () => {
    const epoch = (ms: number) => Math.floor(ms / 1000);
    const from = Date.now() + 24 * 3600_000;
    const overrideView = (cover: string) => ({
      id: next('V0OVR'),
      callback_id: 'oncall_override',
      state: {
        values: {
          schedule: { value: { type: 'static_select', selected_option: { value: 'tns' } } },
          user: { value: { type: 'users_select', selected_user: cover } },
          from: { value: { type: 'datetimepicker', selected_date_time: epoch(from) } },
          to: { value: { type: 'datetimepicker', selected_date_time: epoch(from + 4 * 3600_000) } },
          reason: { value: { type: 'plain_text_input', value: 'Leave' } },
        },
      },
    });
    const answers = await sendThreeTimes(viewSubmissionBody({ userId: 'U0ADMIN001', view: overrideView('U0COVER01') }));
    expect(answers.map((a) => a.text)).toEqual(['', '', '']);
    // A later override's DM is the sentinel: the replays' DMs, had there been any, came before it.
    await h.submitView(overrideView('U0STEP001'), { userId: 'U0ADMIN001' });
    await eventually(() => h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0STEP001'), 'the later override DM');
    // The later override over the same hours also tells U0COVER01 they no longer cover them; the replays add nothing.
    const toCover = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0COVER01');
    expect(toCover.filter((c) => String(c.args.text).includes('set you to cover'))).toHaveLength(1);
    expect(toCover.filter((c) => String(c.args.text).includes('covers your on-call'))).toHaveLength(1);
    const rows = await h.db.select().from(scheduleOverrides).where(eq(scheduleOverrides.userId, 'U0COVER01'));
    expect(rows).toHaveLength(1);
  });
});

describe('Escalate pressed twice', () => {
  const pageDms = (userId: string) =>
    h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === userId && JSON.stringify(c.args.blocks ?? '').includes('page_ack'));
  const buttonValue = (call: { args: Record<string, unknown> }) =>
    (call.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>)
      .find((b) => b.type === 'actions')!
      .elements!.find((e) => e.action_id === 'page_escalate')!.value;

  it('when the same Escalate button is clicked twice, then only the next step is paged and the DM loses its Escalate button', async () => {
    const incident = await declare('Escalated twice', 'sev1');
    const dm = await eventually(() => pageDms('U0STEP001')[0], 'the first page');
    const dmTs = (dm.response as { ts: string }).ts;
    const click = (actionTs: string) =>
      sendToSlackEndpoint(
        h.eventsUrl,
        blockActionBody({
          userId: 'U0STEP001',
          actionId: 'page_escalate',
          value: buttonValue(dm),
          triggerId: h.fake.mintTriggerId(),
          channelId: String(dm.args.channel),
          messageTs: dmTs,
          actionTs,
        }),
        { secret: SIGNING_SECRET },
      );
    await click('1700000100.000001');
    await eventually(() => pageDms('U0STEP002')[0], 'step 2 to be paged');
    const settled = await eventually(
      () => h.fake.callsTo('chat.update').find((c) => c.args.ts === dmTs && JSON.stringify(c.args.blocks).includes('Escalated by')),
      'the page DM to say it was escalated',
    );
    expect(JSON.stringify(settled.args.blocks)).not.toContain('page_escalate');
    expect(JSON.stringify(settled.args.blocks)).toContain('page_ack');

    const secondAt = new Date();
    await click('1700000101.000002');
    await eventually(() => toldUser('U0STEP001', 'already escalated')[0], 'the answer to the second click');
    const soon = await h.db
      .select()
      .from(scheduledActions)
      .where(and(eq(scheduledActions.incidentId, incident.id), eq(scheduledActions.kind, 'escalation-step')));
    // Step 3 (index 2) is planned 30 minutes after step 2, not now.
    const step3 = soon.filter((a) => (a.data as { stepNumber: number }).stepNumber === 2);
    expect(step3.every((a) => a.dueAt.getTime() > secondAt.getTime() + 60_000)).toBe(true);
    expect(pageDms('U0STEP003')).toHaveLength(0);
    const escalated = await h.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'escalated')));
    expect(escalated).toHaveLength(1);
  });
});

describe('the next update a status update names', () => {
  it('when a SEV1 update is posted without a next-update time, then it names the cadence’s next update, not "when there is news"', async () => {
    const incident = await declare('Update on a cadence', 'sev1');
    const before = Date.now();
    await h.submitView({
      id: next('V0UPD'),
      callback_id: 'incident_update',
      private_metadata: JSON.stringify({ incidentId: incident.id }),
      state: modalState({
        status: { selected_option: { value: 'investigating' } },
        known: { value: 'Cadence check' },
        doing: { value: 'Watching' },
        next_update: { selected_date_time: null },
      }),
    });
    const post = await eventually(() => posts(incident.channelId, 'Cadence check')[0], 'the update in the channel');
    const json = JSON.stringify(post.args.blocks);
    expect(json).not.toContain('when there is news');
    const epoch = Number(/Next update <!date\^(\d+)\^/.exec(json)?.[1]);
    // SEV1 updates every 60 minutes here: the next is due an hour after this one.
    expect(epoch * 1000).toBeGreaterThanOrEqual(before + 59 * 60_000);
    expect(epoch * 1000).toBeLessThanOrEqual(Date.now() + 61 * 60_000);
  });
});
