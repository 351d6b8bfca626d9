/** The "Record order" modal: an authority's order on the incident, as typed fields (see domain/orders.ts). */
import type { KnownBlock, View } from '@slack/types';
import {
  AUTHORITY_MAX,
  CONTENT_TYPES,
  EFFECT_GIVEN,
  LEGAL_BASES,
  ORDER_TYPES,
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
): KnownBlock {
  return {
    type: 'input',
    block_id: field,
    label: plainText(label),
    ...(optional ? { optional: true } : {}),
    element: { type: 'static_select', action_id: ORDER_ACTION_ID, options: options(table) },
  };
}

function text(
  field: OrderField,
  label: string,
  opts: { optional?: boolean; max?: number; hint?: string; placeholder?: string } = {},
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
    },
  };
}

function when(field: OrderField, label: string, optional: boolean, hint?: string): KnownBlock {
  return {
    type: 'input',
    block_id: field,
    label: plainText(label),
    ...(optional ? { optional: true } : {}),
    ...(hint ? { hint: plainText(hint) } : {}),
    element: { type: 'datetimepicker', action_id: ORDER_ACTION_ID },
  };
}

/** The modal for `incidentId`; the incident's clocks fill receipt and effect times left empty. */
export function orderModal(incidentId: string, incidentRef: string): View {
  return {
    type: 'modal',
    callback_id: ORDER_CALLBACK_ID,
    private_metadata: JSON.stringify({ incidentId }),
    title: plainText(`Order on ${incidentRef}`, 24),
    submit: plainText('Record', 24),
    close: plainText('Cancel', 24),
    blocks: [
      select('order_type', 'Type of order', ORDER_TYPES),
      select('legal_basis', 'Legal basis', LEGAL_BASES),
      text('issuing_authority', 'Issuing authority', { max: AUTHORITY_MAX, placeholder: 'Bundesnetzagentur' }),
      text('member_state', 'Issuing Member State', { optional: true, max: 10, hint: 'ISO 3166 code: DE, FR, IE, ...' }),
      text('other_jurisdiction', 'Or other jurisdiction', { optional: true, max: AUTHORITY_MAX, hint: 'For an authority outside the EU.' }),
      select('content_type', 'Type of illegal content', CONTENT_TYPES),
      text('territorial_scope', 'Territorial scope', {
        optional: true,
        hint: 'Member State codes (DE, AT) or EU; empty: the issuing Member State.',
      }),
      text('language', 'Language of the order', { optional: true, max: 5, hint: 'ISO 639-1: de, fr, en, ...' }),
      select('received_via', 'Received via', RECEIVED_VIA),
      when('received_at', 'Received at', false),
      when('receipt_confirmed_at', 'Receipt confirmed at', true, 'Empty: when the confirmation clock was answered.'),
      select('effect_given', 'Effect given', EFFECT_GIVEN, true),
      text('effect_reason', 'Why not, or only partly', { optional: true, max: REASON_MAX }),
      when('effect_given_at', 'Effect given at', true, 'Empty: when the removal clock was answered.'),
    ],
  };
}
