/**
 * The DSA transparency figures (Art. 15(1)(a) orders, 15(1)(b) notices) computed from the record,
 * laid out as the harmonised template's tables (Implementing Regulation (EU) 2024/2835, Annex I,
 * 1.2 and 1.3). Pure and deterministic: the same rows give the same tables, in a fixed order.
 */
import { type Period, readDayRange } from './digest-period.js';
import { type ActionBasis, CONTENT_TYPES, type ContentType, MEMBER_STATES, ORDER_TYPES, type OrderType } from './orders.js';

const HOUR_MS = 3_600_000;

/** A reporting period as typed: `2026-H1`, `2026-H2`, `2026`, or `<from> <to>` (UTC days, both included). */
export type TransparencyPeriod = Period & { label: string };

export function readTransparencyPeriod(text: string): { ok: true; period: TransparencyPeriod } | { ok: false; problem: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const usage = 'expected 2026-H1, 2026-H2, 2026, or two dates YYYY-MM-DD';
  if (words.length === 1) {
    const match = /^(\d{4})(?:-H([12]))?$/i.exec(words[0] as string);
    if (!match) return { ok: false, problem: `${usage}, got "${(words[0] as string).slice(0, 20)}"` };
    const year = Number(match[1]);
    const half = match[2];
    const from = new Date(Date.UTC(year, half === '2' ? 6 : 0, 1));
    const to = new Date(Date.UTC(half === '1' ? year : year + 1, half === '1' ? 6 : 0, 1));
    return { ok: true, period: { from, to, label: half ? `${year}-H${half}` : String(year) } };
  }
  if (words.length === 2) {
    const range = readDayRange(words[0], words[1], 366);
    if (!range.ok) return { ok: false, problem: range.problems.join('; ') };
    return { ok: true, period: { ...range.period, label: `${range.fromText}_${range.toText}` } };
  }
  return { ok: false, problem: usage };
}

/** An order as the report counts it: the times are the order's own, or its clocks' (see `orderTimes`). */
export interface CountedOrder {
  orderType: OrderType;
  contentType: ContentType;
  memberState: string | null;
  receivedAt: Date;
  receiptConfirmedAt: Date | null;
  effectGivenAt: Date | null;
}

/** A notice (an intake report) as the report counts it. */
export interface CountedNotice {
  /** The intake category, or null when the sender gave none. */
  type: string | null;
  trustedFlagger: boolean;
  receivedAt: Date;
  /** When it was declared, merged or dismissed; null while pending. */
  decidedAt: Date | null;
  /** Acted on: declared as or merged into an incident (a dismissed notice had no action). */
  acted: boolean;
  /** The basis of that action (`/incident basis`); null: not recorded. */
  actionBasis: ActionBasis | null;
}

/** The median of `values`; the mean of the two middle values when their number is even; null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const hours = (ms: number | null) => (ms === null ? '' : (ms / HOUR_MS).toFixed(2));
const within = (period: Period, at: Date) => at >= period.from && at < period.to;

/** The orders table's columns: one per Member State, then orders from outside the EU, the total and the two medians. */
export const ORDER_COLUMNS = [
  'order_type',
  'content_type',
  ...MEMBER_STATES,
  'non_eu',
  'total',
  'median_hours_to_confirm_receipt',
  'median_hours_to_give_effect',
] as const;

export const NOTICE_COLUMNS = [
  'notice_type',
  'notices',
  'from_trusted_flaggers',
  'trusted_flagger_share',
  'decided',
  'median_hours_to_action',
  'actions_legal_basis',
  'actions_terms_and_conditions',
  'actions_basis_not_recorded',
] as const;

export interface TransparencyTables {
  /** Rows of {@link ORDER_COLUMNS}: for each order type, each content type, then the order type's total row. */
  orders: string[][];
  /** Rows of {@link NOTICE_COLUMNS}: each notice type (sorted), then the total. */
  notices: string[][];
  summary: {
    orders: number;
    byOrderType: Record<OrderType, number>;
    /** Orders by issuing Member State (and `non_eu`) and type, only where there are some; protocol order. */
    byJurisdiction: Array<{ jurisdiction: string } & Record<OrderType, number>>;
    /** Orders by type of illegal content, only where there are some; the template's order. */
    byContentType: Array<{ contentType: ContentType; orders: number }>;
    medianReceiptMs: number | null;
    medianEffectMs: number | null;
    notices: number;
    trustedFlaggerNotices: number;
    medianActionMs: number | null;
  };
}

function orderRow(orderType: string, contentType: string, orders: readonly CountedOrder[]): string[] {
  const byState = MEMBER_STATES.map((ms) => String(orders.filter((o) => o.memberState === ms).length));
  const nonEu = orders.filter((o) => o.memberState === null).length;
  const receipt = median(
    orders.filter((o) => o.receiptConfirmedAt).map((o) => (o.receiptConfirmedAt as Date).getTime() - o.receivedAt.getTime()),
  );
  const effect = median(orders.filter((o) => o.effectGivenAt).map((o) => (o.effectGivenAt as Date).getTime() - o.receivedAt.getTime()));
  return [orderType, contentType, ...byState, String(nonEu), String(orders.length), hours(receipt), hours(effect)];
}

/** The period's orders (by receipt) and notices (by arrival), counted into the template's tables. */
export function transparencyTables(
  period: Period,
  allOrders: readonly CountedOrder[],
  allNotices: readonly CountedNotice[],
): TransparencyTables {
  const orders = allOrders.filter((o) => within(period, o.receivedAt));
  const rows: string[][] = [];
  const byOrderType = { act: 0, information: 0 } as Record<OrderType, number>;
  for (const orderType of Object.keys(ORDER_TYPES) as OrderType[]) {
    const ofType = orders.filter((o) => o.orderType === orderType);
    byOrderType[orderType] = ofType.length;
    for (const contentType of Object.keys(CONTENT_TYPES) as ContentType[])
      rows.push(
        orderRow(
          orderType,
          contentType,
          ofType.filter((o) => o.contentType === contentType),
        ),
      );
    rows.push(orderRow(orderType, 'total', ofType));
  }
  const notices = allNotices.filter((n) => within(period, n.receivedAt));
  const types = [...new Set(notices.map((n) => n.type ?? 'unspecified'))].sort();
  const noticeRow = (type: string, list: readonly CountedNotice[]): string[] => {
    const trusted = list.filter((n) => n.trustedFlagger).length;
    const decided = list.filter((n) => n.decidedAt);
    const action = median(decided.map((n) => (n.decidedAt as Date).getTime() - n.receivedAt.getTime()));
    const share = list.length ? (trusted / list.length).toFixed(4) : '';
    const acted = list.filter((n) => n.acted);
    const basis = (b: ActionBasis | null) => String(acted.filter((n) => n.actionBasis === b).length);
    return [
      type,
      String(list.length),
      String(trusted),
      share,
      String(decided.length),
      hours(action),
      basis('law'),
      basis('terms'),
      basis(null),
    ];
  };
  const noticeRows = types.map((type) =>
    noticeRow(
      type,
      notices.filter((n) => (n.type ?? 'unspecified') === type),
    ),
  );
  noticeRows.push(noticeRow('total', notices));
  const spans = (pick: (o: CountedOrder) => Date | null) =>
    median(orders.filter((o) => pick(o)).map((o) => (pick(o) as Date).getTime() - o.receivedAt.getTime()));
  const byJurisdiction = [...MEMBER_STATES, 'non_eu']
    .map((jurisdiction) => {
      const here = orders.filter((o) => (o.memberState ?? 'non_eu') === jurisdiction);
      return {
        jurisdiction,
        act: here.filter((o) => o.orderType === 'act').length,
        information: here.filter((o) => o.orderType === 'information').length,
      };
    })
    .filter((j) => j.act + j.information > 0);
  const byContentType = (Object.keys(CONTENT_TYPES) as ContentType[])
    .map((contentType) => ({ contentType, orders: orders.filter((o) => o.contentType === contentType).length }))
    .filter((c) => c.orders > 0);
  return {
    orders: rows,
    notices: noticeRows,
    summary: {
      orders: orders.length,
      byOrderType,
      byJurisdiction,
      byContentType,
      medianReceiptMs: spans((o) => o.receiptConfirmedAt),
      medianEffectMs: spans((o) => o.effectGivenAt),
      notices: notices.length,
      trustedFlaggerNotices: notices.filter((n) => n.trustedFlagger).length,
      medianActionMs: median(notices.filter((n) => n.decidedAt).map((n) => (n.decidedAt as Date).getTime() - n.receivedAt.getTime())),
    },
  };
}

/** A chart as an ECharts option (plain data), as the digest's chart is: rendered to PNG by the reports service. */
export interface TransparencyChartOption {
  readonly [key: string]: unknown;
  readonly series: readonly { name: string; type: 'bar'; data: readonly (number | null)[]; [key: string]: unknown }[];
}

const hoursOrNull = (ms: number | null) => (ms === null ? null : Math.round((ms / HOUR_MS) * 100) / 100);

/**
 * The summary's chart: orders by issuing Member State (stacked by order type), orders by type of
 * illegal content, and the three medians in hours. Built from the tables' summary, so the picture
 * and the CSV cannot disagree. Counts only: no incident is named.
 */
export function transparencyChartOption(label: string, tables: TransparencyTables): TransparencyChartOption {
  const s = tables.summary;
  const jurisdictions = s.byJurisdiction.map((j) => (j.jurisdiction === 'non_eu' ? 'Outside EU' : j.jurisdiction));
  const medians = [
    { name: 'Confirm receipt', value: hoursOrNull(s.medianReceiptMs) },
    { name: 'Give effect', value: hoursOrNull(s.medianEffectMs) },
    { name: 'Act on notice', value: hoursOrNull(s.medianActionMs) },
  ];
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: 'DejaVu Sans, sans-serif' },
    title: [
      { text: `Orders by issuing Member State, ${label}`, left: '1%', top: 8, textStyle: { fontSize: 14 } },
      { text: 'Orders by type of illegal content', left: '36%', top: 8, textStyle: { fontSize: 14 } },
      { text: 'Medians (hours)', left: '74%', top: 8, textStyle: { fontSize: 14 } },
    ],
    legend: { top: 34, left: '1%', data: [ORDER_TYPES.act, ORDER_TYPES.information] },
    grid: [
      { left: '2%', width: '28%', top: 80, bottom: 30, containLabel: true },
      { left: '36%', width: '34%', top: 80, bottom: 30, containLabel: true },
      { left: '74%', width: '24%', top: 80, bottom: 30, containLabel: true },
    ],
    xAxis: [
      { type: 'category', gridIndex: 0, data: jurisdictions },
      { type: 'value', gridIndex: 1, minInterval: 1 },
      { type: 'category', gridIndex: 2, data: medians.map((m) => m.name) },
    ],
    yAxis: [
      { type: 'value', gridIndex: 0, minInterval: 1 },
      { type: 'category', gridIndex: 1, inverse: true, data: s.byContentType.map((c) => CONTENT_TYPES[c.contentType]) },
      { type: 'value', gridIndex: 2 },
    ],
    series: [
      ...(Object.keys(ORDER_TYPES) as OrderType[]).map((orderType) => ({
        name: ORDER_TYPES[orderType],
        type: 'bar' as const,
        stack: 'orders',
        xAxisIndex: 0,
        yAxisIndex: 0,
        itemStyle: { color: orderType === 'act' ? '#c0392b' : '#2c7be5' },
        data: s.byJurisdiction.map((j) => j[orderType]),
      })),
      {
        name: 'Orders by content type',
        type: 'bar' as const,
        xAxisIndex: 1,
        yAxisIndex: 1,
        itemStyle: { color: '#7f8c8d' },
        label: { show: true, position: 'right' },
        data: s.byContentType.map((c) => c.orders),
      },
      {
        name: 'Median hours',
        type: 'bar' as const,
        xAxisIndex: 2,
        yAxisIndex: 2,
        itemStyle: { color: '#e67e22' },
        label: { show: true, position: 'top' },
        data: medians.map((m) => m.value),
      },
    ],
  };
}
