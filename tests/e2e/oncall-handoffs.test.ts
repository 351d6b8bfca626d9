import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import { incidentClocks, incidentMembers, incidents, scheduledActions } from '../../src/db/schema/index.js';
import type { IncidentStatus } from '../../src/domain/lifecycle.js';
import { TEAM_ID } from '../fakes/fake-slack.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';

const SCHEDULE = 'tns-follow-the-sun';
/**
 * The bot's clock, moved by the tests. Monday 2 March 2026 10:30 UTC at start: EMEA's U0DUC0003
 * is on call; AMER's U0LAA0001 takes over at 18:00 UTC and APAC's U0SGA0001 at 01:00 UTC Tuesday.
 */
let now = new Date('2026-03-02T10:30:00Z');
let h: Harness;

function exampleConfig(): MeridianConfig {
  const parsed = parseMeridianConfig(readFileSync('config/meridian.example.yaml', 'utf8'), 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

const epoch = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
const keyOf = (iso: string, toUser: string) => `handoff:${SCHEDULE}:${Date.parse(iso)}:${toUser}`;

async function noticeRows() {
  return h.db.select().from(scheduledActions).where(eq(scheduledActions.kind, 'handoff-notice'));
}

async function noticeByKey(key: string) {
  const [row] = await h.db.select().from(scheduledActions).where(eq(scheduledActions.dedupeKey, key));
  return row;
}

async function seedIncident(title: string, opts: { isPrivate: boolean; members?: string[]; status?: IncidentStatus }) {
  const [row] = await h.db
    .insert(incidents)
    .values({
      idempotencyKey: `seed:${title}`,
      teamId: TEAM_ID,
      title,
      severity: 'sev2',
      category: 'harmful-trend',
      status: opts.status ?? 'investigating',
      isPrivate: opts.isPrivate,
      declaredBy: 'U0DECL001',
      declaredAt: new Date('2026-03-02T08:00:00Z'),
    })
    .returning();
  if (opts.members?.length) await h.db.insert(incidentMembers).values(opts.members.map((userId) => ({ incidentId: row!.id, userId })));
  return row!;
}

beforeAll(async () => {
  // The reconciler (and the planner with it) runs often here, so overdue notices fire quickly.
  h = await startHarness(import.meta.url, { meridian: exampleConfig(), clock: () => now, reconcileEveryMs: 150 });
  for (const id of ['U0DUC0003', 'U0LAA0001', 'U0SGA0001']) h.fake.addUser({ id, name: id.toLowerCase(), tz: 'Europe/Dublin' });
});
afterAll(async () => {
  await h?.close();
});

describe('handoff notices', () => {
  it('when the bot starts and plans every minute, then each handoff of the next 26 hours gets exactly one notice', async () => {
    await eventually(async () => (await noticeRows()).length === 3, 'three planned notices');
    // Let the planner run many more times.
    await new Promise((r) => setTimeout(r, 600));
    const rows = await noticeRows();
    expect(rows.map((r) => r.dedupeKey).sort()).toEqual(
      [
        keyOf('2026-03-02T18:00:00Z', 'U0LAA0001'),
        keyOf('2026-03-03T01:00:00Z', 'U0SGA0001'),
        keyOf('2026-03-03T10:00:00Z', 'U0DUC0003'),
      ].sort(),
    );
    const amer = rows.find((r) => r.dedupeKey === keyOf('2026-03-02T18:00:00Z', 'U0LAA0001'));
    expect(amer).toMatchObject({ status: 'pending', incidentId: null });
    expect(amer?.dueAt.toISOString()).toBe('2026-03-02T18:00:00.000Z');
    expect(amer?.data).toEqual({
      scheduleId: SCHEDULE,
      at: '2026-03-02T18:00:00.000Z',
      fromUser: 'U0DUC0003',
      toUser: 'U0LAA0001',
      layerName: 'AMER',
      timeZone: 'America/Los_Angeles',
    });
  });

  it('when a handoff is due, then the incoming person is DMed the end of the shift and the incidents they may see, and the outgoing person who took over', async () => {
    const spam = await seedIncident('Public spam wave', { isPrivate: false });
    await seedIncident('Private case with AMER', { isPrivate: true, members: ['U0LAA0001'] });
    const hidden = await seedIncident('Private case without AMER', { isPrivate: true, members: ['U0DECL001'] });
    const clock = (incidentId: string, name: string, dueAt: string, state: 'running' | 'met' = 'running') => ({
      incidentId,
      label: name.toLowerCase().replace(/\W+/g, '-'),
      name,
      startKind: 'typed' as const,
      startedAt: new Date('2026-03-02T17:00:00Z'),
      dueAt: new Date(dueAt),
      state,
    });
    await h.db
      .insert(incidentClocks)
      .values([
        clock(spam.id, 'Partner removal request', '2026-03-02T19:00:00Z'),
        clock(spam.id, 'Already answered order', '2026-03-02T18:30:00Z', 'met'),
        clock(hidden.id, 'Hidden regulator order', '2026-03-02T18:40:00Z'),
      ]);
    await seedIncident('Resolved thing', { isPrivate: false, status: 'resolved' });

    now = new Date('2026-03-02T18:01:30Z'); // over a minute late: the reconciler fires it now
    const row = await eventually(
      async () => {
        const r = await noticeByKey(keyOf('2026-03-02T18:00:00Z', 'U0LAA0001'));
        return r?.status === 'done' ? r : undefined;
      },
      'the AMER notice to be sent',
      10_000,
    );
    expect(row.status).toBe('done');

    const incoming = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0LAA0001');
    expect(incoming).toHaveLength(1);
    const text = incoming[0]!.args.text as string;
    expect(text).toContain('You are on call for *Trust &amp; Safety follow-the-sun* (AMER) until 17:00 Mon Los Angeles time');
    expect(text).toContain(`<!date^${epoch('2026-03-03T01:00:00Z')}^`);
    expect(text).toContain('You take over from <@U0DUC0003>');
    expect(text).toContain('Public spam wave');
    expect(text).toContain('Private case with AMER');
    expect(text).not.toContain('Private case without AMER');
    expect(text).not.toContain('Resolved thing');
    // The running clocks of what they inherit, with when each is due; never a hidden incident's.
    expect(text).toContain('*1 running clock* you inherit');
    expect(text).toContain(
      `*INC-${spam.number}* :alarm_clock: Respond by <!date^${epoch('2026-03-02T19:00:00Z')}^{date_short_pretty} at {time}|`,
    );
    expect(text).toContain('(in 1 h) · Partner removal request');
    expect(text).not.toContain('Already answered order');
    expect(text).not.toContain('Hidden regulator order');

    const outgoing = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0DUC0003');
    expect(outgoing).toHaveLength(1);
    expect(outgoing[0]!.args.text).toContain('<@U0LAA0001> took over *Trust &amp; Safety follow-the-sun* (AMER) from you');
  });

  it('when an override changes who takes over after a notice was planned, then that notice is skipped and the cover is told instead', async () => {
    const planned = await noticeByKey(keyOf('2026-03-03T01:00:00Z', 'U0SGA0001'));
    expect(planned?.status).toBe('pending');

    const reply = await h.submitView(
      {
        id: 'V0OVRHAND01',
        callback_id: 'oncall_override',
        state: {
          values: {
            schedule: { value: { type: 'static_select', selected_option: { value: SCHEDULE } } },
            user: { value: { type: 'users_select', selected_user: 'U0RESP002' } },
            from: { value: { type: 'datetimepicker', selected_date_time: epoch('2026-03-03T00:30:00Z') } },
            to: { value: { type: 'datetimepicker', selected_date_time: epoch('2026-03-03T02:00:00Z') } },
          },
        },
      },
      // The schedule's manager (config/meridian.example.yaml): overrides need permission now.
      { userId: 'U0LEAD0001' },
    );
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');
    await eventually(() => noticeByKey(keyOf('2026-03-03T00:30:00Z', 'U0RESP002')), 'the notice for the cover');

    now = new Date('2026-03-03T01:02:00Z');
    const skipped = await eventually(
      async () => {
        const r = await noticeByKey(keyOf('2026-03-03T01:00:00Z', 'U0SGA0001'));
        return r?.status === 'skipped' ? r : undefined;
      },
      'the stale APAC notice to be skipped',
      10_000,
    );
    expect(skipped.finishedAt).not.toBeNull();
    await eventually(
      async () => (await noticeByKey(keyOf('2026-03-03T00:30:00Z', 'U0RESP002')))?.status === 'done',
      'the cover notice',
      10_000,
    );

    // The person whose hours were covered gets no stale handoff notice; they are told of the cover itself (issue 19).
    const toCovered = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0SGA0001');
    expect(toCovered.filter((c) => String(c.args.text).includes('You are on call'))).toHaveLength(0);
    expect(toCovered.map((c) => String(c.args.text))).toEqual([expect.stringContaining('covers your on-call')]);
    const toCover = h.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === 'U0RESP002' && String(c.args.text).includes('You are on call'));
    expect(toCover).toHaveLength(1);
    expect(toCover[0]!.args.text).toContain('(override)');
    expect(toCover[0]!.args.text).toContain(`<!date^${epoch('2026-03-03T02:00:00Z')}^`);
    const pending = await h.db
      .select()
      .from(scheduledActions)
      .where(and(eq(scheduledActions.kind, 'handoff-notice'), eq(scheduledActions.dedupeKey, keyOf('2026-03-03T02:00:00Z', 'U0SGA0001'))));
    expect(pending[0]?.status).toBe('pending');
  });
});
