/**
 * The DSA transparency figures (Art. 15(1)(a) orders, 15(1)(b) notices) computed from the record,
 * laid out as the harmonised template's tables (Implementing Regulation (EU) 2024/2835, Annex I,
 * 1.2 and 1.3). Pure and deterministic: the same rows give the same tables, in a fixed order.
 */
import { type Period, readDayRange } from './digest-period.js';
import { CONTENT_TYPES, type ContentType, MEMBER_STATES, ORDER_TYPES, type OrderType } from './orders.js';

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
] as const;

export interface TransparencyTables {
  /** Rows of {@link ORDER_COLUMNS}: for each order type, each content type, then the order type's total row. */
  orders: string[][];
  /** Rows of {@link NOTICE_COLUMNS}: each notice type (sorted), then the total. */
  notices: string[][];
  summary: {
    orders: number;
    byOrderType: Record<OrderType, number>;
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
    return [type, String(list.length), String(trusted), share, String(decided.length), hours(action)];
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
  return {
    orders: rows,
    notices: noticeRows,
    summary: {
      orders: orders.length,
      byOrderType,
      medianReceiptMs: spans((o) => o.receiptConfirmedAt),
      medianEffectMs: spans((o) => o.effectGivenAt),
      notices: notices.length,
      trustedFlaggerNotices: notices.filter((n) => n.trustedFlagger).length,
      medianActionMs: median(notices.filter((n) => n.decidedAt).map((n) => (n.decidedAt as Date).getTime() - n.receivedAt.getTime())),
    },
  };
}
