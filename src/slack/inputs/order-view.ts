/** The order modal's state as Slack submits it, read into an {@link OrderDraft}; the domain checks it. Pure. */
import { z } from 'zod';
import { ORDER_ACTION_ID } from '../../blocks/order-modal.js';
import type { OrderDraft, OrderField } from '../../domain/orders.js';

const element = z
  .object({
    value: z.string().nullish(),
    selected_option: z.object({ value: z.string() }).nullish(),
    selected_date_time: z.number().nullish(),
  })
  .partial();
const viewState = z.record(z.string(), z.object({ [ORDER_ACTION_ID]: element }).partial());

/** Reads the modal; a state that is not the modal's is an error on the first field. */
export function readOrderForm(values: unknown): { ok: true; draft: OrderDraft } | { ok: false; errors: Record<string, string> } {
  const parsed = viewState.safeParse(values);
  if (!parsed.success) return { ok: false, errors: { order_type: 'This form arrived incomplete. Please close it and try again.' } };
  const get = (field: OrderField) => parsed.data[field]?.[ORDER_ACTION_ID];
  const text = (field: OrderField) => {
    const el = get(field);
    return el?.selected_option?.value ?? el?.value ?? null;
  };
  const at = (field: OrderField) => {
    const seconds = get(field)?.selected_date_time;
    return typeof seconds === 'number' ? new Date(seconds * 1000) : null;
  };
  return {
    ok: true,
    draft: {
      orderType: text('order_type'),
      legalBasis: text('legal_basis'),
      issuingAuthority: text('issuing_authority'),
      memberState: text('member_state'),
      otherJurisdiction: text('other_jurisdiction'),
      contentType: text('content_type'),
      territorialScope: text('territorial_scope'),
      language: text('language'),
      receivedVia: text('received_via'),
      receivedAt: at('received_at'),
      receiptConfirmedAt: at('receipt_confirmed_at'),
      effectGiven: text('effect_given'),
      effectReason: text('effect_reason'),
      effectGivenAt: at('effect_given_at'),
    },
  };
}

function metadataString(raw: string | undefined, key: 'incidentId' | 'orderId'): string {
  try {
    const parsed: unknown = JSON.parse(raw || '{}');
    const id = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[key] : undefined;
    return typeof id === 'string' ? id : '';
  } catch {
    return '';
  }
}

/** The incident id the modal carries. */
export function orderModalIncidentId(raw: string | undefined): string {
  return metadataString(raw, 'incidentId');
}

/** The order id an "Edit order" modal carries; empty for a new order. */
export function orderModalOrderId(raw: string | undefined): string {
  return metadataString(raw, 'orderId');
}
