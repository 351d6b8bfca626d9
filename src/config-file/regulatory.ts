/**
 * `regulatory:` (which clock kinds supply an order's receipt and effect times, the Art. 18
 * "promptly" target) and `crisis_protocols:` (external protocols an incident can be under).
 */
import { z } from 'zod';

const ID = /^[a-z0-9][a-z0-9_-]*$/;
const kindIds = z.array(z.string().regex(ID, 'expected a deadline id')).default([]);

export interface RegulatoryConfig {
  /** Clock kinds whose answer is the time receipt of an order was confirmed to the authority. */
  readonly receiptConfirmedBy: readonly string[];
  /** Clock kinds whose answer is the time effect was given to an order. */
  readonly effectGivenBy: readonly string[];
  /** Categories whose incidents may produce a CyberTipline packet (default `child-safety`). */
  readonly ncmecCategories: readonly string[];
  /** The internal target for DSA Art. 18's "promptly", in minutes (default 60). */
  readonly art18PromptlyMinutes: number;
  /**
   * Categories whose incidents are authorities' orders: their card offers "Record order" (so does
   * any incident with a running clock of a kind above, or with an order already). Default `regulator-request`.
   */
  readonly orderCategories: readonly string[];
}

export interface CrisisProtocol {
  readonly id: string;
  readonly name: string;
}

export const DEFAULT_REGULATORY: RegulatoryConfig = {
  receiptConfirmedBy: [],
  effectGivenBy: [],
  ncmecCategories: ['child-safety'],
  art18PromptlyMinutes: 60,
  orderCategories: ['regulator-request'],
};

export const regulatorySection = z
  .strictObject({
    receipt_confirmed_by: kindIds,
    effect_given_by: kindIds,
    ncmec_categories: z.array(z.string().regex(ID, 'expected a category id')).default(['child-safety']),
    art18_promptly_minutes: z.number().positive('expected a number of minutes above 0').default(60),
    order_categories: z.array(z.string().regex(ID, 'expected a category id')).default(['regulator-request']),
  })
  .optional()
  .transform(
    (r): RegulatoryConfig =>
      r
        ? {
            receiptConfirmedBy: r.receipt_confirmed_by,
            effectGivenBy: r.effect_given_by,
            ncmecCategories: r.ncmec_categories,
            art18PromptlyMinutes: r.art18_promptly_minutes,
            orderCategories: r.order_categories,
          }
        : DEFAULT_REGULATORY,
  );

export const crisisProtocolsSection = z
  .array(z.strictObject({ id: z.string().regex(ID, 'expected an id of lowercase letters, digits, - or _'), name: z.string().min(1) }))
  .default([])
  .refine((list) => new Set(list.map((p) => p.id)).size === list.length, 'expected each crisis protocol id once');
