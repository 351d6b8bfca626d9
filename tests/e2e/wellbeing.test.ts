import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { auditLog, incidentClocks, incidents, scheduledActions, timelineEntries } from '../../src/db/schema/index.js';
import type { RecordedCall } from '../fakes/fake-slack.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { privateReplies } from '../support/replies.js';

// The example follow-the-sun schedule; a 30-minute exposure threshold, reached by moving the bot's clock (`advance`).
const CONFIG = `
admins: [U0ADMIN001]
schedules:
  - id: tns-follow-the-sun
    name: Trust & Safety follow-the-sun
    layers:
      - name: APAC
        timezone: Asia/Singapore
        coverage: { days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00" }
        rotation: { members: [U0SGA0001, U0SGB0002], every: 1 week, handoff: "09:00", starts: 2026-01-05 }
      - name: EMEA
        timezone: Europe/Dublin
        coverage: { days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00" }
        rotation: { members: [U0DUA0001, U0DUB0002, U0DUC0003], every: 1 week, handoff: "09:00", starts: 2026-01-05 }
      - name: AMER
        timezone: America/Los_Angeles
        coverage: { days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00" }
        rotation: { members: [U0LAA0001, U0LAB0002], every: 1 week, handoff: "09:00", starts: 2026-01-05 }
deadlines:
  - id: hotline-report
    name: "Hotline report"
    within_minutes: 60
    source: "Internal target"
categories:
  - { id: child-safety, name: "Child safety", default_severity: sev1, private: true, sensitive: true, deadline: hotline-report }
  - { id: media-inquiry, name: "Media inquiry", default_severity: sev3 }
wellbeing:
  exposure_minutes: 30
`;

/**
 * The bot's clock runs at real speed from Monday 2 March 2026 10:30 UTC: Singapore's day is over,
 * Dublin's EMEA layer is on duty (U0DUC0003 this week) until 18:00 UTC, Los Angeles starts at 17:00 UTC.
 */
let offsetMs = Date.parse('2026-03-02T10:30:00Z') - Date.now();
/** How far `h.advance` has moved the bot's clock, on top of `clock`. */
let advanced = 0;
const clock = () => new Date(Date.now() + offsetMs);
let h: Harness;
let seq = 0;

const NUDGE = 'on sensitive incidents today';
// What only the nudge says (the card's content note itself says "hand over when you need to").
const WORDS = [NUDGE, 'Hand over to', 'wellbeing_hand_over', 'nobody else is told'];

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, { meridian: parsed.config, clock, reconcileEveryMs: 150 });
  for (const id of ['U0DECL001', 'U0OTHER01', 'U0DUA0001', 'U0DUC0003', 'U0LAA0001', 'U0SGA0001'])
    h.fake.addUser({ id, name: id.toLowerCase(), tz: 'Europe/Dublin' });
});
afterAll(async () => {
  await h?.close();
});

async function declare(title: string, category: string, userId: string, summary = '') {
  seq += 1;
  await h.submitView(
    { id: `V0WELL${String(seq).padStart(4, '0')}`, callback_id: 'declare_incident', state: declareState({ title, category, summary }) },
    { userId },
  );
  return eventually(
    async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
      return row?.cardTs && row.channelId ? row : undefined;
    },
    `"${title}" to be set up`,
    15_000,
  );
}

const posts = () => h.fake.callsTo('chat.postMessage');
const everything = () =>
  ['chat.postMessage', 'chat.postEphemeral', 'response_url', 'chat.update', 'files.uploadV2', 'files.completeUploadExternal'].flatMap((m) =>
    h.fake.callsTo(m),
  );
const mentionsNudge = (c: RecordedCall) => WORDS.some((w) => JSON.stringify(c.args).includes(w));
const dmsTo = (userId: string, pattern: string) =>
  posts().filter((c) => c.args.channel === userId && JSON.stringify(c.args).includes(pattern));

function buttonOf(call: RecordedCall, actionId: string): { value: string; text: string } {
  const blocks = call.args.blocks as Array<{
    type: string;
    elements?: Array<{ action_id?: string; value?: string; text?: { text: string } }>;
  }>;
  const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId);
  if (!button?.value) throw new Error(`no ${actionId} button`);
  return { value: button.value, text: button.text?.text ?? '' };
}

function messageOf(call: RecordedCall): { channel: string; ts: string } {
  const response = call.response as { channel: string; ts: string };
  return { channel: response.channel, ts: response.ts };
}

describe('exposure on a sensitive incident', () => {
  it('the commander gets one private DM with Hand over; nobody else is told; Hand over makes the next hub commander with a briefing', async () => {
    const incident = await declare(
      'Grooming ring on a gaming platform',
      'child-safety',
      'U0DECL001',
      'Reports from two partners about one server',
    );
    seq += 1;
    await h.submitView(
      {
        id: `V0WELLUPD${seq}`,
        callback_id: 'incident_update',
        private_metadata: JSON.stringify({ incidentId: incident.id }),
        state: {
          values: {
            status: { value: { selected_option: { value: 'investigating' } } },
            known: { value: { value: 'Server identified; 3 accounts' } },
            doing: { value: { value: 'Preserving evidence' } },
            next_update: { value: { selected_date_time: null } },
          },
        },
      },
      { userId: 'U0DECL001' },
    );
    await eventually(async () => {
      const rows = await h.db
        .select()
        .from(timelineEntries)
        .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'update_posted')));
      return rows.length === 1;
    }, 'the status update');

    // Past the 30-minute threshold.
    advanced += 31 * 60_000;
    await h.advance(31 * 60_000);
    await h.idle();
    const dm = await eventually(() => dmsTo('U0DECL001', NUDGE)[0], 'the exposure nudge');
    const text = JSON.stringify(dm.args);
    expect(text).toContain(`INC-${incident.number}`);
    expect(text).not.toContain('Grooming ring on a gaming platform'); // a lock screen shows the DM: the number only
    expect(text).toContain('<@U0DUC0003>');
    expect(text).toContain('EMEA (Dublin)');
    expect(text).toContain('Only you get this message; nobody else is told.');
    expect(text).not.toContain('Reports from two partners'); // no incident content beyond the number
    const handOver = buttonOf(dm, 'wellbeing_hand_over');
    expect(handOver.text).toBe('Hand over to @u0duc0003');
    expect(buttonOf(dm, 'wellbeing_stay').text).toBe("I'm fine for now");

    // Sentinel: the check that nudged is done and has planned the next look (tomorrow), so it sent all it will.
    const dmIndex = everything().indexOf(dm);
    await eventually(async () => {
      const rows = await h.db.select().from(scheduledActions).where(eq(scheduledActions.kind, 'exposure-check'));
      const mine = rows.filter((r) => r.data.userId === 'U0DECL001');
      return (
        mine.some((r) => r.status === 'done') &&
        mine.some((r) => r.status === 'pending' && r.dueAt.getTime() > clock().getTime() + advanced + 3_600_000)
      );
    }, 'the nudge to finish and plan tomorrow');
    const told = everything().filter(mentionsNudge);
    expect(told).toEqual([dm]);
    expect(dmsTo('U0DECL001', NUDGE)).toHaveLength(1);
    // Nothing else went anywhere but the person's own DM since.
    expect(
      everything()
        .slice(dmIndex + 1)
        .filter((c) => c.method === 'chat.postMessage' && c.args.channel !== 'U0DECL001'),
    ).toEqual([]);

    // Someone else pressing it is refused, audited, and changes nothing.
    const before = (await h.db.select().from(auditLog).where(eq(auditLog.action, 'wellbeing.hand_over'))).length;
    await h.clickButton({ actionId: 'wellbeing_hand_over', value: handOver.value, userId: 'U0OTHER01' });
    const refusal = await eventually(async () => {
      const rows = await h.db.select().from(auditLog).where(eq(auditLog.action, 'wellbeing.hand_over'));
      return rows.length > before ? rows[rows.length - 1] : undefined;
    }, 'the refusal to be audited');
    expect(refusal).toMatchObject({ actorId: 'U0OTHER01', outcome: 'refused', incidentId: incident.id });
    await eventually(
      () =>
        [...privateReplies(h.fake), ...posts()].find(
          (c) => (c.args.user === 'U0OTHER01' || c.args.channel === 'U0OTHER01') && JSON.stringify(c.args).includes('made to someone else'),
        ),
      'the refusal to be told',
    );
    const [unchanged] = await h.db.select().from(incidents).where(eq(incidents.id, incident.id));
    expect(unchanged!.commanderId).toBe('U0DECL001');

    // The person it was for presses it.
    const dmMessage = messageOf(dm);
    await h.clickButton({
      actionId: 'wellbeing_hand_over',
      value: handOver.value,
      userId: 'U0DECL001',
      channelId: dmMessage.channel,
      messageTs: dmMessage.ts,
    });
    const briefing = await eventually(
      () => posts().find((c) => c.args.channel === incident.channelId && JSON.stringify(c.args).includes('Your briefing')),
      'the briefing in the channel',
      10_000,
    );
    const brief = JSON.stringify(briefing.args.blocks);
    expect(brief).toContain('<@U0DUC0003> is now commander');
    expect(brief).toContain('Reports from two partners about one server');
    expect(brief).toContain('Server identified; 3 accounts');
    expect(brief).toContain('Preserve evidence: URLs, hashes, account ids');
    expect(brief).toContain('Hotline report');
    const [clockRow] = await h.db.select().from(incidentClocks).where(eq(incidentClocks.incidentId, incident.id));
    expect(brief).toContain(`<!date^${Math.floor(clockRow!.dueAt.getTime() / 1000)}^`);
    expect(brief).not.toMatch(/exposure|wellbeing|sensitive incidents today/i);

    const [after] = await h.db.select().from(incidents).where(eq(incidents.id, incident.id));
    expect(after!.commanderId).toBe('U0DUC0003');
    const invite = h.fake
      .callsTo('conversations.invite')
      .find((c) => c.args.channel === incident.channelId && String(c.args.users).includes('U0DUC0003'));
    expect(invite).toBeDefined();
    const updated = await eventually(
      () => h.fake.callsTo('chat.update').find((c) => c.args.ts === dmMessage.ts && JSON.stringify(c.args).includes('Done:')),
      'the DM to say it is done',
    );
    expect(updated.args.channel).toBe(dmMessage.channel);
    const roleEntries = () =>
      h.db
        .select()
        .from(timelineEntries)
        .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'role_assigned')));
    expect(await roleEntries()).toHaveLength(1);
    const roleAudit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.incidentId, incident.id), eq(auditLog.action, 'incident.role')));
    expect(roleAudit).toHaveLength(1);

    // The click again, from a payload naming the incident card (issue 20 item 11): the DM (found by
    // its delivery tag) is brought up to date again, the card is never replaced, nothing else changes.
    const updates = h.fake.callsTo('chat.update').filter((c) => c.args.ts === dmMessage.ts).length;
    expect(after!.cardTs).toBeTruthy();
    await h.clickButton({
      actionId: 'wellbeing_hand_over',
      value: handOver.value,
      userId: 'U0DECL001',
      channelId: incident.channelId!,
      messageTs: after!.cardTs!,
    });
    await eventually(
      () => h.fake.callsTo('chat.update').filter((c) => c.args.ts === dmMessage.ts).length > updates,
      'the retry to be handled',
    );
    expect(h.fake.callsTo('chat.update').filter((c) => c.args.ts === after!.cardTs && JSON.stringify(c.args).includes('Done:'))).toEqual(
      [],
    );
    expect(posts().filter((c) => c.args.channel === incident.channelId && JSON.stringify(c.args).includes('Your briefing'))).toHaveLength(
      1,
    );
    expect(await roleEntries()).toHaveLength(1);
    const refusedSince = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'wellbeing.hand_over'), eq(auditLog.actorId, 'U0DECL001')));
    expect(refusedSince).toHaveLength(0);
  }, 45_000);
});

describe('end of coverage', () => {
  it("30 minutes before Dublin's day ends, an EMEA commander is offered, once, to hand over to Los Angeles", async () => {
    const incident = await declare('Journalist asks about a takedown', 'media-inquiry', 'U0DUA0001');
    const key = `coverage-end:tns-follow-the-sun:EMEA:${Date.parse('2026-03-02T18:00:00Z')}`;
    const [planned] = await h.db.select().from(scheduledActions).where(eq(scheduledActions.dedupeKey, key));
    expect(planned).toMatchObject({ kind: 'coverage-end-offer', status: 'pending' });
    expect(planned!.dueAt.toISOString()).toBe('2026-03-02T17:30:00.000Z');
    expect(dmsTo('U0DUA0001', 'day ends in')).toHaveLength(0);

    offsetMs = Date.parse('2026-03-02T17:31:30Z') - Date.now() - advanced; // over a minute late: the reconciler fires it
    const offer = await eventually(() => dmsTo('U0DUA0001', "Dublin's day ends in")[0], 'the end-of-coverage offer', 15_000);
    const text = JSON.stringify(offer.args);
    expect(text).toMatch(/Dublin's day ends in (28|29) min; Los Angeles's on-call is <@U0LAA0001>/);
    expect(text).toContain(`INC-${incident.number}`);
    expect(buttonOf(offer, 'wellbeing_hand_over').text).toBe('Hand over to @u0laa0001');

    // Sentinel: the planner has run since (it plans Tuesday's EMEA end), and the offer was not repeated.
    const tuesday = `coverage-end:tns-follow-the-sun:EMEA:${Date.parse('2026-03-03T18:00:00Z')}`;
    await eventually(
      async () => (await h.db.select().from(scheduledActions).where(eq(scheduledActions.dedupeKey, tuesday))).length === 1,
      'the next day planned',
    );
    await eventually(async () => {
      const [row] = await h.db.select().from(scheduledActions).where(eq(scheduledActions.dedupeKey, key));
      return row?.status === 'done';
    }, 'the offer row to be done');
    expect(dmsTo('U0DUA0001', 'day ends in')).toHaveLength(1);
    expect(
      everything().filter(
        (c) => JSON.stringify(c.args).includes("Dublin's day ends") && c.args.channel !== 'U0DUA0001' && c.args.channel !== 'U0DUC0003',
      ),
    ).toEqual([]);
  }, 30_000);
});
