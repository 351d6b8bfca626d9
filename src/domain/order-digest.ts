/**
 * The digest's order figures (issue 23): the period's authority orders counted by jurisdiction
 * (each Member State, and "other" for orders from outside the EU) and by type of illegal content,
 * with the median time to confirm receipt and to give effect, computed as the transparency report
 * computes them (`transparency.ts`). Orders are counted, never named, so a private incident's
 * orders count like any other's. Pure, from plain records.
 */
import type { Period } from './digest-period.js';
import type { ContentType } from './orders.js';
import { type CountedOrder, median } from './transparency.js';

/** Where an order from outside the EU is counted. */
export const OTHER_JURISDICTION = 'other';

export interface OrderCount {
  /** A Member State code, `other`, or a content type id. */
  readonly key: string;
  readonly count: number;
}

export interface OrderDigestFigures {
  readonly total: number;
  /** Most first, then by code; `other` is a key like the Member States. */
  readonly byJurisdiction: readonly OrderCount[];
  /** Most first, then by id. */
  readonly byContentType: readonly (OrderCount & { key: ContentType })[];
  /** Receipt to confirmation, of the orders confirmed; null when none was. */
  readonly medianReceiptMs: number | null;
  /** Receipt to effect given, of the orders given effect; null when none was. */
  readonly medianEffectMs: number | null;
}

function counts<K extends string>(keys: readonly K[]): { key: K; count: number }[] {
  const map = new Map<K, number>();
  for (const key of keys) map.set(key, (map.get(key) ?? 0) + 1);
  return [...map].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** The figures of the orders received in `period` (others are ignored). */
export function orderDigestFigures(all: readonly CountedOrder[], period: Period): OrderDigestFigures {
  const orders = all.filter((o) => o.receivedAt >= period.from && o.receivedAt < period.to);
  const span = (pick: (o: CountedOrder) => Date | null) =>
    median(orders.flatMap((o) => (pick(o) ? [(pick(o) as Date).getTime() - o.receivedAt.getTime()] : [])));
  return {
    total: orders.length,
    byJurisdiction: counts(orders.map((o) => o.memberState ?? OTHER_JURISDICTION)),
    byContentType: counts(orders.map((o) => o.contentType)),
    medianReceiptMs: span((o) => o.receiptConfirmedAt),
    medianEffectMs: span((o) => o.effectGivenAt),
  };
}
