import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { and, eq, like, sql } from 'drizzle-orm';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { markdownInline } from '../../src/domain/markdown-text.js';
import { deadlineOutcomesView, incidentMetricsView, pageLogView } from '../../src/db/schema/analytics-views.js';
import {
  auditLog,
  incidentSearchText,
  dutyHolds,
  heldTexts,
  incidentReviews,
  incidents,
  intakeReports,
  legalHolds,
  timelineEntries,
} from '../../src/db/schema/index.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { waitForPrivateReply } from '../support/replies.js';
import { eventBody, messageShortcutBody, sendToSlackEndpoint } from '../support/slack-requests.js';
import { SIGNING_SECRET } from '../support/meridian-harness.js';
import { INTAKE_SECRET, sendReport } from '../support/intake-requests.js';

/**
 * Issue 24: legal holds (by an admin or Legal; automatic from a TCO removal order's clock) and
 * the daily retention purge that replaces closed incidents' text and keeps their facts.
 */
const CONFIG = `
admins: [U0ADMIN001]
deadlines:
  - { id: eu-tco-removal-order, name: "EU TCO removal order", within_minutes: 60, source: "Regulation (EU) 2021/784, Art. 3(3)" }
retention:
  default_days: 30
  holds:
    - { deadline: eu-tco-removal-order, days: 183, source: "Regulation (EU) 2021/784, Art. 6" }
  may_hold: [U0LEGAL001]
  may_redact: [U0LEGAL001, { usergroup: S0PRIVACY1 }]
intake:
  sources:
    - { id: portal, name: "Report portal" }
`;

const DAY = 24 * 60 * 60 * 1000;
const AUDIT_API_TOKEN = 'audit-token-0123456789abcdef';
const T0 = Date.parse('2027-01-04T10:00:00Z');
const started = Date.now();

let h: Harness;
let seq = 0;
let viewSeq = 0;

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, {
    meridian: parsed.config,
    env: { AUDIT_API_TOKEN, INTAKE_SIGNING_SECRET: INTAKE_SECRET },
    channels: { INTAKE_CHANNEL: 'intake-triage' },
    clock: () => new Date(T0 + (Date.now() - started)),
  });
  for (const id of ['U0DECL001', 'U0OTHER01', 'U0ADMIN001', 'U0LEAD0001']) h.fake.addUser({ id, name: id.toLowerCase(), tz: 'UTC' });
  h.fake.addUser({ id: 'U0LEGAL001', name: 'Dana Legal', tz: 'UTC' });
  h.fake.addUser({ id: 'U0PRIV0001', name: 'Priya Privacy', tz: 'UTC' });
  h.fake.addUsergroup('S0PRIVACY1', ['U0PRIV0001']);
});
afterAll(async () => {
  await h?.close();
});

async function declare(title: string, opts: { private?: boolean; summary?: string } = {}) {
  seq += 1;
  await h.submitView({
    id: `V0RET${String(seq).padStart(5, '0')}`,
    callback_id: 'declare_incident',
    state: declareState({ title, category: 'harmful-trend', severity: 'sev3', private: opts.private === true, summary: opts.summary }),
  });
  return eventually(async () => {
    const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
    return row?.cardTs && row.channelId ? row : undefined;
  }, `"${title}" to be set up`);
}

/** `/incident <text>` and the reply only the caller sees (`matching`: its own, when an earlier command's reply may still be on its way). */
async function ask(text: string, userId: string, channelId: string, matching?: RegExp): Promise<string> {
  const before = Date.now();
  const reply = await h.command(text, { userId, channelId });
  const inline = String((reply.json as { text?: string } | undefined)?.text ?? '');
  if (inline) return inline;
  const call = await waitForPrivateReply(
    h.fake,
    (c) => c.args.user === userId && c.at >= before && (!matching || matching.test(String(c.args.text))),
  );
  return String(call.args.text);
}

/** A clock command says it once, in the channel (the record): its line there, posted after the command. */
async function sayInChannel(text: string, userId: string, channelId: string, matching: RegExp): Promise<string> {
  const before = Date.now();
  await h.command(text, { userId, channelId });
  const call = await eventually(
    () =>
      h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === channelId && c.at >= before && matching.test(String(c.args.text))),
    `the channel line for "${text}"`,
  );
  return String(call.args.text);
}

const auditOf = (incidentId: string, action: string) =>
  h.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.incidentId, incidentId), eq(auditLog.action, action)));
const textsLike = (incidentId: string, words: string) =>
  h.db
    .select()
    .from(timelineEntries)
    .where(and(eq(timelineEntries.incidentId, incidentId), like(timelineEntries.text, `%${words}%`)));

describe('legal holds', () => {
  it('when Legal holds an incident, then the card shows it and /incident holds lists it; strangers and holds without a reason are refused and audited; a release is audited', async () => {
    const incident = await declare('Hold me');
    const channel = incident.channelId!;

    expect(await ask('hold litigation expected', 'U0OTHER01', channel)).toMatch(/Only Meridian admins/);
    expect(await ask('hold', 'U0LEGAL001', channel)).toMatch(/needs a reason/);
    expect(await ask('hold counsel asked until 2027-13-01', 'U0LEGAL001', channel)).toMatch(/is not a date/);
    expect(await h.db.select().from(legalHolds).where(eq(legalHolds.incidentId, incident.id))).toEqual([]);
    const refusals = await auditOf(incident.id, 'retention.hold');
    expect(refusals.map((r) => [r.actorId, r.outcome, r.details.why])).toEqual(
      expect.arrayContaining([
        ['U0OTHER01', 'refused', 'not_permitted'],
        ['U0LEGAL001', 'refused', 'no_reason'],
      ]),
    );

    expect(await ask('hold counsel expects litigation until 2027-06-30', 'U0LEGAL001', channel)).toMatch(
      /under a legal hold until 2027-06-30/,
    );
    await eventually(
      () =>
        h.fake
          .callsTo('chat.update')
          .find((c) => c.args.ts === incident.cardTs && JSON.stringify(c.args.blocks).includes('Legal hold* until 2027-06-30')),
      'the card to show the hold',
    );
    // The person's reason may be privileged: the card never shows it.
    expect(JSON.stringify(h.fake.callsTo('chat.update').filter((c) => c.args.ts === incident.cardTs))).not.toContain('litigation');
    const list = await ask('holds', 'U0ADMIN001', 'C0GENERAL1');
    expect(list).toContain(`INC-${incident.number}: Hold me`);
    expect(list).toContain('counsel expects litigation');
    expect(await ask('holds', 'U0OTHER01', 'C0GENERAL1')).toMatch(/for Meridian admins and Legal/);

    expect(await ask('release-hold', 'U0LEGAL001', channel)).toMatch(/Say why/);
    expect(await ask('release-hold settled out of court', 'U0LEGAL001', channel, /Released/)).toMatch(/Released the legal hold/);
    const releases = (await auditOf(incident.id, 'retention.release_hold')).map((r) => [r.outcome, r.details.released ?? null]);
    expect(releases).toEqual(
      expect.arrayContaining([
        ['ok', 1],
        ['refused', null],
      ]),
    );
    expect(await ask('holds', 'U0ADMIN001', 'C0GENERAL1')).not.toContain(`INC-${incident.number}:`);
  }, 60_000);
});

describe('holds of private incidents', () => {
  it('when a private incident is held, then /incident holds names it to admins and its members only; Legal outside it learns a count, never its number or title', async () => {
    const incident = await declare('Secret matter', { private: true });
    expect(await ask('hold regulator inquiry', 'U0ADMIN001', incident.channelId!)).toMatch(/legal hold/);
    const legal = await ask('holds', 'U0LEGAL001', 'C0GENERAL1');
    expect(legal).not.toContain(`INC-${incident.number}`);
    expect(legal).not.toContain('Secret matter');
    expect(legal).not.toContain('regulator inquiry');
    expect(legal).toMatch(/One private incident you are not a member of is also held/);
    expect(await ask('holds', 'U0ADMIN001', 'C0GENERAL1')).toContain(`INC-${incident.number} (private): Secret matter`);
    const [look] = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'retention.holds_viewed'), eq(auditLog.actorId, 'U0LEGAL001')));
    expect(look?.details).toMatchObject({ privateNotShown: 1 });
    expect(await ask('release-hold inquiry closed', 'U0ADMIN001', incident.channelId!)).toMatch(/Released/);
  }, 60_000);
});

describe('duty holds', () => {
  it('when a TCO removal-order clock starts, then its preservation hold is audited as it starts; clearing the clock does not end the hold, which runs 183 days from the clearing', async () => {
    const incident = await declare('Order then cleared');
    const channel = incident.channelId!;
    expect(await sayInChannel('deadline eu-tco-removal-order', 'U0DECL001', channel, /Deadline set/)).toMatch(/TCO/);
    const [started] = await auditOf(incident.id, 'retention.hold');
    expect([started?.actorId, started?.outcome, started?.details.duty, started?.details.deadline]).toEqual([
      'U0DECL001',
      'ok',
      'Regulation (EU) 2021/784, Art. 6',
      'eu-tco-removal-order',
    ]);

    await h.advance(40 * 60_000);
    expect(await sayInChannel('deadline clear', 'U0DECL001', channel, /cleared/i)).toMatch(/Deadline cleared/);
    const [cleared] = await h.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'clock_cleared')));
    const [row] = await h.db.select().from(dutyHolds).where(eq(dutyHolds.incidentId, incident.id));
    // 183 days from the clearing (the removal), not from the order's receipt 40 minutes earlier.
    expect(row!.until.getTime() - cleared!.at.getTime()).toBe(183 * DAY);
    expect(row!.until.getTime() - row!.since.getTime()).toBeGreaterThan(183 * DAY + 39 * 60_000);
    const list = await ask('holds', 'U0ADMIN001', 'C0GENERAL1');
    expect(list).toContain(`INC-${incident.number}: Order then cleared`);
    expect(list).toContain(`Regulation (EU) 2021/784, Art. 6 (preservation duty), until ${row!.until.toISOString().slice(0, 10)}`);
    // One audit row for the hold, written when it started; the clearing is the clock's own row.
    expect(await auditOf(incident.id, 'retention.hold')).toHaveLength(1);
  }, 60_000);
});

describe('the daily retention purge', () => {
  it('when a closed incident is past its retention, then the daily job replaces its text and keeps its facts and digest counts; one under a TCO hold waits until the hold ends', async () => {
    const plain = await declare('Plain case');
    const order = await declare('Removal order case');
    await ask('note the victim is Jane Roe', 'U0DECL001', plain.channelId!);
    await ask('note the victim is John Doe', 'U0DECL001', order.channelId!);
    // The clock's line is in the channel (the record); the person who typed it gets no private copy.
    await h.command('deadline eu-tco-removal-order', { userId: 'U0DECL001', channelId: order.channelId! });
    await eventually(
      () =>
        h.fake
          .callsTo('chat.postMessage')
          .find((c) => c.args.channel === order.channelId && /Deadline set: \*.*TCO/.test(String(c.args.text))),
      'the TCO clock in the channel',
    );
    await eventually(
      () => h.fake.callsTo('chat.update').find((c) => c.args.ts === order.cardTs && JSON.stringify(c.args.blocks).includes('Art. 6')),
      'the TCO order card to show its preservation hold',
    );
    // Closed now (how they got there is not what this test is about).
    const closedAt = new Date(T0 + (Date.now() - started));
    for (const id of [plain.id, order.id]) await h.db.update(incidents).set({ status: 'closed', closedAt }).where(eq(incidents.id, id));
    // The review kept in the record (the canvas's Markdown) quotes the note.
    await h.db
      .insert(incidentReviews)
      .values({ incidentId: plain.id, ownerId: 'U0DECL001', markdown: '## Timeline\n- note the victim is Jane Roe' });
    const countsBefore = await entriesPerIncident([plain.id, order.id]);
    const digestBefore = await digest();

    await h.advance(31 * DAY);
    await h.idle(30_000);
    await eventually(async () => (await auditOf(plain.id, 'retention.purge')).length === 1 || undefined, 'the purge of the plain case');
    expect(await textsLike(plain.id, 'Jane Roe')).toEqual([]);
    expect(await h.db.select().from(incidentReviews).where(like(incidentReviews.markdown, '%Jane Roe%'))).toEqual([]);
    expect(await textsLike(plain.id, 'removed under the retention policy')).not.toEqual([]);
    expect(await textsLike(order.id, 'John Doe')).toHaveLength(1);
    expect(await auditOf(order.id, 'retention.purge')).toEqual([]);
    const [purgeRow] = await auditOf(plain.id, 'retention.purge');
    expect(JSON.stringify(purgeRow)).not.toContain('Jane Roe');
    expect(await entriesPerIncident([plain.id, order.id])).toEqual(countsBefore);
    const [plainAfter] = await h.db.select().from(incidents).where(eq(incidents.id, plain.id));
    expect([plainAfter?.severity, plainAfter?.status, plainAfter?.closedAt?.getTime()]).toEqual([
      plain.severity,
      'closed',
      closedAt.getTime(),
    ]);
    expect(await digest()).toBe(digestBefore);

    await h.advance(153 * DAY);
    await h.idle(30_000);
    await eventually(async () => (await auditOf(order.id, 'retention.purge')).length === 1 || undefined, 'the purge once the hold ended');
    expect(await textsLike(order.id, 'John Doe')).toEqual([]);
    expect(await entriesPerIncident([plain.id, order.id])).toEqual(countsBefore);
  }, 90_000);
});

async function entriesPerIncident(ids: string[]): Promise<number[]> {
  return Promise.all(ids.map(async (id) => (await h.db.select().from(timelineEntries).where(eq(timelineEntries.incidentId, id))).length));
}

/** What digests and transparency figures are computed from: the analytics views' rows, in a stable order. */
async function digest(): Promise<string> {
  const views = await Promise.all([
    h.db.select().from(incidentMetricsView),
    h.db.select().from(pageLogView),
    h.db.select().from(deadlineOutcomesView),
  ]);
  return JSON.stringify(views.map((rows) => rows.map((r) => JSON.stringify(r)).sort()));
}

describe('redaction', () => {
  let eventSeq = 0;
  async function deliver(event: Record<string, unknown>): Promise<void> {
    eventSeq += 1;
    const eventId = `Ev0RED${String(eventSeq).padStart(5, '0')}`;
    const answer = await sendToSlackEndpoint(h.eventsUrl, eventBody({ eventId, event }), {
      secret: SIGNING_SECRET,
      contentType: 'application/json',
    });
    expect(answer.status).toBe(200);
  }
  async function pin(channelId: string, text: string): Promise<string> {
    const ts = h.fake.postAsUser(channelId, { user: 'U0DECL001', text });
    await deliver({
      type: 'pin_added',
      user: 'U0DECL001',
      channel_id: channelId,
      item: { type: 'message', channel: channelId, message: { type: 'message', ts, text, user: 'U0DECL001' } },
      event_ts: `${ts}1`,
    });
    await eventually(async () => (await textsLike((await incidentOf(channelId)).id, text)).length === 1 || undefined, 'the pin captured');
    return ts;
  }
  const incidentOf = async (channelId: string) => (await h.db.select().from(incidents).where(eq(incidents.channelId, channelId)))[0]!;
  const timelineBlocks = async (userId: string, channelId: string) => {
    const reply = await h.command('timeline', { userId, channelId });
    return JSON.stringify((reply.json as { blocks?: unknown[] }).blocks ?? []);
  };
  const submitRedaction = (entryId: string, reason: string, userId: string, target?: string) =>
    h.submitView(
      {
        id: `V0RED${entryId.slice(0, 8)}${userId}${target ? target.slice(0, 4) : ''}${++viewSeq}`,
        callback_id: 'redact_entry',
        private_metadata: JSON.stringify(target ? { target } : { entryId }),
        state: { values: { reason: { reason: { type: 'plain_text_input', value: reason } } } },
      },
      { userId },
    );

  it('when Legal redacts a note from the timeline, then the original is gone from the timeline and the database with one audit row; a stranger is refused inline', async () => {
    const incident = await declare('Redaction case');
    const channel = incident.channelId!;
    await ask('note the reporter is minor @kid123 at 12 Elm Street', 'U0DECL001', channel);
    const [note] = await textsLike(incident.id, '@kid123');
    if (!note) throw new Error('the note was not recorded');
    // The review kept in the record quotes the note as the review writes text (escaped Markdown).
    await h.db.insert(incidentReviews).values({
      incidentId: incident.id,
      ownerId: 'U0DECL001',
      markdown: `## Timeline\n- ${markdownInline(note.text)}\n- the rest stays`,
      // Its canvas was deleted in Slack since: the redaction writes the review again, redacted.
      canvasId: 'F0GONE0001',
    });

    expect(await timelineBlocks('U0DECL001', channel)).not.toContain('timeline_redact');
    const offered = await timelineBlocks('U0LEGAL001', channel);
    expect(offered).toContain(`"action_id":"timeline_redact","value":"${note.id}"`);
    await h.clickButton({ actionId: 'timeline_redact', value: note.id, userId: 'U0LEGAL001', channelId: channel });
    await h.fake.waitForCall('views.open', (c) => JSON.stringify(c.args.view).includes('redact_entry'));

    const stranger = await submitRedaction(note.id, 'names a child', 'U0DECL001');
    expect(JSON.stringify(stranger.json)).toMatch(/Only Meridian admins/);
    expect(await textsLike(incident.id, '@kid123')).toHaveLength(1);

    expect((await submitRedaction(note.id, 'names a child', 'U0LEGAL001')).status).toBe(200);
    expect(await h.db.select().from(timelineEntries).where(like(timelineEntries.text, '%kid123%'))).toEqual([]);
    const [review] = await h.db.select().from(incidentReviews).where(eq(incidentReviews.incidentId, incident.id));
    expect(review?.markdown).not.toContain('kid123');
    expect(review?.markdown).toMatch(/redacted by Dana Legal \(U0LEGAL001\) .*\n- the rest stays$/);
    // The review canvas in Slack follows: the redacted review written to it (here made again, since it was deleted).
    const canvas = await eventually(
      () => h.fake.canvases().find((c) => c.channelId === channel),
      'the review canvas to be written again after the redaction',
    );
    expect(canvas.markdown).not.toContain('kid123');
    expect(canvas.markdown).toBe(review?.markdown);
    const shown = await timelineBlocks('U0LEGAL001', channel);
    expect(shown).toMatch(/\[redacted by Dana Legal \(U0LEGAL001\) on \d{4}-\d{2}-\d{2}: names a child\]/);
    expect(shown).not.toContain('<@U0LEGAL001>');
    expect(shown).not.toContain('kid123');
    const audits = await auditOf(incident.id, 'retention.redact');
    expect(audits.map((a) => [a.actorId, a.outcome])).toEqual(
      expect.arrayContaining([
        ['U0LEGAL001', 'ok'],
        ['U0DECL001', 'refused'],
      ]),
    );
    expect(audits.filter((a) => a.outcome === 'ok')).toHaveLength(1);
    expect(JSON.stringify(audits)).not.toContain('kid123');
    expect(await h.db.select().from(heldTexts).where(eq(heldTexts.incidentId, incident.id))).toEqual([]);
  }, 60_000);

  it('when Legal redacts the incident summary and an intake report body, then the originals are gone from the incident, the report, the card, the review and search, with one audit row each; under a hold the summary goes to the held store', async () => {
    const incident = await declare('Summary redaction', { summary: 'Victim Mary Major, 14, Leeds' });
    const channel = incident.channelId!;
    const [report] = await h.db
      .insert(intakeReports)
      .values({
        source: 'portal',
        externalId: `ext-${incident.id}`,
        title: 'Portal report',
        summary: 'Reported by the mother of Mary Major',
        reporter: 'mum@example.org',
        links: ['https://example.org/u/marymajor'],
        status: 'declared',
        receivedAt: new Date(T0),
        incidentId: incident.id,
      })
      .returning();
    await h.db
      .insert(incidentReviews)
      .values({ incidentId: incident.id, ownerId: 'U0DECL001', markdown: '## Summary\nVictim Mary Major, 14, Leeds' });
    expect(await ask('hold police inquiry', 'U0LEGAL001', channel)).toMatch(/legal hold/);

    const offered = await timelineBlocks('U0LEGAL001', channel);
    expect(offered).toContain(`"value":"summary:${incident.id}"`);
    expect(offered).toContain(`"value":"report:${report!.id}"`);
    expect(await timelineBlocks('U0DECL001', channel)).not.toContain('Mary Major');
    await h.clickButton({ actionId: 'timeline_redact', value: `summary:${incident.id}`, userId: 'U0LEGAL001', channelId: channel });
    await h.fake.waitForCall('views.open', (c) => JSON.stringify(c.args.view).includes(`summary:${incident.id}`));

    const stranger = await submitRedaction(incident.id, 'names a child', 'U0DECL001', `summary:${incident.id}`);
    expect(JSON.stringify(stranger.json)).toMatch(/Only Meridian admins/);
    expect((await submitRedaction(incident.id, 'names a child', 'U0LEGAL001', `summary:${incident.id}`)).status).toBe(200);
    expect((await submitRedaction(report!.id, 'names a child', 'U0LEGAL001', `report:${report!.id}`)).status).toBe(200);

    expect(await h.db.select().from(incidents).where(like(incidents.summary, '%Mary Major%'))).toEqual([]);
    expect(await h.db.select().from(intakeReports).where(like(intakeReports.summary, '%Mary Major%'))).toEqual([]);
    expect(await h.db.select().from(incidentReviews).where(like(incidentReviews.markdown, '%Mary Major%'))).toEqual([]);
    expect(await h.db.select().from(incidentSearchText).where(like(incidentSearchText.body, '%Mary Major%'))).toEqual([]);
    const [after] = await h.db.select().from(incidents).where(eq(incidents.id, incident.id));
    expect(after?.summary).toMatch(/^\[redacted by Dana Legal \(U0LEGAL001\) on \d{4}-\d{2}-\d{2}: names a child\]$/);
    const [reportAfter] = await h.db.select().from(intakeReports).where(eq(intakeReports.id, report!.id));
    expect([reportAfter?.reporter, reportAfter?.links]).toEqual([null, []]);
    const lastCard = () =>
      JSON.stringify(
        h.fake
          .callsTo('chat.update')
          .filter((c) => c.args.ts === incident.cardTs)
          .at(-1)?.args.blocks ?? [],
      );
    await eventually(() => lastCard().includes('redacted by Dana Legal') || undefined, 'the card to show the placeholder');
    expect(
      JSON.stringify(
        h.fake
          .callsTo('chat.update')
          .filter((c) => c.args.ts === incident.cardTs)
          .at(-1)?.args.blocks,
      ),
    ).not.toContain('Mary Major');
    const audits = (await auditOf(incident.id, 'retention.redact')).filter((a) => a.outcome === 'ok');
    expect(audits.map((a) => [a.details.target, a.details.held])).toEqual(
      expect.arrayContaining([
        ['summary', true],
        ['report', true],
      ]),
    );
    expect(audits).toHaveLength(2);
    expect(JSON.stringify(await auditOf(incident.id, 'retention.redact'))).not.toContain('Mary Major');
    const held = await h.db.select().from(heldTexts).where(eq(heldTexts.incidentId, incident.id));
    expect(held.map((r) => [r.target, r.text.includes('Mary Major')])).toEqual(
      expect.arrayContaining([
        ['summary', true],
        ['report', true],
      ]),
    );
    // Redacted already: nothing left to offer.
    expect(await timelineBlocks('U0LEGAL001', channel)).not.toContain(`summary:${incident.id}`);
  }, 60_000);

  /** A report sent to the intake API and its triage post. */
  async function sendToTriage(externalId: string, summary: string) {
    const intakeChannel = h.config.INTAKE_CHANNEL as string;
    const title = `Report ${externalId}`;
    const body = {
      source: 'portal',
      external_id: externalId,
      title,
      summary,
      reporter: 'mum@example.org',
      links: ['https://example.org/u/kid'],
    };
    // Signed at the bot's clock (the harness runs in 2027, moved on by the purge case).
    const reply = await sendReport(h.runtime.port, body, { timestamp: Math.floor(h.now().getTime() / 1000) });
    expect(reply.status).toBe(202);
    const post = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === intakeChannel && String(c.args.text).includes(title),
    );
    return { reportId: String(reply.json?.report_id), ts: (post.response as { ts: string }).ts, post, intakeChannel, title };
  }
  const reportAudits = (reportId: string) =>
    h.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, 'retention.redact'),
          sql`${auditLog.details}->>'reportId' = ${reportId} or ${auditLog.details}->>'id' = ${reportId}`,
        ),
      );

  it('when Legal redacts a report still in triage from its Redact button, then the report and its triage post lose the body, with one audit row without the text; a stranger is refused and audited', async () => {
    const { reportId, ts, post, intakeChannel } = await sendToTriage('TRI-1', 'The child Tom Minor, 12, lives at 3 Oak Road');
    const offered = JSON.stringify(post.args.blocks);
    expect(offered).toContain(`"action_id":"timeline_redact","value":"report:${reportId}"`);
    await h.clickButton({
      actionId: 'timeline_redact',
      value: `report:${reportId}`,
      userId: 'U0LEGAL001',
      channelId: intakeChannel,
      messageTs: ts,
    });
    await h.fake.waitForCall('views.open', (c) => JSON.stringify(c.args.view).includes(`report:${reportId}`));

    const stranger = await submitRedaction(reportId, 'names a child', 'U0DECL001', `report:${reportId}`);
    expect(JSON.stringify(stranger.json)).toMatch(/Only Meridian admins/);
    expect(await h.db.select().from(intakeReports).where(like(intakeReports.summary, '%Tom Minor%'))).toHaveLength(1);
    expect(h.fake.callsTo('chat.update').filter((c) => c.args.ts === ts)).toEqual([]);

    expect((await submitRedaction(reportId, 'names a child', 'U0LEGAL001', `report:${reportId}`)).status).toBe(200);
    const [row] = await h.db.select().from(intakeReports).where(eq(intakeReports.id, reportId));
    expect(row?.summary).toMatch(/^\[redacted by Dana Legal \(U0LEGAL001\) on \d{4}-\d{2}-\d{2}: names a child\]$/);
    expect([row?.reporter, row?.links, row?.status]).toEqual([null, [], 'pending']);
    // The triage post in Slack is rewritten: the placeholder, still Declare/Merge/Dismiss, no Redact left to offer.
    const update = await h.fake.waitForCall('chat.update', (c) => c.args.ts === ts && c.args.channel === intakeChannel);
    const shown = `${String(update.args.text)} ${JSON.stringify(update.args.blocks)}`;
    expect(shown).toContain('redacted by Dana Legal');
    expect(shown).toContain('triage_declare');
    expect(shown).not.toMatch(/Tom Minor|Oak Road|mum@example|example\.org\/u\/kid|timeline_redact/);
    const audits = await reportAudits(reportId);
    expect(audits.map((a) => [a.actorId, a.outcome, a.incidentId])).toEqual(
      expect.arrayContaining([
        ['U0LEGAL001', 'ok', null],
        ['U0DECL001', 'refused', null],
      ]),
    );
    expect(audits).toHaveLength(2);
    expect(JSON.stringify(audits)).not.toMatch(/Tom Minor|mum@example/);
    // Nothing left to redact: said so, nothing changes.
    const again = await submitRedaction(reportId, 'again', 'U0LEGAL001', `report:${reportId}`);
    expect(JSON.stringify(again.json)).toMatch(/nothing left to redact/);
  }, 60_000);

  it('when a report is dismissed, then its decided triage post still offers Redact, and redacting it rewrites the post', async () => {
    const { reportId, ts, intakeChannel } = await sendToTriage('TRI-3', 'Spam naming Lee Minor');
    seq += 1;
    await h.submitView(
      {
        id: `V0RET${String(seq).padStart(5, '0')}`,
        callback_id: 'triage_dismiss',
        private_metadata: JSON.stringify({ reportId }),
        state: { values: { reason: { value: { type: 'plain_text_input', value: 'spam' } } } },
      },
      { userId: 'U0ADMIN001' },
    );
    const decided = await h.fake.waitForCall('chat.update', (c) => c.args.ts === ts && String(c.args.text).includes('Dismissed'));
    expect(JSON.stringify(decided.args.blocks)).toContain(`"action_id":"timeline_redact","value":"report:${reportId}"`);
    expect((await submitRedaction(reportId, 'names a child', 'U0LEGAL001', `report:${reportId}`)).status).toBe(200);
    const update = await h.fake.waitForCall(
      'chat.update',
      (c) => c.args.channel === intakeChannel && c.args.ts === ts && JSON.stringify(c.args.blocks).includes('redacted by Dana Legal'),
    );
    const shown = JSON.stringify(update.args.blocks);
    expect(shown).toContain('Dismissed by');
    expect(shown).not.toMatch(/Lee Minor|timeline_redact/);
  }, 60_000);

  it('when a report declared as an incident is redacted from the timeline, then its triage post and its post in the incident channel are rewritten without the body', async () => {
    const { reportId, ts, intakeChannel, title } = await sendToTriage('TRI-2', 'Victim Ann Minor, 13, school in Hull');
    await h.clickButton({ actionId: 'triage_declare', value: reportId, userId: 'U0ADMIN001', channelId: intakeChannel, messageTs: ts });
    const open = await h.fake.waitForCall('views.open', (c) => JSON.stringify(c.args.view).includes(reportId));
    const form = open.args.view as { blocks: Array<{ block_id?: string; element?: { initial_value?: string } }> };
    const prefilled = String(form.blocks.find((b) => b.block_id === 'summary')?.element?.initial_value);
    expect(prefilled).toContain('Ann Minor');
    seq += 1;
    await h.submitView(
      {
        id: `V0RET${String(seq).padStart(5, '0')}`,
        callback_id: 'declare_incident',
        private_metadata: (open.args.view as { private_metadata: string }).private_metadata,
        // The summary as the declare form prefilled it from the report: it quotes the body, the reporter and the links.
        state: declareState({ title, category: 'harmful-trend', severity: 'sev3', summary: prefilled }),
      },
      { userId: 'U0ADMIN001' },
    );
    const incident = await eventually(async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
      return row?.channelId && row.cardTs ? row : undefined;
    }, 'the incident declared from the report');
    const inChannel = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === incident.channelId && JSON.stringify(c.args.blocks ?? []).includes('Ann Minor'),
    );
    const channelTs = (inChannel.response as { ts: string }).ts;
    await h.fake.waitForCall('chat.update', (c) => c.args.ts === ts && String(c.args.text).includes('Declared as'));

    expect((await submitRedaction(reportId, 'names a child', 'U0LEGAL001', `report:${reportId}`)).status).toBe(200);
    for (const [channel, at] of [
      [intakeChannel, ts],
      [incident.channelId, channelTs],
    ] as const) {
      const update = await h.fake.waitForCall(
        'chat.update',
        (c) => c.args.channel === channel && c.args.ts === at && JSON.stringify(c.args.blocks ?? []).includes('redacted by Dana Legal'),
      );
      expect(`${String(update.args.text)} ${JSON.stringify(update.args.blocks)}`).not.toMatch(/Ann Minor|Hull|mum@example/);
    }
    // The incident's summary quoted the report: the report's words go from it too, and from its card.
    const [after] = await h.db.select().from(incidents).where(eq(incidents.id, incident.id));
    expect(after?.summary).toContain('redacted by Dana Legal');
    expect(after?.summary).not.toMatch(/Ann Minor|mum@example|example\.org\/u\/kid/);
    const card = await h.fake.waitForCall(
      'chat.update',
      (c) => c.args.ts === incident.cardTs && JSON.stringify(c.args.blocks ?? []).includes('redacted by Dana Legal'),
    );
    expect(JSON.stringify(card.args.blocks)).not.toMatch(/Ann Minor|mum@example/);
  }, 60_000);

  it("when Legal redacts a status update and the resolution summary, then Meridian's update in the channel and the feed and its resolution line are rewritten without the originals", async () => {
    const incident = await declare('Posts redaction');
    const channel = incident.channelId!;
    const values = (v: Record<string, unknown>) => ({ values: Object.fromEntries(Object.entries(v).map(([b, x]) => [b, { value: x }])) });
    const submit = (callbackId: string, state: Record<string, unknown>) =>
      h.submitView(
        {
          id: `V0POST${++viewSeq}`,
          callback_id: callbackId,
          private_metadata: JSON.stringify({ incidentId: incident.id }),
          state: values(state),
        },
        { userId: 'U0DECL001' },
      );
    const postIn = (where: string, words: string) =>
      h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === where && JSON.stringify(c.args).includes(words));
    const rewritten = async (post: { args: Record<string, unknown>; response?: unknown }, gone: RegExp) => {
      const ts = (post.response as { ts: string }).ts;
      const update = await h.fake.waitForCall(
        'chat.update',
        (c) => c.args.channel === post.args.channel && c.args.ts === ts && JSON.stringify(c.args).includes('redacted by Dana Legal'),
      );
      expect(JSON.stringify(update.args)).not.toMatch(gone);
    };

    await submit('incident_update', {
      status: { selected_option: { value: 'investigating' } },
      known: { value: 'Doxxed address 9 Pine Lane' },
      doing: { value: 'Takedowns requested' },
      next_update: { selected_date_time: null },
    });
    const inChannel = await postIn(channel, 'Pine Lane');
    const inFeed = await postIn(h.feedChannelId, 'Pine Lane');
    const [update] = await textsLike(incident.id, 'Pine Lane');
    expect((await submitRedaction(update!.id, 'an address', 'U0LEGAL001')).status).toBe(200);
    await rewritten(inChannel, /Pine Lane/);
    await rewritten(inFeed, /Pine Lane/);

    await submit('incident_resolve', {
      resolution: { value: 'Found Sam Minor safe' },
      mitigation: { value: null },
      follow_ups: { value: null },
    });
    const line = await postIn(channel, 'Sam Minor');
    expect((await submitRedaction(incident.id, 'names a child', 'U0LEGAL001', `resolution_summary:${incident.id}`)).status).toBe(200);
    await rewritten(line, /Sam Minor/);
    expect(JSON.stringify((await auditOf(incident.id, 'retention.redact')).map((a) => a.details))).not.toMatch(/Pine Lane|Sam Minor/);
  }, 60_000);

  it('when may_redact names a Slack user group, then its members may redact while they are in it, read from Slack at the time', async () => {
    const incident = await declare('Group redaction', { summary: 'Teen handle @young_one' });
    const channel = incident.channelId!;
    expect(await timelineBlocks('U0PRIV0001', channel)).toContain(`"value":"summary:${incident.id}"`);
    h.fake.addUsergroup('S0PRIVACY1', []);
    const refused = await submitRedaction(incident.id, 'a minor', 'U0PRIV0001', `summary:${incident.id}`);
    expect(JSON.stringify(refused.json)).toMatch(/Only Meridian admins/);
    expect(await timelineBlocks('U0PRIV0001', channel)).not.toContain('timeline_redact');
    h.fake.addUsergroup('S0PRIVACY1', ['U0PRIV0001']);
    expect((await submitRedaction(incident.id, 'a minor', 'U0PRIV0001', `summary:${incident.id}`)).status).toBe(200);
    const [after] = await h.db.select().from(incidents).where(eq(incidents.id, incident.id));
    expect(after?.summary).toMatch(/^\[redacted by Priya Privacy \(U0PRIV0001\) on /);
    expect(h.fake.callsTo('usergroups.users.list').length).toBeGreaterThan(0);
  }, 60_000);

  it('when a captured message is edited in Slack, then the copy follows; when deleted, the copy is redacted; under a hold the original goes to the held store for its owners', async () => {
    const incident = await declare('Edited evidence');
    const channel = incident.channelId!;
    const ts = await pin(channel, 'Offending account @badactor1');
    await deliver({
      type: 'message',
      subtype: 'message_changed',
      channel,
      hidden: true,
      ts: `${ts}9`,
      message: { type: 'message', ts, text: 'Offending account @badactor2', user: 'U0DECL001' },
      previous_message: { ts, text: 'Offending account @badactor1' },
    });
    await eventually(async () => (await textsLike(incident.id, '@badactor2')).length === 1 || undefined, 'the copy to follow the edit');
    expect(await textsLike(incident.id, '@badactor1')).toEqual([]);

    // "Redact in Meridian" on the message opens the Redact modal for its timeline copy.
    const [copy] = await textsLike(incident.id, '@badactor2');
    const shortcut = (userId: string) =>
      sendToSlackEndpoint(
        h.eventsUrl,
        messageShortcutBody({
          userId,
          callbackId: 'redact_from_message',
          triggerId: h.fake.mintTriggerId(),
          channelId: channel,
          message: { ts, text: 'x' },
        }),
        { secret: SIGNING_SECRET, contentType: 'application/x-www-form-urlencoded' },
      );
    expect((await shortcut('U0LEGAL001')).status).toBe(200);
    await h.fake.waitForCall('views.open', (c) => JSON.stringify(c.args.view).includes(String(copy?.id)));
    const before = Date.now();
    await shortcut('U0DECL001');
    await waitForPrivateReply(
      h.fake,
      (c) => c.args.user === 'U0DECL001' && c.at >= before && /Only Meridian admins/.test(String(c.args.text)),
    );

    expect(await ask('hold evidence for the police until 2027-12-31', 'U0LEGAL001', channel)).toMatch(/legal hold/);
    await deliver({ type: 'message', subtype: 'message_deleted', channel, hidden: true, ts: `${ts}8`, deleted_ts: ts });
    await eventually(
      async () => (await textsLike(incident.id, 'message deleted in Slack')).length === 1 || undefined,
      'the copy to be redacted',
    );
    expect(await textsLike(incident.id, '@badactor2')).toEqual([]);
    const held = await h.db.select().from(heldTexts).where(eq(heldTexts.incidentId, incident.id));
    expect(held.map((r) => [r.text, r.owners])).toEqual([['Offending account @badactor2', ['U0LEGAL001']]]);

    // The hold's owner reads it, only they see it; someone else (even a member) does not; both looks are audited without the text.
    const shown = await ask(`held INC-${incident.number}`, 'U0LEGAL001', 'C0GENERAL1');
    expect(shown).toContain('Offending account @badactor2');
    expect(shown).toMatch(/Timeline entry\*, redacted deleted in Slack/);
    const other = await ask(`held INC-${incident.number}`, 'U0DECL001', channel);
    expect(other).toMatch(/not among the owners/);
    expect(other).not.toContain('badactor');
    expect(await ask('held nonsense', 'U0LEGAL001', 'C0GENERAL1')).toMatch(/^Ask for `\/incident held INC-<n>`/);
    const looks = await auditOf(incident.id, 'retention.held_viewed');
    expect(looks.map((l) => [l.actorId, l.outcome])).toEqual(
      expect.arrayContaining([
        ['U0LEGAL001', 'ok'],
        ['U0DECL001', 'refused'],
      ]),
    );
    expect(JSON.stringify(looks)).not.toContain('badactor');
    // Nothing of it reached a channel: the replies are ephemeral.
    expect(JSON.stringify(h.fake.callsTo('chat.postMessage'))).not.toContain('@badactor2');
  }, 60_000);
});

describe('the audit log', () => {
  it("when the bot's database role tries to change or remove an audit row, then Postgres refuses and the row stays as written", async () => {
    const [row] = await h.db.select().from(auditLog).limit(1);
    if (!row) throw new Error('no audit row to try on');
    // Postgres's own message (drizzle wraps it as the cause).
    const refusal = (attempt: Promise<unknown>) =>
      attempt.then(
        () => 'changed',
        (err: Error) => String((err.cause as Error | undefined)?.message ?? err.message),
      );
    expect(await refusal(h.db.update(auditLog).set({ outcome: 'ok', actorId: 'U0FORGED1' }).where(eq(auditLog.id, row.id)))).toMatch(
      /append-only/,
    );
    expect(await refusal(h.db.delete(auditLog).where(eq(auditLog.id, row.id)))).toMatch(/append-only/);
    expect(await refusal(h.db.execute(sql`truncate audit_log`))).toMatch(/append-only/);
    expect(await h.db.select().from(auditLog).where(eq(auditLog.id, row.id))).toEqual([row]);
  });

  it('when an auditor exports a period, then CSV and JSON Lines carry the documented columns and round-trip through their parsers; a bad token or format is refused', async () => {
    const url = (query: string) => `http://127.0.0.1:${h.runtime.port}/api/audit?${query}`;
    const get = (query: string, token = AUDIT_API_TOKEN) => fetch(url(query), { headers: { authorization: `Bearer ${token}` } });
    expect((await get('from=2026-01-01&to=2030-12-31', 'wrong-token-0123456789')).status).toBe(401);
    const bad = await get('from=2027-01-01&to=2027-01-31&format=xml');
    expect([bad.status, await bad.text()]).toEqual([400, 'format: expected csv or jsonl\n']);

    const expected = await h.db.select().from(auditLog).where(sql`${auditLog.at} >= '2027-01-01' and ${auditLog.at} < '2028-01-01'`);
    const csvAnswer = await get('from=2027-01-01&to=2027-12-31&format=csv');
    expect(csvAnswer.headers.get('content-type')).toContain('text/csv');
    const rows: Array<Record<string, string> & { action: string }> = parseCsv(await csvAnswer.text(), { columns: true });
    const jsonl = (await (await get('from=2027-01-01&to=2027-12-31&format=jsonl')).text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const columns = ['id', 'at', 'incident_id', 'incident_number', 'actor_id', 'action', 'outcome', 'details'];
    expect(Object.keys(rows[0] ?? {})).toEqual(columns);
    expect(Object.keys(jsonl[0] ?? {})).toEqual(columns);
    // Each export is audited: the JSON export, made second, also lists the CSV export.
    const notExports = (r: { action: string }) => r.action !== 'audit.export';
    expect(rows.map((r) => r.id).sort()).toEqual(
      expected
        .filter(notExports)
        .map((r) => r.id)
        .sort(),
    );
    expect(
      jsonl
        .filter(notExports)
        .map((r) => r.id)
        .sort(),
    ).toEqual(
      rows
        .filter(notExports)
        .map((r) => r.id)
        .sort(),
    );
    expect(jsonl.filter((r) => !notExports(r))).toHaveLength(1);
    const hold = rows.find((r) => r.action === 'retention.hold' && r.outcome === 'refused');
    expect(JSON.parse(hold?.details ?? '{}')).toEqual(jsonl.find((r) => r.id === hold?.id)?.details);
    expect(JSON.stringify(rows)).not.toContain('kid123');
  });
});
