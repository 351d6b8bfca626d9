import { parse } from 'csv-parse/sync';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { auditLog, followUps, incidentClocks, incidents, intakeReports, ncmecReports, orders } from '../../src/db/schema/index.js';
import { MEMBER_STATES } from '../../src/domain/orders.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { waitForPrivateReply } from '../support/replies.js';
import { INTAKE_SECRET, sendReport } from '../support/intake-requests.js';

const CONFIG = `
admins: [U0ADMIN001]
deadlines:
  - { id: eu-tco-removal-order, name: "EU TCO removal order", within_minutes: 60, source: "Regulation (EU) 2021/784, Art. 3(3)" }
  - { id: internal-regulator-reply, name: "Reply to the authority", within_minutes: 1440, source: "DSA Art. 9(1)", internal_target: true }
categories:
  - { id: regulator-request, name: "Regulator request", default_severity: sev1, deadline: [eu-tco-removal-order, internal-regulator-reply] }
  - { id: partner-escalation, name: "Partner escalation", default_severity: sev3 }
  - { id: child-safety, name: "Child safety", default_severity: sev1, private: true, sensitive: true }
intake:
  sources:
    - { id: authority-portal, name: "Authority portal", category: regulator-request }
crisis_protocols:
  - { id: gifct-irf, name: "GIFCT Incident Response Framework" }
regulatory:
  receipt_confirmed_by: [internal-regulator-reply]
  effect_given_by: [eu-tco-removal-order]
`;
const TOKEN = 'reports-token-0123456789abcdef';
const DECLARER = 'U0DECL001';
const OUTSIDER = 'U0OUTSIDE1';
/** Monday 4 May 2026, 09:00 UTC: the first half-year. */
const T0 = new Date('2026-05-04T09:00:00Z');
const at = (iso: string) => new Date(iso);
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

let h: Harness;

/** The removal order of the first test, as typed in the modal. */
const good = {
  order_type: 'act',
  legal_basis: 'tco_art3',
  issuing_authority: 'Bundeskriminalamt',
  member_state: 'de',
  content_type: 'public_security',
  territorial_scope: 'EU',
  language: 'de',
  received_via: 'point_of_contact',
  received_at: at('2026-05-04T08:50:00Z'),
};

/** The order modal's state as Slack sends it. */
function orderState(fields: Record<string, string | Date | undefined>) {
  const values: Record<string, Record<string, unknown>> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const element =
      value instanceof Date
        ? { type: 'datetimepicker', selected_date_time: seconds(value) }
        : ['order_type', 'legal_basis', 'content_type', 'received_via', 'effect_given'].includes(field)
          ? { type: 'static_select', selected_option: { value } }
          : { type: 'plain_text_input', value };
    values[field] = { value: element };
  }
  return { values };
}

const submitOrder = (incidentId: string, fields: Record<string, string | Date | undefined>, userId = DECLARER, orderId?: string) =>
  h.submitView(
    {
      id: `V0ORD${Math.random().toString(36).slice(2, 8)}`,
      callback_id: 'order_record',
      private_metadata: JSON.stringify(orderId ? { incidentId, orderId } : { incidentId }),
      state: orderState(fields),
    },
    { userId },
  );

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, {
    meridian: parsed.config,
    env: { REPORTS_API_TOKEN: TOKEN, INTAKE_SIGNING_SECRET: INTAKE_SECRET },
    channels: { INTAKE_CHANNEL: 'intake-triage' },
    clock: () => T0,
  });
  for (const id of [DECLARER, OUTSIDER, 'U0ADMIN001']) h.fake.addUser({ id, name: id.toLowerCase(), tz: 'Europe/Dublin' });
  h.fake.channel(h.config.INTAKE_CHANNEL as string)?.members.add(DECLARER);
});
afterAll(async () => {
  await h?.close();
});

/** A private incident of the same half-year with an order whose times were typed (no clocks). */
async function seedPrivateOrders(): Promise<void> {
  const [secret] = await h.db
    .insert(incidents)
    .values({
      teamId: 'T0TEST0001',
      idempotencyKey: 'regulatory-secret',
      title: 'Secret hate speech order',
      severity: 'sev2',
      category: 'regulator-request',
      isPrivate: true,
      declaredBy: 'U0ADMIN001',
      declaredAt: at('2026-03-10T09:00:00Z'),
    })
    .returning({ id: incidents.id });
  const common = { incidentId: secret!.id, recordedBy: 'U0ADMIN001', receivedVia: 'email' as const, territorialScope: [] };
  await h.db.insert(orders).values([
    // Art. 9 from France: receipt confirmed after 2 h, effect after 10 h.
    {
      ...common,
      orderType: 'act',
      legalBasis: 'dsa_art9',
      issuingAuthority: 'Arcom',
      memberState: 'FR',
      contentType: 'illegal_speech',
      receivedAt: at('2026-03-10T10:00:00Z'),
      receiptConfirmedAt: at('2026-03-10T12:00:00Z'),
      effectGiven: 'yes',
      effectGivenAt: at('2026-03-10T20:00:00Z'),
    },
    // An order to provide information from outside the EU: receipt after 1 h, no effect yet.
    {
      ...common,
      orderType: 'information',
      legalBasis: 'national_law',
      issuingAuthority: 'Ofcom',
      otherJurisdiction: 'United Kingdom',
      contentType: 'scams_fraud',
      receivedAt: at('2026-02-01T00:00:00Z'),
      receiptConfirmedAt: at('2026-02-01T01:00:00Z'),
    },
    // The second half-year: not counted in H1.
    {
      ...common,
      orderType: 'act',
      legalBasis: 'dsa_art9',
      issuingAuthority: 'BNetzA',
      memberState: 'DE',
      contentType: 'violence',
      receivedAt: at('2026-08-01T00:00:00Z'),
    },
  ]);
  const notice = (externalId: string, category: string, priority: boolean, receivedAt: Date, decidedAt: Date | null) => ({
    source: 'partner:ngo',
    externalId,
    title: `Notice ${externalId}`,
    category,
    priority,
    receivedAt,
    decidedAt,
    status: decidedAt ? ('dismissed' as const) : ('pending' as const),
  });
  await h.db
    .insert(intakeReports)
    .values([
      notice('n1', 'regulator-request', false, at('2026-01-05T10:00:00Z'), at('2026-01-05T11:00:00Z')),
      notice('n2', 'partner-escalation', true, at('2026-04-01T10:00:00Z'), at('2026-04-01T13:00:00Z')),
      notice('n3', 'partner-escalation', true, at('2026-06-30T23:00:00Z'), null),
      notice('n4', 'partner-escalation', false, at('2026-07-01T00:00:00Z'), at('2026-07-01T01:00:00Z')),
    ]);
}

describe('a removal order on a SEV1 incident, and the transparency report', () => {
  it('when an order is recorded, its clocks answered and the half-year reported, then the CSV has the counts and medians computed by hand', async () => {
    await h.submitView({
      id: 'V0REGDECL01',
      callback_id: 'declare_incident',
      state: declareState({ title: 'TCO order', category: 'regulator-request' }),
    });
    const incident = await eventually(async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, 'TCO order'));
      return row?.cardTs && row.channelId ? row : undefined;
    }, 'the incident to be set up');
    expect(incident.severity).toBe('sev1');
    const channel = incident.channelId!;
    // The card carries "Record order"; `/incident order` opens the modal.
    expect(
      JSON.stringify(
        h.fake
          .callsTo('chat.postMessage')
          .find((c) => c.args.channel === channel && JSON.stringify(c.args.blocks ?? []).includes('card_order'))?.args.blocks,
      ),
    ).toContain('Record order');
    await h.command('order', { channelId: channel });
    await eventually(() => h.fake.callsTo('views.open').find((c) => JSON.stringify(c.args).includes('order_record')), 'the order modal');

    // Bad input: each field named, nothing stored.
    const bad = await submitOrder(incident.id, {
      order_type: 'act',
      legal_basis: 'dsa_art10',
      issuing_authority: 'Bundesnetzagentur',
      member_state: 'XX',
      content_type: 'public_security',
      received_via: 'point_of_contact',
      received_at: at('2026-05-04T08:50:00Z'),
      receipt_confirmed_at: at('2026-05-04T08:58:00Z'),
      effect_given: 'yes',
      effect_given_at: at('2026-05-04T08:55:00Z'),
    });
    const errors = (bad.json as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors).sort()).toEqual(['legal_basis', 'member_state', 'receipt_confirmed_at']);
    expect(errors.member_state).toContain('"XX" is not an EU Member State code');
    expect(errors.legal_basis).toContain('does not allow');
    expect(errors.receipt_confirmed_at).toContain('after the effect time');
    // Someone who may not change the incident: refused and audited, nothing stored.
    const refused = await submitOrder(incident.id, good, OUTSIDER);
    expect(JSON.stringify(refused.json)).toContain('can change this incident');
    expect(await h.db.select().from(orders).where(eq(orders.incidentId, incident.id))).toHaveLength(0);
    const refusals = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'order.record'), eq(auditLog.outcome, 'refused')));
    expect(refusals.map((r) => r.actorId)).toEqual([OUTSIDER]);

    expect((await submitOrder(incident.id, good)).status).toBe(200);
    const [order] = await h.db.select().from(orders).where(eq(orders.incidentId, incident.id));
    expect(order).toMatchObject({
      memberState: 'DE',
      legalBasis: 'tco_art3',
      territorialScope: ['EU'],
      language: 'de',
      receiptConfirmedAt: null,
    });
    await eventually(
      () => h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === channel && String(c.args.text).includes('Order recorded')),
      'the order line in the channel',
    );
    // The card gives each deadline in the order's own zone too (Germany: Berlin time), for the reply to the BKA.
    const tco = (await h.db.select().from(incidentClocks).where(eq(incidentClocks.incidentId, incident.id))).find(
      (c) => c.kindId === 'eu-tco-removal-order',
    )!;
    const berlin = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Berlin',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(tco.dueAt);
    const card = await eventually(
      () =>
        h.fake
          .callsTo('chat.update')
          .find((c) => c.args.channel === channel && JSON.stringify(c.args.blocks ?? []).includes("Europe/Berlin, the order's zone")),
      "the card with the order's zone",
    );
    const line = (card.args.blocks as { text?: { text?: string } }[])
      .map((b) => b.text?.text ?? '')
      .find((t) => t.includes('EU TCO removal order'));
    expect(line).toContain(
      `${tco.dueAt.toISOString().slice(0, 10)} ${tco.dueAt.toISOString().slice(11, 16)} UTC · ${berlin} Europe/Berlin, the order's zone`,
    );

    // Receipt confirmed 20 min after declaration (30 min after receipt), content removed at 45 min (55 min after receipt).
    await h.advance(20 * 60_000);
    await h.command('responded internal-regulator-reply receipt confirmed to BKA', { channelId: channel });
    await eventually(() => channelSays(channel, 'Responded', 1), 'the first response in the channel');
    await h.advance(25 * 60_000);
    await h.command('responded eu-tco-removal-order removed EU-wide', { channelId: channel });
    await eventually(() => channelSays(channel, 'Responded', 2), 'the second response in the channel');
    await h.idle();
    await seedPrivateOrders();

    await h.command('transparency 2026-H1', { userId: 'U0ADMIN001', channelId: 'C0GENERAL1' });
    const reply = await waitForPrivateReply(h.fake, (c) => String(c.args.text).includes('DSA transparency figures, 2026-H1'));
    expect(String(reply.args.text)).toContain('Orders: 3 (2 to act, 1 to provide information)');
    expect(String(reply.args.text)).toContain('Notices: 3 (67% from trusted flaggers)');
    const file = await eventually(
      () => h.fake.files().find((f) => f.filename === 'transparency-2026-H1-orders.csv' && f.completed),
      'the orders CSV',
    );
    expect(file.channelId).toMatch(/^D/);
    // The summary's chart, drawn as the digest's is, beside the CSVs.
    expect(String(reply.args.text)).toContain('The CSVs (orders, notices) and a chart are in your DM with me.');
    const chart = await eventually(
      () => h.fake.files().find((f) => f.filename === 'transparency-2026-H1.png' && f.completed),
      'the transparency chart',
    );
    expect(chart.channelId).toBe(file.channelId);
    expect(chart.content?.subarray(1, 4).toString('latin1')).toBe('PNG');

    const res = await fetch(`http://127.0.0.1:${h.runtime.port}/api/transparency.csv?period=2026-H1`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv; charset=utf-8');
    const text = await res.text();
    expect(file.content?.toString('utf8')).toBe(text);
    expect(text).not.toContain('Secret');
    expect(text.split('\r\n')[0]).toBe(
      [
        'order_type',
        'content_type',
        ...MEMBER_STATES,
        'non_eu',
        'total',
        'median_hours_to_confirm_receipt',
        'median_hours_to_give_effect',
      ].join(','),
    );
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    const row = (type: string, content: string) => rows.find((r) => r.order_type === type && r.content_type === content)!;
    expect(rows).toHaveLength(2 * 16);
    expect(row('act', 'public_security')).toMatchObject({
      DE: '1',
      FR: '0',
      total: '1',
      median_hours_to_confirm_receipt: '0.50',
      median_hours_to_give_effect: '0.92',
    });
    expect(row('act', 'illegal_speech')).toMatchObject({
      FR: '1',
      total: '1',
      median_hours_to_confirm_receipt: '2.00',
      median_hours_to_give_effect: '10.00',
    });
    expect(row('act', 'violence').total).toBe('0');
    // Medians over both orders to act: (0.5 h + 2 h) / 2 and (55 min + 10 h) / 2.
    expect(row('act', 'total')).toMatchObject({
      DE: '1',
      FR: '1',
      non_eu: '0',
      total: '2',
      median_hours_to_confirm_receipt: '1.25',
      median_hours_to_give_effect: '5.46',
    });
    expect(row('information', 'total')).toMatchObject({
      non_eu: '1',
      total: '1',
      median_hours_to_confirm_receipt: '1.00',
      median_hours_to_give_effect: '',
    });

    // The seeded notices were dismissed: no action, so none by basis (Art. 15(1)(b)).
    const noActions = { actions_legal_basis: '0', actions_terms_and_conditions: '0', actions_basis_not_recorded: '0' };
    const notices = await fetch(`http://127.0.0.1:${h.runtime.port}/api/transparency.csv?period=2026-H1&part=notices`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(parse(await notices.text(), { columns: true })).toEqual([
      {
        notice_type: 'partner-escalation',
        notices: '2',
        from_trusted_flaggers: '2',
        trusted_flagger_share: '1.0000',
        decided: '1',
        median_hours_to_action: '3.00',
        ...noActions,
      },
      {
        notice_type: 'regulator-request',
        notices: '1',
        from_trusted_flaggers: '0',
        trusted_flagger_share: '0.0000',
        decided: '1',
        median_hours_to_action: '1.00',
        ...noActions,
      },
      {
        notice_type: 'total',
        notices: '3',
        from_trusted_flaggers: '2',
        trusted_flagger_share: '0.6667',
        decided: '2',
        median_hours_to_action: '2.00',
        ...noActions,
      },
    ]);
  });

  it('when the period or the token is wrong, then it answers 400 or 401 naming the problem', async () => {
    const url = `http://127.0.0.1:${h.runtime.port}/api/transparency.csv`;
    expect((await fetch(`${url}?period=2026-H1`)).status).toBe(401);
    const bad = await fetch(`${url}?period=2026-H3&part=all`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/period: expected 2026-H1.*\npart: expected orders or notices/s);
    await h.command('transparency last year', { userId: 'U0ADMIN001', channelId: 'C0GENERAL1' });
    await waitForPrivateReply(h.fake, (c) => String(c.args.text).includes('/incident transparency 2026-H1'));
  });

  it('when an order is edited from the card, then it is the same form filled in, with the same checks; the change is audited, told, and the modal answered before Slack is', async () => {
    const incident = await setUp('TCO order');
    const channel = incident.channelId!;
    const [order] = await h.db.select().from(orders).where(eq(orders.incidentId, incident.id));
    const cards = () => h.fake.callsTo('chat.update').filter((c) => c.args.channel === channel && c.args.ts === incident.cardTs);
    // Listed on the card: type, authority, Member State, received, effect given (here from the answered removal clock).
    const listed = await eventually(() => {
      const card = JSON.stringify(cards().at(-1)?.args.blocks ?? []);
      return card.includes('effect given: yes') ? card : undefined;
    }, 'the order on the card');
    expect(listed).toContain('*Order to act* from Bundeskriminalamt (DE), received <!date^');
    expect(listed).toContain(`"action_id":"card_order_edit","value":"${order!.id}"`);
    expect(listed).toContain('"action_id":"card_order"');

    await h.clickButton({ actionId: 'card_order_edit', value: order!.id, userId: OUTSIDER, channelId: channel });
    await replyWith('can change this incident');
    await h.clickButton({ actionId: 'card_order_edit', value: order!.id, channelId: channel });
    const opened = await eventually(
      () => h.fake.callsTo('views.open').find((c) => JSON.stringify(c.args).includes(order!.id)),
      'the edit modal',
    );
    const view = (typeof opened.args.view === 'string' ? JSON.parse(opened.args.view) : opened.args.view) as {
      blocks: Array<{ block_id: string; element: Record<string, unknown> }>;
    };
    const element = (id: string) => view.blocks.find((b) => b.block_id === id)?.element;
    expect(element('legal_basis')?.initial_option).toMatchObject({ value: 'tco_art3' });
    expect(element('issuing_authority')?.initial_value).toBe('Bundeskriminalamt');
    expect(element('member_state')?.initial_value).toBe('DE');
    expect(element('territorial_scope')?.initial_value).toBe('EU');
    expect(element('received_at')?.initial_date_time).toBe(seconds(at('2026-05-04T08:50:00Z')));
    expect(element('effect_given')?.initial_option).toBeUndefined();

    // The same checks: effect before receipt is refused on its field, nothing changes.
    const bad = await submitOrder(
      incident.id,
      { ...good, effect_given: 'yes', effect_given_at: at('2026-05-04T08:40:00Z') },
      DECLARER,
      order!.id,
    );
    expect((bad.json as { errors: Record<string, string> }).errors).toEqual({
      effect_given_at: 'Effect cannot be given before the order was received.',
    });
    // Slack holds the channel line for a second: the modal is answered first, the order already stored.
    h.fake.fail('chat.postMessage', { kind: 'delay', ms: 1000 }, { when: (a) => a.channel === channel });
    const saved = await submitOrder(
      incident.id,
      {
        ...good,
        receipt_confirmed_at: at('2026-05-04T09:15:00Z'),
        effect_given: 'partly',
        effect_reason: 'Removed in DE only',
        effect_given_at: at('2026-05-04T09:40:00Z'),
      },
      DECLARER,
      order!.id,
    );
    expect(saved.status).toBe(200);
    expect(saved.json).toBeUndefined();
    const told = () =>
      h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === channel && String(c.args.text).includes('Order edited'));
    expect(told()).toBeUndefined();
    const rows = await h.db.select().from(orders).where(eq(orders.incidentId, incident.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: order!.id,
      receiptConfirmedAt: at('2026-05-04T09:15:00Z'),
      effectGiven: 'partly',
      effectReason: 'Removed in DE only',
      effectGivenAt: at('2026-05-04T09:40:00Z'),
    });
    expect(String((await eventually(told, 'the edit in the channel')).args.text)).toBe(
      `:scroll: Order edited by <@${DECLARER}> (receipt_confirmed_at, effect_given, effect_reason, effect_given_at): TCO Regulation Art. 3 (removal order) from Bundeskriminalamt (DE): Risk for public security`,
    );
    const edits = await h.db.select().from(auditLog).where(eq(auditLog.action, 'order.edit'));
    expect(edits.map((a) => [a.actorId, a.outcome, (a.details as { changed?: string[] }).changed ?? null])).toEqual([
      [OUTSIDER, 'refused', null],
      [DECLARER, 'ok', ['receipt_confirmed_at', 'effect_given', 'effect_reason', 'effect_given_at']],
    ]);
    await eventually(
      () => JSON.stringify(cards().at(-1)?.args.blocks ?? []).includes('effect given: partly'),
      'the edited order on the card',
    );
  });
});

const setUp = (title: string) =>
  eventually(async () => {
    const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
    return row?.cardTs && row.channelId ? row : undefined;
  }, `"${title}" to be set up`);
const channelSays = (channel: string, text: string, count: number) =>
  h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && String(c.args.text).includes(text)).length >= count ||
  undefined;
const replyWith = (text: string) => waitForPrivateReply(h.fake, (c) => String(c.args.text).includes(text));

describe('the CyberTipline packet', () => {
  it('when a child-safety incident records its report, then the packet has NCMEC field names and a one-year preservation clock starts from the submission', async () => {
    // Not a child-safety incident: refused with the reason.
    const tco = await setUp('TCO order');
    await h.command('ncmec', { channelId: tco.channelId! });
    await replyWith('The CyberTipline packet is for child-safety incidents');

    await h.submitView({
      id: 'V0REGCSAM01',
      callback_id: 'declare_incident',
      state: declareState({ title: 'CSAM report', category: 'child-safety' }),
    });
    const incident = await setUp('CSAM report');
    // Not an order category and no order clock: its card has no "Record order".
    const card = h.fake
      .callsTo('chat.postMessage')
      .find((c) => c.args.channel === incident.channelId && JSON.stringify(c.args.blocks ?? []).includes('card_resolve'));
    expect(JSON.stringify(card?.args.blocks)).not.toContain('"card_order"');
    await h.command('ncmec', { channelId: incident.channelId! });
    await eventually(
      () => h.fake.callsTo('views.open').find((c) => JSON.stringify(c.args).includes('ncmec_packet')),
      'the CyberTipline modal',
    );
    const submittedAt = at('2026-05-04T09:30:00Z');
    const state = {
      values: {
        incident_type: { value: { type: 'static_select', selected_option: { value: '0' } } },
        escalate_reason: { value: { type: 'plain_text_input', value: 'Immediate risk to a child' } },
        annotations: { value: { type: 'checkboxes', selected_options: [{ value: 'sextortion' }, { value: 'minorToMinorInteraction' }] } },
        incident_at: { value: { type: 'datetimepicker', selected_date_time: seconds(at('2026-05-03T22:15:00Z')) } },
        report_id: { value: { type: 'plain_text_input', value: '187654321' } },
        submitted_at: { value: { type: 'datetimepicker', selected_date_time: seconds(submittedAt) } },
      },
    };
    // Slack holds the upload for a second: the modal is answered first, the submission already on record.
    h.fake.fail('files.getUploadURLExternal', { kind: 'delay', ms: 1000 });
    const submit = await h.submitView({
      id: 'V0NCMEC0001',
      callback_id: 'ncmec_packet',
      private_metadata: JSON.stringify({ incidentId: incident.id }),
      state,
    });
    expect(submit.status).toBe(200);
    expect(submit.json).toBeUndefined();
    expect(h.fake.files().find((f) => f.filename === `cybertipline-INC-${incident.number}.json`)).toBeUndefined();
    expect(await h.db.select().from(ncmecReports).where(eq(ncmecReports.incidentId, incident.id))).toHaveLength(1);
    const file = await eventually(
      () => h.fake.files().find((f) => f.filename === `cybertipline-INC-${incident.number}.json` && f.completed),
      'the packet',
    );
    expect(file.channelId).toMatch(/^D/);
    const packet = JSON.parse(file.content?.toString('utf8') ?? '{}');
    expect(packet.report.incidentSummary).toEqual({
      incidentType: 'Child Pornography (possession, manufacture, and distribution)',
      escalateToHighPriority: 'Immediate risk to a child',
      reportAnnotations: { sextortion: true, minorToMinorInteraction: true },
      incidentDateTime: '2026-05-03T22:15:00.000Z',
    });
    const [report] = await h.db.select().from(ncmecReports).where(eq(ncmecReports.incidentId, incident.id));
    expect(report).toMatchObject({ reportId: '187654321', submittedAt, highPriorityReason: 'Immediate risk to a child' });
    const clocks = await h.db.select().from(incidentClocks).where(eq(incidentClocks.incidentId, incident.id));
    expect(clocks.map((c) => [c.kindId, c.startedAt.toISOString(), c.dueAt.toISOString(), c.state])).toEqual([
      ['ncmec-report-preservation', '2026-05-04T09:30:00.000Z', '2027-05-04T09:30:00.000Z', 'running'],
    ]);
    await eventually(
      () =>
        h.fake
          .callsTo('chat.postMessage')
          .find((c) => c.args.channel === incident.channelId && String(c.args.text).includes('CyberTipline report 187654321 recorded')),
      'the line in the channel',
    );
  });
});

describe('crisis protocols', () => {
  it('when GIFCT is activated, then the card shows it; when it concludes 23 h later, then the debrief becomes a tracked follow-up owned by the commander and the card drops it', async () => {
    const incident = await setUp('TCO order');
    const channel = incident.channelId!;
    await h.command('crisis christchurch activate', { channelId: channel });
    await replyWith("I don't know the protocol `christchurch`. Protocols: `gifct-irf`");
    await h.command('crisis gifct-irf activate', { channelId: channel, userId: OUTSIDER });
    await replyWith('can change this incident');
    await h.command('crisis gifct-irf activate', { channelId: channel });
    await replyWith('Recorded: GIFCT Incident Response Framework active.');
    const cards = () => h.fake.callsTo('chat.update').filter((c) => c.args.channel === channel && c.args.ts === incident.cardTs);
    await eventually(
      () => JSON.stringify(cards().at(-1)?.args.blocks ?? []).includes('Under the GIFCT Incident Response Framework'),
      'the card to show GIFCT',
    );
    await h.command('crisis gifct-irf told GIFCT members, UN CTED', { channelId: channel });
    await replyWith('Recorded: told GIFCT members, UN CTED.');

    await h.advance(23 * 3_600_000);
    const updates = cards().length;
    await h.command('crisis gifct-irf conclude', { channelId: channel });
    await replyWith('GIFCT Incident Response Framework concluded after 23 h');
    await eventually(
      () =>
        h.fake
          .callsTo('chat.postMessage')
          .find((c) => c.args.channel === channel && /Debrief follow-up FU-\d+ for <@U\w+>, due in 14 days/.test(String(c.args.text))),
      'the debrief follow-up in the channel',
    );
    const debriefs = await h.db.select().from(followUps).where(eq(followUps.incidentId, incident.id));
    expect(debriefs.map((f) => [f.title, f.status, f.ownerId])).toEqual([
      [`Debrief: GIFCT Incident Response Framework (INC-${incident.number})`, 'open', incident.commanderId],
    ]);
    await eventually(
      () => cards().length > updates && !JSON.stringify(cards().at(-1)?.args.blocks).includes('Under the GIFCT'),
      'the card without GIFCT',
    );
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.incidentId, incident.id));
    expect(audit.filter((a) => a.action.startsWith('crisis.')).map((a) => [a.action, a.outcome])).toEqual([
      ['crisis.activate', 'refused'],
      ['crisis.activate', 'ok'],
      ['crisis.told', 'ok'],
      ['crisis.conclude', 'ok'],
    ]);
  });
});

describe('an order sent with an intake report', () => {
  it('when the report carries a bad order, then it is refused naming the field; a good one is recorded on the incident it is merged into', async () => {
    const incident = await setUp('TCO order');
    const order = {
      order_type: 'act',
      legal_basis: 'dsa_art9',
      issuing_authority: 'Coimisiún na Meán',
      member_state: 'IE',
      content_type: 'illegal_speech',
      received_via: 'portal',
      received_at: '2026-05-04T08:00:00Z',
    };
    const report = (externalId: string, o: Record<string, string>) => ({
      external_id: externalId,
      source: 'authority-portal',
      title: 'Order via the portal',
      order: o,
    });
    const bad = await sendReport(h.runtime.port, report('ord-1', { ...order, member_state: 'UK' }), {
      timestamp: seconds(T0) + 23 * 3600 + 45 * 60,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('order.member_state');
    const sent = await sendReport(h.runtime.port, report('ord-2', order), { timestamp: seconds(T0) + 23 * 3600 + 45 * 60 });
    expect(sent.status).toBeLessThan(300);
    const [stored] = await h.db.select().from(intakeReports).where(eq(intakeReports.externalId, 'ord-2'));
    await h.clickButton({ actionId: 'triage_merge', value: stored!.id, channelId: h.config.INTAKE_CHANNEL as string });
    const open = await h.fake.waitForCall('views.open', (c) => JSON.stringify(c.args.view).includes('triage_merge'));
    const view = open.args.view as { private_metadata: string };
    await h.submitView({
      id: 'V0MERGEORD1',
      callback_id: 'triage_merge',
      private_metadata: view.private_metadata,
      state: { values: { incident: { value: { type: 'static_select', selected_option: { value: incident.id } } } } },
    });
    const rows = await eventually(async () => {
      const found = await h.db.select().from(orders).where(eq(orders.intakeReportId, stored!.id));
      return found.length ? found : undefined;
    }, 'the order from the report');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ incidentId: incident.id, memberState: 'IE', legalBasis: 'dsa_art9', recordedBy: DECLARER });
    // The analysts' view: typed fields, the incident's number, no title.
    const analystRows = [
      ...((await h.db.execute(
        sql`select incident_number, member_state, content_type, time_to_confirm_receipt_s from order_record where order_id = ${rows[0]!.id}`,
      )) as unknown as Record<string, unknown>[]),
    ];
    expect(analystRows).toEqual([
      { incident_number: incident.number, member_state: 'IE', content_type: 'illegal_speech', time_to_confirm_receipt_s: null },
    ]);
    // The per-incident view: the order fields summed up per incident; a private incident counted, never titled.
    const perIncident = [
      ...((await h.db.execute(sql`select * from incident_orders order by incident_number`)) as unknown as Record<string, unknown>[]),
    ];
    expect(perIncident.find((r) => r.incident_number === incident.number)).toMatchObject({
      orders: 2,
      orders_to_act: 2,
      legal_bases: ['dsa_art9', 'tco_art3'],
      member_states: ['DE', 'IE'],
      orders_from_outside_eu: 0,
    });
    const [secret] = await h.db.select().from(incidents).where(eq(incidents.title, 'Secret hate speech order'));
    const secretRow = perIncident.find((r) => r.incident_number === secret!.number);
    expect(secretRow).toMatchObject({
      private: true,
      category: 'regulator-request',
      orders: 3,
      orders_to_act: 2,
      orders_to_provide_information: 1,
      legal_bases: ['dsa_art9', 'national_law'],
      member_states: ['DE', 'FR'],
      orders_from_outside_eu: 1,
      content_types: ['illegal_speech', 'scams_fraud', 'violence'],
      effect_given: ['pending', 'yes'],
      orders_without_receipt_confirmed: 1,
      orders_without_effect_time: 2,
      longest_time_to_confirm_receipt_s: '7200', // bigint, as the driver reads it
      longest_time_to_give_effect_s: '36000',
    });
    expect(Object.keys(secretRow!)).not.toContain('title');
    expect(JSON.stringify(perIncident)).not.toContain('Secret');

    // Acting on a report that carried an order is acting under the law; `/incident basis` changes it (Art. 15(1)(b)).
    const basisOf = async () => (await h.db.select().from(intakeReports).where(eq(intakeReports.id, stored!.id)))[0]?.actionBasis;
    expect(await basisOf()).toBe('law');
    const channel = incident.channelId!;
    await h.command('basis mostly', { channelId: channel });
    await replyWith('`mostly` is not a basis.');
    await h.command('basis terms', { channelId: channel, userId: OUTSIDER });
    await replyWith('can change this incident');
    expect(await basisOf()).toBe('law');
    await h.command('basis terms', { channelId: channel });
    await replyWith(`the action on 1 notice behind INC-${incident.number} was taken on the basis of the terms and conditions`);
    expect(await basisOf()).toBe('terms');
    const csv = await fetch(`http://127.0.0.1:${h.runtime.port}/api/transparency.csv?period=2026-H1&part=notices`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const total = (parse(await csv.text(), { columns: true }) as Record<string, string>[]).find((r) => r.notice_type === 'total');
    expect(total).toMatchObject({ actions_legal_basis: '0', actions_terms_and_conditions: '1', actions_basis_not_recorded: '0' });
    const basisAudit = await h.db.select().from(auditLog).where(eq(auditLog.action, 'notice.basis'));
    expect(basisAudit.map((a) => [a.actorId, a.outcome])).toEqual([
      [OUTSIDER, 'refused'],
      [DECLARER, 'ok'],
    ]);
  });
});

describe('an Art. 18 notification', () => {
  it('when a suspicion is recorded, then the "promptly" clock runs from it and is loud when missed; recording the authority informed answers it', async () => {
    const incident = await setUp('TCO order');
    const channel = incident.channelId!;
    await h.command('art18', { channelId: channel });
    await eventually(() => h.fake.callsTo('views.open').find((c) => JSON.stringify(c.args).includes('art18_notice')), 'the Art. 18 modal');
    // The bot's clock: T0 + 20 min + 25 min + 23 h.
    const now = new Date(T0.getTime() + (23 * 60 + 45) * 60_000);
    const aware = new Date(now.getTime() - 10 * 60_000);
    const submit = (fields: Record<string, string | Date>) =>
      h.submitView({
        id: `V0ART18${Math.random().toString(36).slice(2, 8)}`,
        callback_id: 'art18_notice',
        private_metadata: JSON.stringify({ incidentId: incident.id }),
        state: orderState(fields),
      });
    const bad = await submit({ suspected_offence: 'Credible threat to bomb a school', member_states: 'DE, XX', aware_at: aware });
    expect(Object.keys((bad.json as { errors: Record<string, string> }).errors)).toEqual(['member_states']);
    // Slack holds the channel line for a second: the modal is answered first, the notice already on record.
    h.fake.fail('chat.postMessage', { kind: 'delay', ms: 1000 }, { when: (a) => a.channel === channel });
    const recorded = await submit({ suspected_offence: 'Credible threat to bomb a school', member_states: 'de, AT', aware_at: aware });
    expect(recorded.status).toBe(200);
    const line = () =>
      h.fake
        .callsTo('chat.postMessage')
        .find((c) => c.args.channel === channel && String(c.args.text).includes('Art. 18 suspicion recorded'));
    expect(line()).toBeUndefined();
    const art18Clock = async () =>
      (
        await h.db
          .select()
          .from(incidentClocks)
          .where(and(eq(incidentClocks.incidentId, incident.id), eq(incidentClocks.kindId, 'dsa-art18-notification')))
      )[0];
    expect((await art18Clock())?.dueAt.toISOString()).toBe(new Date(aware.getTime() + 60 * 60_000).toISOString());
    await eventually(line, 'the Art. 18 line in the channel');

    await h.advance(51 * 60_000);
    await h.idle();
    await eventually(
      () =>
        h.fake
          .callsTo('chat.postMessage')
          .find(
            (c) =>
              c.args.channel === channel &&
              JSON.stringify(c.args).includes('DSA Art. 18 notification') &&
              JSON.stringify(c.args).includes('missed'),
          ),
      'the miss in the channel',
    );
    const informed = new Date(now.getTime() + 51 * 60_000);
    expect(
      (
        await submit({
          suspected_offence: 'Credible threat to bomb a school',
          member_states: 'DE AT',
          aware_at: aware,
          authority: 'BKA',
          informed_at: informed,
        })
      ).status,
    ).toBe(200);
    expect(await art18Clock()).toMatchObject({ state: 'missed', respondedAt: new Date(Math.floor(informed.getTime() / 1000) * 1000) });
  });
});
