import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import { auditLog, incidents, scheduleOverrides, timelineEntries } from '../../src/db/schema/index.js';
import { startMeridian, type Runtime } from '../../src/runtime.js';
import { declareState, eventually, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';
import { sendToSlackEndpoint, viewSubmissionBody } from '../support/slack-requests.js';
import { privateReplies } from '../support/replies.js';

const ADMIN = 'U0ADMIN01';
const LIMITED = 'U0LIMIT01';
const MANAGER = 'U0MANAGE1';
const PAGED = 'U0STEP001';

function configWithLimits(): MeridianConfig {
  const parsed = parseMeridianConfig(
    JSON.stringify({
      admins: [ADMIN],
      schedules: [
        {
          id: 'tns',
          name: 'T&S follow-the-sun',
          managers: [MANAGER],
          layers: [
            {
              name: 'APAC',
              timezone: 'Asia/Singapore',
              coverage: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' },
              rotation: { members: ['U0SGA0001'], every: '1 week', handoff: '09:00', starts: '2026-01-05' },
            },
          ],
        },
      ],
      // Only sev2 pages, so the declarations above page nobody.
      escalation_policies: [
        {
          id: 'two',
          steps: [
            { notify: [{ user: PAGED }], wait_minutes: 30 },
            { notify: [{ user: 'U0STEP002' }], wait_minutes: 30 },
          ],
          repeat: 0,
        },
      ],
      severities: {
        sev1: { label: 'SEV1 Critical' },
        sev2: { label: 'SEV2 Major', policy: 'two' },
        sev3: { label: 'SEV3 Minor' },
        sev4: { label: 'SEV4 Low' },
      },
      limits: {
        declarations_per_user_per_hour: 3,
        declarations_per_team_per_hour: 50,
        escalations_per_user_per_hour: 1,
        reviews_per_user_per_hour: 1,
        overrides_per_user_per_hour: 1,
      },
    }),
    'json',
  );
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.config;
}

let h: Harness;
let viewSeq = 0;

beforeAll(async () => {
  const meridian = configWithLimits();
  h = await startHarness(import.meta.url, { meridian, limits: meridian.limits });
  for (const id of [ADMIN, MANAGER, PAGED, 'U0STEP002', 'U0ESCDECL', 'U0REVDECL', 'U0COVER01', 'U0COVER03', 'U0COVER04'])
    h.fake.addUser({ id, name: id.toLowerCase() });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.fake.reset();
});

function declareView(title: string, severity = 'sev1') {
  viewSeq += 1;
  return {
    id: `V0LIMIT${String(viewSeq).padStart(4, '0')}`,
    callback_id: 'declare_incident',
    private_metadata: JSON.stringify({ originChannelId: 'C0GENERAL1' }),
    state: declareState({ title, severity, category: 'harmful-trend', summary: 'Spreading fast' }),
  };
}

/** Declares as `userId` and waits for the channel to be set up. */
async function declareAs(userId: string, title: string, severity = 'sev1') {
  expect((await h.submitView(declareView(title, severity), { userId })).text).toBe('');
  return eventually(async () => {
    const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
    return row?.channelId && row.declarerToldAt ? row : undefined;
  }, `"${title}" to be set up`);
}

/** What `userId` was told, ephemerally or by DM (an ephemeral Slack refused, to someone outside the channel, was not told). */
const toldUser = (userId: string, start: string) =>
  [
    ...privateReplies(h.fake).filter((c) => c.args.user === userId),
    ...h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === userId),
  ].filter((c) => (c.response as { ok?: boolean } | undefined)?.ok === true && String(c.args.text).startsWith(start));

const refusals = (actorId: string, action: string) =>
  h.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.actorId, actorId), eq(auditLog.action, action), eq(auditLog.outcome, 'refused')));

async function declaredBy(userId: string) {
  return h.db.select({ id: incidents.id }).from(incidents).where(eq(incidents.declaredBy, userId));
}

describe('limits on declarations', () => {
  it('when a person declares more than the hourly limit, then the next one is refused inline with the numbers and audited, while an admin may go on', async () => {
    for (let i = 1; i <= 3; i++) {
      const reply = await h.submitView(declareView(`Burst ${i}`), { userId: LIMITED });
      expect(reply.text).toBe('');
    }
    const refused = await h.submitView(declareView('Burst 4'), { userId: LIMITED });
    const body = refused.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.title).toMatch(
      /^You have declared 3 incidents in the last hour; the limit is 3\. An admin can declare more, or wait \d+ minutes?\.$/,
    );
    expect(await declaredBy(LIMITED)).toHaveLength(3);
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, LIMITED), eq(auditLog.action, 'incident.declare'), eq(auditLog.outcome, 'refused')));
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ reason: 'rate_limited', scope: 'user', limit: 3 });

    for (let i = 1; i <= 4; i++) {
      const reply = await h.submitView(declareView(`Admin ${i}`), { userId: ADMIN });
      expect(reply.text).toBe('');
    }
    expect(await declaredBy(ADMIN)).toHaveLength(4);
  });

  it('when the same declaration is submitted again, then the replay does not count against the limit', async () => {
    const view = declareView('Replayed once');
    await h.submitView(view, { userId: 'U0REPLAY1' });
    await h.submitView(view, { userId: 'U0REPLAY1' });
    await h.submitView(view, { userId: 'U0REPLAY1' });
    for (let i = 2; i <= 3; i++) expect((await h.submitView(declareView(`Replay ${i}`), { userId: 'U0REPLAY1' })).text).toBe('');
    expect(await declaredBy('U0REPLAY1')).toHaveLength(3);
  });

  it('when two replicas share one Redis, then a person at the limit on one is refused on the other', async () => {
    const other: Runtime = await startMeridian(h.config, { logger: pino({ level: 'silent' }), meridian: configWithLimits() });
    try {
      const otherUrl = `http://127.0.0.1:${other.port}/slack/events`;
      const submitOn = (url: string, title: string) =>
        sendToSlackEndpoint(url, viewSubmissionBody({ userId: 'U0TWORUN1', view: declareView(title) }), { secret: SIGNING_SECRET });
      expect((await submitOn(h.eventsUrl, 'Replica A 1')).text).toBe('');
      expect((await submitOn(otherUrl, 'Replica B 2')).text).toBe('');
      expect((await submitOn(h.eventsUrl, 'Replica A 3')).text).toBe('');
      const refused = await submitOn(otherUrl, 'Replica B 4');
      expect((refused.json as { errors: Record<string, string> }).errors.title).toMatch(/the limit is 3/);
      expect(await declaredBy('U0TWORUN1')).toHaveLength(3);
    } finally {
      await other.close();
    }
  });
});

describe('limits on escalations, reviews and overrides', () => {
  const escalateButton = (incidentNumber: number) =>
    eventually(() => {
      const dm = h.fake
        .callsTo('chat.postMessage')
        .find(
          (c) =>
            c.args.channel === PAGED &&
            String(c.args.text).includes(`INC-${incidentNumber}`) &&
            JSON.stringify(c.args.blocks ?? '').includes('page_escalate'),
        );
      if (!dm) return undefined;
      const actions = (dm.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find(
        (b) => b.type === 'actions',
      );
      return actions?.elements?.find((e) => e.action_id === 'page_escalate')?.value;
    }, `the page for INC-${incidentNumber}`);

  it('when a paged person escalates more than the hourly limit, then the next Escalate is refused with the numbers and audited, and nobody more is paged', async () => {
    const first = await declareAs('U0ESCDECL', 'Escalated within the limit', 'sev2');
    await h.clickButton({ actionId: 'page_escalate', value: await escalateButton(first.number), userId: PAGED, channelId: `D${PAGED}` });
    await eventually(() => toldUser(PAGED, ':arrow_double_up: Escalated')[0], 'the first escalation');

    const second = await declareAs('U0ESCDECL', 'Escalated past the limit', 'sev2');
    await h.clickButton({ actionId: 'page_escalate', value: await escalateButton(second.number), userId: PAGED, channelId: `D${PAGED}` });
    const refused = await eventually(() => toldUser(PAGED, ':warning:')[0], 'the refusal');
    expect(String(refused.args.text)).toMatch(
      /^:warning: You have escalated 1 pages in the last hour; the limit is 1\. An admin can do this more, or wait \d+ minutes?\.$/,
    );
    expect(await refusals(PAGED, 'escalation.escalate')).toMatchObject([
      { incidentId: second.id, details: { reason: 'rate_limited', limit: 1 } },
    ]);
    const escalated = await h.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, second.id), eq(timelineEntries.kind, 'escalated')));
    expect(escalated).toHaveLength(0);
  });

  it('when a person asks for more reviews than the hourly limit, then the next is refused with the numbers and audited, while an admin may go on', async () => {
    const incident = await declareAs('U0REVDECL', 'Reviewed within the limit');
    // Each review written says so in the channel: the count of reviews written.
    const written = () =>
      h.fake
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === incident.channelId && JSON.stringify(c.args).includes("is in this channel's canvas")).length;
    await h.command('review', { userId: 'U0REVDECL', channelId: incident.channelId! });
    await eventually(() => toldUser('U0REVDECL', 'Wrote')[0], 'the first review');
    expect(written()).toBe(1);

    await h.command('review', { userId: 'U0REVDECL', channelId: incident.channelId! });
    const refused = await eventually(() => toldUser('U0REVDECL', ':warning:')[0], 'the refusal');
    expect(String(refused.args.text)).toMatch(
      /^:warning: You have posted 1 reviews in the last hour; the limit is 1\. An admin can do this more, or wait \d+ minutes?\.$/,
    );
    expect(written()).toBe(1);
    expect(await refusals('U0REVDECL', 'review.post')).toMatchObject([
      { incidentId: incident.id, details: { reason: 'rate_limited', limit: 1 } },
    ]);

    for (let i = 0; i < 2; i++) await h.command('review', { userId: ADMIN, channelId: incident.channelId! });
    await eventually(() => (toldUser(ADMIN, 'Wrote').length === 2 ? true : undefined), "the admin's two reviews");
    expect(written()).toBe(3);
  });

  it('when a schedule manager saves more overrides than the hourly limit, then the next is refused inline with the numbers and audited, while an admin may go on', async () => {
    const epoch = (ms: number) => Math.floor(ms / 1000);
    const from = Date.now() + 24 * 3600_000;
    const overrideView = (cover: string) => {
      viewSeq += 1;
      return {
        id: `V0LIMOVR${String(viewSeq).padStart(4, '0')}`,
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
      };
    };
    expect((await h.submitView(overrideView('U0COVER01'), { userId: MANAGER })).text).toBe('');
    const refused = await h.submitView(overrideView('U0COVER02'), { userId: MANAGER });
    const body = refused.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.schedule).toMatch(
      /^You have saved 1 overrides in the last hour; the limit is 1\. An admin can do this more, or wait \d+ minutes?\.$/,
    );
    expect(await h.db.select().from(scheduleOverrides).where(eq(scheduleOverrides.createdBy, MANAGER))).toHaveLength(1);
    expect(await refusals(MANAGER, 'oncall.override')).toMatchObject([
      { details: { refusal: 'rate_limited', limit: 1, userId: 'U0COVER02' } },
    ]);

    for (const cover of ['U0COVER03', 'U0COVER04']) expect((await h.submitView(overrideView(cover), { userId: ADMIN })).text).toBe('');
    expect(await h.db.select().from(scheduleOverrides).where(eq(scheduleOverrides.createdBy, ADMIN))).toHaveLength(2);
  });
});
