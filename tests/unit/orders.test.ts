import { describe, expect, it } from 'vitest';
import { checkOrder, memberStateOf, orderTimes } from '../../src/domain/orders.js';
import {
  type CountedOrder,
  median,
  readTransparencyPeriod,
  transparencyChartOption,
  transparencyTables,
} from '../../src/domain/transparency.js';
import { checkNcmecForm, preservationUntil } from '../../src/domain/ncmec.js';

const NOW = new Date('2026-05-04T12:00:00Z');
const base = {
  orderType: 'act',
  legalBasis: 'dsa_art9',
  issuingAuthority: 'Arcom',
  memberState: 'FR',
  contentType: 'illegal_speech',
  receivedVia: 'email',
  receivedAt: new Date('2026-05-04T08:00:00Z'),
};

describe('checking an order', () => {
  it('when every field is known, then the order is typed, with Greece read as GR and the scope defaulting to the issuing state', () => {
    expect(memberStateOf('el')).toBe('GR');
    const checked = checkOrder({ ...base, memberState: 'EL', language: 'EL' }, NOW);
    expect(checked).toMatchObject({
      ok: true,
      order: { memberState: 'GR', territorialScope: ['GR'], language: 'el', otherJurisdiction: null },
    });
  });

  it('when the authority is outside the EU, then another jurisdiction stands in for the Member State', () => {
    expect(checkOrder({ ...base, legalBasis: 'national_law', memberState: '', otherJurisdiction: 'United Kingdom' }, NOW)).toMatchObject({
      ok: true,
      order: { memberState: null, otherJurisdiction: 'United Kingdom' },
    });
    expect(checkOrder({ ...base, memberState: '' }, NOW)).toMatchObject({
      ok: false,
      errors: { member_state: expect.stringContaining('Give the issuing') },
    });
  });

  it('when fields are wrong, then each is named: legal basis vs type, scope, language, reason, times', () => {
    const checked = checkOrder(
      {
        ...base,
        orderType: 'information',
        legalBasis: 'tco_art3',
        territorialScope: 'DE, XX',
        language: 'zz',
        effectGiven: 'partly',
        receiptConfirmedAt: new Date('2026-05-04T07:00:00Z'),
        effectGivenAt: new Date('2026-05-04T13:30:00Z'),
      },
      NOW,
    );
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.errors).sort()).toEqual([
      'effect_given_at',
      'effect_reason',
      'language',
      'legal_basis',
      'receipt_confirmed_at',
      'territorial_scope',
    ]);
    expect(checked.errors.receipt_confirmed_at).toContain('before the order was received');
    expect(checked.errors.effect_given_at).toContain('still ahead');
  });
});

describe("an order's times from its clocks", () => {
  const kinds = { receipt: ['reply'], effect: ['removal'] };
  const clocks = [
    { kindId: 'removal', respondedAt: new Date('2026-05-04T09:00:00Z') },
    { kindId: 'reply', respondedAt: new Date('2026-05-04T08:30:00Z') },
    { kindId: 'reply', respondedAt: null },
  ];
  it('when the order has no times of its own, then the answered clocks supply them, effect "yes"', () => {
    expect(orderTimes({ receiptConfirmedAt: null, effectGiven: null, effectGivenAt: null }, clocks, kinds)).toEqual({
      receiptConfirmedAt: new Date('2026-05-04T08:30:00Z'),
      effectGiven: 'yes',
      effectGivenAt: new Date('2026-05-04T09:00:00Z'),
    });
  });
  it('when the order says effect was not given, then no clock gives it a time', () => {
    expect(orderTimes({ receiptConfirmedAt: null, effectGiven: 'no', effectGivenAt: null }, clocks, kinds).effectGivenAt).toBeNull();
  });
});

describe('transparency periods and medians', () => {
  it('when a half-year, a year or two dates are typed, then the period is [from, to) in UTC', () => {
    expect(readTransparencyPeriod('2026-H2')).toMatchObject({
      ok: true,
      period: { from: new Date('2026-07-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z'), label: '2026-H2' },
    });
    expect(readTransparencyPeriod('2026')).toMatchObject({ ok: true, period: { to: new Date('2027-01-01T00:00:00Z') } });
    expect(readTransparencyPeriod('2026-03-01 2026-03-31')).toMatchObject({ ok: true, period: { to: new Date('2026-04-01T00:00:00Z') } });
    expect(readTransparencyPeriod('2026-H3').ok).toBe(false);
  });
  it('when the count is even, then the median is the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('the CyberTipline form', () => {
  it('when the report id comes without a type or with a submission before the incident, then each field is named', () => {
    const checked = checkNcmecForm(
      {
        incidentType: '99',
        incidentAt: new Date('2026-05-04T10:00:00Z'),
        reportId: '12 34',
        submittedAt: new Date('2026-05-04T09:00:00Z'),
        caseNumber: 'X-1',
      },
      NOW,
    );
    expect(checked.ok ? [] : Object.keys(checked.errors).sort()).toEqual(['agency_name', 'incident_type', 'report_id', 'submitted_at']);
  });
  it('when submitted on 29 February, then preservation runs one calendar year, to 1 March', () => {
    expect(preservationUntil(new Date('2028-02-29T12:00:00Z')).toISOString()).toBe('2029-03-01T12:00:00.000Z');
  });
});

describe('the transparency chart', () => {
  it('when orders come from two Member States and outside the EU, then the chart shows those counts and the CSV medians, nothing else', () => {
    const at = (iso: string) => new Date(iso);
    const period = { from: at('2026-01-01T00:00:00Z'), to: at('2026-07-01T00:00:00Z') };
    const order = (o: Partial<CountedOrder>): CountedOrder => ({
      orderType: 'act',
      contentType: 'public_security',
      memberState: 'DE',
      receivedAt: at('2026-05-04T08:00:00Z'),
      receiptConfirmedAt: null,
      effectGivenAt: null,
      ...o,
    });
    const tables = transparencyTables(
      period,
      [
        // Receipt after 30 min, effect after 1 h.
        order({ receiptConfirmedAt: at('2026-05-04T08:30:00Z'), effectGivenAt: at('2026-05-04T09:00:00Z') }),
        // Receipt after 2 h, effect after 10 h.
        order({
          memberState: 'FR',
          contentType: 'illegal_speech',
          receiptConfirmedAt: at('2026-05-04T10:00:00Z'),
          effectGivenAt: at('2026-05-04T18:00:00Z'),
        }),
        // Outside the EU, to provide information: receipt after 1 h.
        order({ orderType: 'information', memberState: null, contentType: 'scams_fraud', receiptConfirmedAt: at('2026-05-04T09:00:00Z') }),
        // Another period: not drawn.
        order({ memberState: 'IT', receivedAt: at('2026-08-01T00:00:00Z') }),
      ],
      [
        {
          type: 'x',
          trustedFlagger: false,
          receivedAt: at('2026-02-01T00:00:00Z'),
          decidedAt: at('2026-02-01T01:00:00Z'),
          acted: true,
          actionBasis: 'law',
        },
        {
          type: 'x',
          trustedFlagger: true,
          receivedAt: at('2026-02-02T00:00:00Z'),
          decidedAt: at('2026-02-02T04:00:00Z'),
          acted: true,
          actionBasis: null,
        },
      ],
    );
    const option = transparencyChartOption('2026-H1', tables);
    const axes = option['xAxis'] as Array<{ data?: string[] }>;
    expect(axes[0]?.data).toEqual(['DE', 'FR', 'Outside EU']);
    const data = (name: string) => option.series.find((s) => s.name === name)?.data;
    expect(data('Order to act against illegal content')).toEqual([1, 1, 0]);
    expect(data('Order to provide information')).toEqual([0, 0, 1]);
    expect((option['yAxis'] as Array<{ data?: string[] }>)[1]?.data).toEqual([
      'Illegal or harmful speech',
      'Risk for public security',
      'Scams and/or fraud',
    ]);
    expect(data('Orders by content type')).toEqual([1, 1, 1]);
    // Receipt: median of 0.5, 2 and 1 h; effect: (1 + 10) / 2 h; action on notices: (1 + 4) / 2 h.
    expect(data('Median hours')).toEqual([1, 5.5, 2.5]);
    expect(JSON.stringify(option)).not.toContain('IT');
    // Art. 15(1)(b): actions on the notices by basis (law, terms and conditions, not recorded).
    expect(tables.notices.at(-1)?.slice(-3)).toEqual(['1', '0', '1']);
  });
});
