import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import { auditLog, scheduledActions, scheduleOverrides } from '../../src/db/schema/index.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';

/** Monday 2 March 2026, 10:30 UTC. */
const NOW = new Date('2026-03-02T10:30:00Z');
const SCHEDULE = 'tns-follow-the-sun';

let h: Harness;
let viewSeq = 0;

function exampleConfig(): MeridianConfig {
  const parsed = parseMeridianConfig(readFileSync('config/meridian.example.yaml', 'utf8'), 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

const epoch = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

function overrideView(fields: {
  schedule?: string | null;
  user?: string | null;
  from?: string | null;
  to?: string | null;
  reason?: string;
}) {
  viewSeq += 1;
  return {
    id: `V0OVR${String(viewSeq).padStart(5, '0')}`,
    callback_id: 'oncall_override',
    state: {
      values: {
        schedule: { value: { type: 'static_select', selected_option: fields.schedule ? { value: fields.schedule } : null } },
        user: { value: { type: 'users_select', selected_user: fields.user ?? null } },
        from: { value: { type: 'datetimepicker', selected_date_time: fields.from ? epoch(fields.from) : null } },
        to: { value: { type: 'datetimepicker', selected_date_time: fields.to ? epoch(fields.to) : null } },
        reason: { value: { type: 'plain_text_input', value: fields.reason ?? null } },
      },
    },
  };
}

async function overrideRows() {
  return h.db.select().from(scheduleOverrides).where(eq(scheduleOverrides.source, 'slack'));
}

async function oncallText(text: string): Promise<string> {
  const reply = await h.command(text, { command: '/oncall', userId: 'U0DECL001' });
  return (reply.json as { text: string }).text;
}

beforeAll(async () => {
  h = await startHarness(import.meta.url, { meridian: exampleConfig(), clock: () => NOW });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.fake.reset();
});

describe('setting an on-call override from Slack', () => {
  it('when the end is before the start, then the modal shows the error on "to" and nothing is stored', async () => {
    const reply = await h.submitView(
      overrideView({ schedule: SCHEDULE, user: 'U0RESP001', from: '2026-03-03T13:00:00Z', to: '2026-03-03T09:00:00Z' }),
    );
    expect(reply.json).toEqual({ response_action: 'errors', errors: { to: 'The end must be after the start.' } });
    expect(await overrideRows()).toHaveLength(0);
  });

  it('when the cover is entirely in the past, then the modal says so on "to"', async () => {
    const reply = await h.submitView(
      overrideView({ schedule: SCHEDULE, user: 'U0RESP001', from: '2026-03-01T09:00:00Z', to: '2026-03-01T13:00:00Z' }),
    );
    expect(reply.json).toMatchObject({ response_action: 'errors', errors: { to: expect.stringMatching(/entirely in the past/) } });
  });

  it('when fields are missing or the schedule is unknown, then each error lands on its own block', async () => {
    const empty = await h.submitView(overrideView({}));
    expect(empty.json).toMatchObject({
      response_action: 'errors',
      errors: { schedule: 'Choose a schedule.', user: 'Choose who covers.', from: expect.any(String), to: expect.any(String) },
    });
    const unknown = await h.submitView(
      overrideView({ schedule: 'tns-moon', user: 'U0RESP001', from: '2026-03-03T09:00:00Z', to: '2026-03-03T13:00:00Z' }),
    );
    expect(unknown.json).toMatchObject({ response_action: 'errors', errors: { schedule: expect.stringMatching(/no longer exists/) } });
    expect(await overrideRows()).toHaveLength(0);
    expect(await h.db.select().from(auditLog).where(eq(auditLog.action, 'oncall.override'))).toHaveLength(0);
  });

  it('when a valid override is submitted, then it is stored and audited, changes /oncall at, plans a notice and confirms by DM', async () => {
    const before = await oncallText('at 2026-03-03T10:30Z');
    expect(before).toContain('<@U0DUC0003>, EMEA');

    const reply = await h.submitView(
      overrideView({
        schedule: SCHEDULE,
        user: 'U0RESP001',
        from: '2026-03-03T09:00:00Z',
        to: '2026-03-03T13:00:00Z',
        reason: 'Dentist <!channel>',
      }),
      { userId: 'U0DECL001' },
    );
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');

    const [row] = await overrideRows();
    expect(row).toMatchObject({ scheduleId: SCHEDULE, userId: 'U0RESP001', createdBy: 'U0DECL001', source: 'slack' });
    expect(row?.startsAt.toISOString()).toBe('2026-03-03T09:00:00.000Z');
    expect(row?.endsAt.toISOString()).toBe('2026-03-03T13:00:00.000Z');
    const [audit] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'oncall.override'));
    expect(audit).toMatchObject({ actorId: 'U0DECL001', outcome: 'ok' });
    expect(audit?.details).toMatchObject({ overrideId: row?.id, scheduleId: SCHEDULE, userId: 'U0RESP001', reason: 'Dentist <!channel>' });

    const after = await oncallText('at 2026-03-03T10:30Z');
    expect(after).toContain('<@U0RESP001> by *override*');
    expect(after).toContain(`until <!date^${epoch('2026-03-03T13:00:00Z')}^`);

    const notice = await eventually(async () => {
      const [planned] = await h.db
        .select()
        .from(scheduledActions)
        .where(eq(scheduledActions.dedupeKey, `handoff:${SCHEDULE}:${Date.parse('2026-03-03T09:00:00Z')}:U0RESP001`));
      return planned;
    }, 'the handoff notice for the cover');
    expect(notice).toMatchObject({ kind: 'handoff-notice', status: 'pending', incidentId: null });
    expect(notice.data).toEqual({
      scheduleId: SCHEDULE,
      at: '2026-03-03T09:00:00.000Z',
      fromUser: 'U0SGA0001',
      toUser: 'U0RESP001',
      layerName: 'APAC',
      timeZone: 'Asia/Singapore',
    });

    const toAuthor = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0DECL001');
    expect(toAuthor.args.text).toContain(':white_check_mark: Override saved: <@U0RESP001> covers');
    expect(toAuthor.args.text).toContain('Dentist &lt;!channel&gt;');
    const toCover = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0RESP001');
    expect(toCover.args.text).toContain('<@U0DECL001> set you to cover');
  });
});
