/** The "Record order" modal: an authority's order on the incident, as typed fields (see domain/orders.ts). */
import type { KnownBlock, View } from '@slack/types';
import {
  AUTHORITY_MAX,
  CONTENT_TYPES,
  EFFECT_GIVEN,
  LEGAL_BASES,
  ORDER_TYPES,
  type OrderDetails,
  type OrderField,
  REASON_MAX,
  RECEIVED_VIA,
} from '../domain/orders.js';
import { plainText } from './kit.js';

export const ORDER_CALLBACK_ID = 'order_record';
export const ORDER_ACTION_ID = 'value';

const options = (table: Readonly<Record<string, string | { name: string }>>) =>
  Object.entries(table).map(([value, label]) => ({ text: plainText(typeof label === 'string' ? label : label.name, 75), value }));

function select(
  field: OrderField,
  label: string,
  table: Readonly<Record<string, string | { name: string }>>,
  optional = false,
  initial?: string | null,
): KnownBlock {
  const all = options(table);
  const chosen = initial ? all.find((o) => o.value === initial) : undefined;
  return {
    type: 'input',
    block_id: field,
    label: plainText(label),
    ...(optional ? { optional: true } : {}),
    element: { type: 'static_select', action_id: ORDER_ACTION_ID, options: all, ...(chosen ? { initial_option: chosen } : {}) },
  };
}

function text(
  field: OrderField,
  label: string,
  opts: { optional?: boolean; max?: number; hint?: string; placeholder?: string; initial?: string | null } = {},
): KnownBlock {
  return {
    type: 'input',
    block_id: field,
    label: plainText(label),
    ...(opts.optional ? { optional: true } : {}),
    ...(opts.hint ? { hint: plainText(opts.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: ORDER_ACTION_ID,
      ...(opts.max ? { max_length: opts.max } : {}),
      ...(opts.placeholder ? { placeholder: plainText(opts.placeholder) } : {}),
      ...(opts.initial ? { initial_value: opts.initial } : {}),
    },
  };
}

function when(field: OrderField, label: string, optional: boolean, hint?: string, initial?: Date | null): KnownBlock {
  return {
    type: 'input',
    block_id: field,
    label: plainText(label),
    ...(optional ? { optional: true } : {}),
    ...(hint ? { hint: plainText(hint) } : {}),
    element: {
      type: 'datetimepicker',
      action_id: ORDER_ACTION_ID,
      ...(initial ? { initial_date_time: Math.floor(initial.getTime() / 1000) } : {}),
    },
  };
}

/**
 * The modal for `incidentId`; the incident's clocks fill receipt and effect times left empty.
 * With `existing`, the same form filled with a recorded order, to edit it (same checks).
 */
export function orderModal(incidentId: string, incidentRef: string, existing?: { orderId: string; order: OrderDetails }): View {
  const o: Partial<OrderDetails> = existing?.order ?? {};
  return {
    type: 'modal',
    callback_id: ORDER_CALLBACK_ID,
    private_metadata: JSON.stringify(existing ? { incidentId, orderId: existing.orderId } : { incidentId }),
    title: plainText(`${existing ? 'Edit order' : 'Order'} on ${incidentRef}`, 24),
    submit: plainText(existing ? 'Save' : 'Record', 24),
    close: plainText('Cancel', 24),
    blocks: [
      select('order_type', 'Type of order', ORDER_TYPES, false, o.orderType),
      select('legal_basis', 'Legal basis', LEGAL_BASES, false, o.legalBasis),
      text('issuing_authority', 'Issuing authority', { max: AUTHORITY_MAX, placeholder: 'Bundesnetzagentur', initial: o.issuingAuthority }),
      text('member_state', 'Issuing Member State', {
        optional: true,
        max: 10,
        hint: 'ISO 3166 code: DE, FR, IE, ...',
        initial: o.memberState,
      }),
      text('other_jurisdiction', 'Or other jurisdiction', {
        optional: true,
        max: AUTHORITY_MAX,
        hint: 'For an authority outside the EU.',
        initial: o.otherJurisdiction,
      }),
      select('content_type', 'Type of illegal content', CONTENT_TYPES, false, o.contentType),
      text('territorial_scope', 'Territorial scope', {
        optional: true,
        hint: 'Member State codes (DE, AT) or EU; empty: the issuing Member State.',
        initial: o.territorialScope?.join(', '),
      }),
      text('language', 'Language of the order', { optional: true, max: 5, hint: 'ISO 639-1: de, fr, en, ...', initial: o.language }),
      select('received_via', 'Received via', RECEIVED_VIA, false, o.receivedVia),
      when('received_at', 'Received at', false, undefined, o.receivedAt),
      when('receipt_confirmed_at', 'Receipt confirmed at', true, 'Empty: when the confirmation clock was answered.', o.receiptConfirmedAt),
      select('effect_given', 'Effect given', EFFECT_GIVEN, true, o.effectGiven),
      text('effect_reason', 'Why not, or only partly', { optional: true, max: REASON_MAX, initial: o.effectReason }),
      when('effect_given_at', 'Effect given at', true, 'Empty: when the removal clock was answered.', o.effectGivenAt),
    ],
  };
}
