import { describe, expect, it } from 'vitest';
import { digestMessage } from '../../src/blocks/digest.js';
import { defaultMeridianConfig } from '../../src/config-file/load.js';
import { computeDigest } from '../../src/domain/digest.js';
import { orderDigestFigures } from '../../src/domain/order-digest.js';
import type { CountedOrder } from '../../src/domain/transparency.js';
import { orderColumnsByIncident } from '../../src/services/reports/incident-csv.js';

const at = (iso: string) => new Date(iso);
const MARCH = { from: at('2026-03-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') };
const order = (o: Partial<CountedOrder> & Pick<CountedOrder, 'receivedAt'>): CountedOrder => ({
  orderType: 'act',
  contentType: 'public_security',
  memberState: 'DE',
  receiptConfirmedAt: null,
  effectGivenAt: null,
  ...o,
});

// Four March orders (one February, ignored). Receipt confirmed after 1 h, 3 h, 2 h (one never): median 2 h.
// Effect given after 5 h and 10 h (two never): median (5 + 10) / 2 = 7.5 h.
const ORDERS: CountedOrder[] = [
  order({ receivedAt: at('2026-02-28T23:00:00Z'), memberState: 'FR', receiptConfirmedAt: at('2026-03-01T00:00:00Z') }),
  order({
    receivedAt: at('2026-03-02T08:00:00Z'),
    receiptConfirmedAt: at('2026-03-02T09:00:00Z'),
    effectGivenAt: at('2026-03-02T13:00:00Z'),
  }),
  order({ receivedAt: at('2026-03-05T00:00:00Z'), memberState: 'FR', receiptConfirmedAt: at('2026-03-05T03:00:00Z') }),
  order({
    receivedAt: at('2026-03-10T00:00:00Z'),
    memberState: null,
    contentType: 'illegal_speech',
    receiptConfirmedAt: at('2026-03-10T02:00:00Z'),
    effectGivenAt: at('2026-03-10T10:00:00Z'),
  }),
  order({ receivedAt: at('2026-03-31T23:59:59Z') }),
];

describe('the digest’s authority orders', () => {
  it('counts the period’s orders by jurisdiction and content type, with the medians computed by hand', () => {
    const figures = orderDigestFigures(ORDERS, MARCH);
    expect(figures).toEqual({
      total: 4,
      byJurisdiction: [
        { key: 'DE', count: 2 },
        { key: 'FR', count: 1 },
        { key: 'other', count: 1 },
      ],
      byContentType: [
        { key: 'public_security', count: 3 },
        { key: 'illegal_speech', count: 1 },
      ],
      medianReceiptMs: 2 * 3_600_000,
      medianEffectMs: 7.5 * 3_600_000,
    });
    expect(orderDigestFigures([], MARCH)).toMatchObject({ total: 0, medianReceiptMs: null, medianEffectMs: null });
  });

  it('the digest message says the counts and medians, and nothing of any incident', () => {
    const config = defaultMeridianConfig();
    const catalog = { severities: config.severities, categories: config.categories };
    const none = { incidents: [], pages: [], clocks: [] };
    const digest = computeDigest({
      run: { cadence: 'range', period: MARCH, previous: { from: at('2026-02-01T00:00:00Z'), to: MARCH.from }, timeZone: 'UTC' },
      current: none,
      before: none,
      openOld: [],
      now: at('2026-04-02T00:00:00Z'),
    });
    const text = JSON.stringify(digestMessage({ ...digest, orders: orderDigestFigures(ORDERS, MARCH) }, catalog).blocks);
    expect(text).toContain('*Authority orders:* 4 (median 2 h to confirm receipt, 7 h 30 min to give effect)');
    expect(text).toContain('By jurisdiction: DE 2, FR 1, Outside the EU 1');
    expect(text).toContain('By content type: Risk for public security 3, Illegal or harmful speech 1');
    expect(JSON.stringify(digestMessage(digest, catalog).blocks)).not.toContain('Authority orders');
  });
});

describe('the CSV export’s order columns', () => {
  it('sums each incident’s orders: count, distinct legal bases and Member States, each order’s effect oldest first', () => {
    const columns = orderColumnsByIncident([
      { incidentId: 'a', legalBasis: 'tco_art3', memberState: 'DE', effectGiven: 'yes' },
      { incidentId: 'b', legalBasis: 'national_law', memberState: 'FR', effectGiven: null },
      { incidentId: 'a', legalBasis: 'dsa_art10', memberState: null, effectGiven: 'no' },
      { incidentId: 'a', legalBasis: 'tco_art3', memberState: 'DE', effectGiven: 'partly' },
    ]);
    expect(columns.get('a')).toEqual({
      count: 3,
      legalBases: 'dsa_art10;tco_art3',
      memberStates: 'DE;other',
      effectGiven: 'yes;no;partly',
    });
    expect(columns.get('b')).toEqual({ count: 1, legalBases: 'national_law', memberStates: 'FR', effectGiven: 'pending' });
    expect(columns.has('c')).toBe(false);
  });
});
