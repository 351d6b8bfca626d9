import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SQL, sql } from 'drizzle-orm';
import { defaultMeridianConfig, parseMeridianConfig } from '../../src/config-file/load.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import { DEFAULT_REGULATORY } from '../../src/config-file/regulatory.js';
import { escalations, incidentClocks, incidents, orders, pages } from '../../src/db/schema/index.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { waitForPrivateReply } from '../support/replies.js';

const TOKEN = 'reports-token-0123456789abcdef';
const HEADER =
  'number,title,severity,category,private,status,declared_at,acknowledged_at,mitigated_at,resolved_at,time_to_acknowledge_s,time_to_mitigate_s,time_to_resolve_s,deadline_at,responded_at,deadline_met,commander,hub,declared_severity,peak_severity,deadlines,deadlines_met,deadlines_missed,orders,order_legal_bases,order_member_states,order_effect_given';
const at = (iso: string) => new Date(iso);

/** The example's follow-the-sun schedule (APAC, EMEA, AMER, weekend in Dublin), nobody paged by the bot itself. */
function hubsOnlyConfig(): MeridianConfig {
  const parsed = parseMeridianConfig(readFileSync('config/meridian.example.yaml', 'utf8'), 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  // The TCO clock answered = effect given, for an order that says nothing of its own (issue 23).
  const regulatory = { ...DEFAULT_REGULATORY, effectGivenBy: ['eu-tco-removal-order'] };
  return { ...defaultMeridianConfig(), schedules: parsed.config.schedules, regulatory };
}

let h: Harness;
const numbers: Record<'public' | 'secret' | 'april', number> = { public: 0, secret: 0, april: 0 };

type NewIncident = typeof incidents.$inferInsert;
type NewOrder = typeof orders.$inferInsert;
const ORDER: Omit<NewOrder, 'incidentId' | 'receivedAt'> = {
  orderType: 'act',
  legalBasis: 'tco_art3',
  issuingAuthority: 'BKA',
  memberState: 'DE',
  contentType: 'public_security',
  receivedVia: 'email',
  recordedBy: 'U0DECL001',
};
async function insertIncident(row: Omit<NewIncident, 'teamId' | 'idempotencyKey'>): Promise<{ id: string; number: number }> {
  const [created] = await h.db
    .insert(incidents)
    .values({ teamId: 'T0TEST0001', idempotencyKey: `record-${row.title}`, ...row })
    .returning({ id: incidents.id, number: incidents.number });
  return created!;
}

async function insertPage(
  incidentId: string,
  page: { userId: string; pagedAt: Date; reason: (typeof pages.$inferInsert)['reason']; acknowledgedAt?: Date },
) {
  const [escalation] = await h.db
    .insert(escalations)
    .values({
      incidentId,
      policyId: 'urgent',
      policy: { id: 'urgent', name: 'Urgent', steps: [], repeat: 0 },
      startedAt: page.pagedAt,
      status: 'acknowledged',
    })
    .returning({ id: escalations.id });
  await h.db.insert(pages).values({
    incidentId,
    escalationId: escalation!.id,
    stepNumber: 0,
    userId: page.userId,
    reason: page.reason,
    pagedAt: page.pagedAt,
    status: page.acknowledgedAt ? 'acknowledged' : 'sent',
    acknowledgedAt: page.acknowledgedAt ?? null,
  });
}

beforeAll(async () => {
  h = await startHarness(import.meta.url, { meridian: hubsOnlyConfig(), env: { REPORTS_API_TOKEN: TOKEN } });
  h.fake.addUser({ id: 'U0ANALYST1', name: 'analyst' });

  // Monday 2 March 2026, 08:00 UTC: paged in Singapore (APAC), acknowledged 3 min 12 s later, resolved 2 h 50 min after.
  // Declared SEV1, lowered to SEV2 once contained: the export says all three.
  const pub = await insertIncident({
    title: '=HYPERLINK("http://evil.example")',
    summary: 'Spreadsheet bait',
    severity: 'sev2',
    declaredSeverity: 'sev1',
    peakSeverity: 'sev1',
    category: 'harmful-trend',
    status: 'resolved',
    declaredBy: 'U0DECL001',
    commanderId: 'U0SGA0001',
    declaredAt: at('2026-03-02T08:00:00Z'),
    acknowledgedAt: at('2026-03-02T08:03:12Z'),
    mitigatedAt: at('2026-03-02T08:54:00Z'),
    resolvedAt: at('2026-03-02T10:50:00Z'),
  });
  numbers.public = pub.number;
  await insertPage(pub.id, {
    userId: 'U0SGA0001',
    pagedAt: at('2026-03-02T08:00:05Z'),
    acknowledgedAt: at('2026-03-02T08:03:12Z'),
    reason: {
      kind: 'schedule',
      scheduleId: 'tns-follow-the-sun',
      scheduleName: 'T&S',
      layerName: 'APAC',
      timeZone: 'Asia/Singapore',
      override: false,
    },
  });
  await h.db.insert(incidentClocks).values({
    incidentId: pub.id,
    label: 'eu-tco-removal-order',
    kindId: 'eu-tco-removal-order',
    name: 'EU TCO removal order',
    startKind: 'declared',
    startedAt: at('2026-03-02T08:00:00Z'),
    dueAt: at('2026-03-02T09:00:00Z'),
    state: 'met',
    respondedAt: at('2026-03-02T08:40:00Z'),
  });
  // A second clock on the same incident, still running: the CSV counts both, not only the earliest.
  await h.db.insert(incidentClocks).values({
    incidentId: pub.id,
    label: 'internal-regulator-reply',
    kindId: 'internal-regulator-reply',
    name: 'Reply to the authority',
    startKind: 'declared',
    startedAt: at('2026-03-02T08:00:00Z'),
    dueAt: at('2026-03-03T08:00:00Z'),
    state: 'running',
  });

  // Orders on it: a TCO one from Germany (receipt confirmed after 10 min, effect = the TCO clock's answer, 40 min)
  // and one from outside the EU to provide information, refused.
  await h.db.insert(orders).values([
    { ...ORDER, incidentId: pub.id, receivedAt: at('2026-03-02T08:00:00Z'), receiptConfirmedAt: at('2026-03-02T08:10:00Z') },
    {
      ...ORDER,
      incidentId: pub.id,
      orderType: 'information',
      legalBasis: 'dsa_art10',
      memberState: null,
      otherJurisdiction: 'Norway',
      contentType: 'illegal_speech',
      receivedAt: at('2026-03-02T08:30:00Z'),
      effectGiven: 'no',
      effectReason: 'Outside our terms',
    },
  ]);

  // Tuesday 3 March 23:30 UTC, private, nobody paged: the hub is the declarer's (a Dublin member, EMEA).
  const secret = await insertIncident({
    title: 'Named minor, do not leak, "quoted", with commas',
    severity: 'sev1',
    category: 'child-safety',
    isPrivate: true,
    declaredBy: 'U0DUA0001',
    declaredAt: at('2026-03-03T23:30:00Z'),
  });
  numbers.secret = secret.number;
  // A French order on the private incident: receipt confirmed after 20 min, partly given effect after 2 h.
  await h.db.insert(orders).values({
    ...ORDER,
    incidentId: secret.id,
    legalBasis: 'national_law',
    memberState: 'FR',
    contentType: 'protection_of_minors',
    receivedAt: at('2026-03-04T00:00:00Z'),
    receiptConfirmedAt: at('2026-03-04T00:20:00Z'),
    effectGiven: 'partly',
    effectGivenAt: at('2026-03-04T02:00:00Z'),
  });
  // Saturday 7 March 03:00 UTC: a lead paged by name, outside anybody's hours.
  await insertPage(secret.id, {
    userId: 'U0LEAD0001',
    pagedAt: at('2026-03-07T03:00:00Z'),
    reason: { kind: 'user' },
  });
  await h.db.insert(incidentClocks).values({
    incidentId: secret.id,
    label: 'hotline',
    name: 'Hotline report',
    startKind: 'declared',
    startedAt: at('2026-03-03T23:30:00Z'),
    dueAt: at('2026-03-04T23:30:00Z'),
    state: 'missed',
    missedAt: at('2026-03-04T23:30:00Z'),
    respondedAt: at('2026-03-05T01:00:00Z'),
  });

  const april = await insertIncident({
    title: 'Outside the range',
    severity: 'sev4',
    category: 'other',
    declaredBy: 'U0DECL001',
    declaredAt: at('2026-04-01T00:00:00Z'),
  });
  numbers.april = april.number;
});
afterAll(async () => {
  await h?.close();
});

/** Rows of an analyst's query, as plain objects (postgres.js returns an array of them). */
async function query(statement: SQL): Promise<Record<string, unknown>[]> {
  return [...((await h.db.execute(statement)) as unknown as Record<string, unknown>[])];
}

function getCsv(query: string, authorization?: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${h.runtime.port}/api/incidents.csv${query}`, {
    headers: authorization === undefined ? {} : { authorization },
  });
}

describe('GET /api/incidents.csv', () => {
  it('when the bearer token is wrong or missing, then it answers 401 and no CSV', async () => {
    const wrong = await getCsv('?from=2026-03-01&to=2026-03-31', 'Bearer not-the-token-at-all-000');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('number,');
    expect((await getCsv('?from=2026-03-01&to=2026-03-31')).status).toBe(401);
  });

  it('when the dates are not dates, then it answers 400 naming each bad one', async () => {
    const res = await getCsv('?from=2026-02-30&to=yesterday', `Bearer ${TOKEN}`);
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('from: expected a date YYYY-MM-DD, got "2026-02-30"');
    expect(body).toContain('to: expected a date YYYY-MM-DD, got "yesterday"');
    const backwards = await getCsv('?from=2026-03-31&to=2026-03-01', `Bearer ${TOKEN}`);
    expect(backwards.status).toBe(400);
    expect(await backwards.text()).toContain('to: 2026-03-01 is before from: 2026-03-31');
  });

  it('when asked for March, then the CSV parses back to the incidents declared in March, private titles hidden and formulas neutralised', async () => {
    const res = await getCsv('?from=2026-03-01&to=2026-03-31', `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="incidents-2026-03-01-to-2026-03-31.csv"');
    const text = await res.text();
    expect(text.split('\r\n')[0]).toBe(HEADER);
    expect(text).not.toContain('Named minor');

    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(records.map((r) => Number(r['number']))).toEqual([numbers.public, numbers.secret]);
    expect(records[0]).toEqual({
      number: String(numbers.public),
      title: `'=HYPERLINK("http://evil.example")`,
      severity: 'sev2',
      category: 'harmful-trend',
      private: 'false',
      status: 'resolved',
      declared_at: '2026-03-02T08:00:00Z',
      acknowledged_at: '2026-03-02T08:03:12Z',
      mitigated_at: '2026-03-02T08:54:00Z',
      resolved_at: '2026-03-02T10:50:00Z',
      time_to_acknowledge_s: '192',
      time_to_mitigate_s: '3240',
      time_to_resolve_s: '10200',
      deadline_at: '2026-03-02T09:00:00Z',
      responded_at: '2026-03-02T08:40:00Z',
      deadline_met: 'true',
      commander: 'U0SGA0001',
      hub: 'APAC',
      declared_severity: 'sev1',
      peak_severity: 'sev1',
      deadlines: '2',
      deadlines_met: '1',
      deadlines_missed: '0',
      orders: '2',
      order_legal_bases: 'dsa_art10;tco_art3',
      order_member_states: 'DE;other',
      order_effect_given: 'yes;no',
    });
    expect(records[1]).toEqual({
      number: String(numbers.secret),
      title: '(private)',
      severity: 'sev1',
      category: 'child-safety',
      private: 'true',
      status: 'investigating',
      declared_at: '2026-03-03T23:30:00Z',
      acknowledged_at: '',
      mitigated_at: '',
      resolved_at: '',
      time_to_acknowledge_s: '',
      time_to_mitigate_s: '',
      time_to_resolve_s: '',
      deadline_at: '2026-03-04T23:30:00Z',
      responded_at: '2026-03-05T01:00:00Z',
      deadline_met: 'false',
      commander: '',
      hub: 'EMEA',
      declared_severity: 'sev1',
      peak_severity: 'sev1',
      deadlines: '1',
      deadlines_met: '0',
      deadlines_missed: '1',
      orders: '1',
      order_legal_bases: 'national_law',
      order_member_states: 'FR',
      order_effect_given: 'partly',
    });
    // RFC 4180: the quotes inside the formula cell are doubled and the cell quoted.
    expect(text).toContain(`,"'=HYPERLINK(""http://evil.example"")",`);
  });
});

describe('/incident export', () => {
  it('when an analyst types /incident export with two dates, then the same CSV arrives as a file in their DM, without the details of the private incident they are not in', async () => {
    await h.command('export 2026-03-01 2026-03-31', { userId: 'U0ANALYST1', channelId: 'C0GENERAL1' });
    const file = await eventually(
      () => h.fake.files().find((f) => f.filename === 'incidents-2026-03-01-to-2026-03-31.csv' && f.completed),
      'the export upload',
    );
    expect(file.channelId).toMatch(/^D/);
    const fromApi = await (await getCsv('?from=2026-03-01&to=2026-03-31', `Bearer ${TOKEN}`)).text();
    const expected = (parse(fromApi, { columns: true }) as Record<string, string>[]).map((r) =>
      r['number'] === String(numbers.secret)
        ? {
            ...r,
            ...{ severity: '', category: '', commander: '', hub: '', declared_severity: '', peak_severity: '' },
            ...{ orders: '', order_legal_bases: '', order_member_states: '', order_effect_given: '' },
          }
        : r,
    );
    expect(parse(file.content?.toString('utf8') ?? '', { columns: true })).toEqual(expected);
    const reply = await waitForPrivateReply(h.fake, (c) => c.args.user === 'U0ANALYST1');
    expect(String(reply.args.text)).toContain('Sent the CSV of 2 incidents (2026-03-01 to 2026-03-31) to your DM');
  });

  it('when the dates are wrong, then the analyst is told which and nothing is uploaded', async () => {
    const before = h.fake.files().length;
    await h.command('export 2026-13-01 2026-03-31', { userId: 'U0ANALYST1', channelId: 'C0GENERAL1' });
    const reply = await waitForPrivateReply(
      h.fake,
      (c) => c.args.user === 'U0ANALYST1' && String(c.args.text).includes('from: expected a date YYYY-MM-DD, got "2026-13-01"'),
    );
    expect(String(reply.args.text)).toContain('/incident export <from> <to>');
    expect(h.fake.files().length).toBe(before);
  });
});

describe('the digest of a range', () => {
  it('when an analyst asks for March, then the digest counts the orders of every incident by jurisdiction and content type, with the medians, naming none', async () => {
    await h.command('report 2026-03-01 2026-03-31', { userId: 'U0ANALYST1', channelId: 'C0GENERAL1' });
    const reply = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0ANALYST1', 30_000);
    const blocks = JSON.stringify(reply.args.blocks);
    // Receipt: 10 and 20 min, median 15 min. Effect: 40 min (the TCO clock) and 2 h, median 1 h 20 min; the refused one has none.
    expect(blocks).toContain('*Authority orders:* 3 (median 15 min to confirm receipt, 1 h 20 min to give effect)');
    expect(blocks).toContain('By jurisdiction: DE 1, FR 1, Outside the EU 1');
    expect(blocks).toContain('By content type: Illegal or harmful speech 1, Protection of minors 1, Risk for public security 1');
    expect(blocks).not.toContain('Named minor');
  }, 60_000);
});

describe('the analytics views', () => {
  it('when an analyst queries page_log, then each page shows who, when, its layer, acknowledged and out of hours', async () => {
    const rows = await query(
      sql`select incident_number, user_id, layer, time_zone, acknowledged, out_of_hours from page_log order by paged_at`,
    );
    expect(rows).toEqual([
      {
        incident_number: numbers.public,
        user_id: 'U0SGA0001',
        layer: 'APAC',
        time_zone: 'Asia/Singapore',
        acknowledged: true,
        out_of_hours: false,
      },
      { incident_number: numbers.secret, user_id: 'U0LEAD0001', layer: null, time_zone: 'UTC', acknowledged: false, out_of_hours: true },
    ]);
  });

  it('when an analyst queries incident_metrics and deadline_outcomes, then the figures match the export and private titles and clock names stay hidden', async () => {
    const metrics = await query(sql`select number, title, time_to_acknowledge_s, hub, deadline_met from incident_metrics order by number`);
    expect(metrics).toEqual([
      { number: numbers.public, title: '=HYPERLINK("http://evil.example")', time_to_acknowledge_s: '192', hub: 'APAC', deadline_met: true },
      { number: numbers.secret, title: '(private)', time_to_acknowledge_s: null, hub: 'EMEA', deadline_met: false },
      { number: numbers.april, title: 'Outside the range', time_to_acknowledge_s: null, hub: null, deadline_met: null },
    ]);
    const outcomes = await query(sql`select incident_number, name, met, late_by_s from deadline_outcomes order by due_at`);
    expect(outcomes).toEqual([
      { incident_number: numbers.public, name: 'EU TCO removal order', met: true, late_by_s: null },
      { incident_number: numbers.public, name: 'Reply to the authority', met: null, late_by_s: null },
      { incident_number: numbers.secret, name: '(private)', met: false, late_by_s: '5400' },
    ]);
  });
});
