/**
 * Orders from authorities (DSA Art. 9 and 10, TCO Art. 3, national law) as typed fields, and the
 * checks a recorded order must pass. Pure. The legal mapping is in docs/regulatory-record.md;
 * counsel confirms it.
 */

/** DSA Art. 9 orders to act against illegal content; Art. 10 orders to provide information. */
export const ORDER_TYPES = { act: 'Order to act against illegal content', information: 'Order to provide information' } as const;
export type OrderType = keyof typeof ORDER_TYPES;

/** The legal bases an order names, and which order types each allows. */
export const LEGAL_BASES = {
  dsa_art9: { name: 'DSA Art. 9 (order to act)', allows: ['act'] },
  dsa_art10: { name: 'DSA Art. 10 (order to provide information)', allows: ['information'] },
  tco_art3: { name: 'TCO Regulation Art. 3 (removal order)', allows: ['act'] },
  national_law: { name: 'National law', allows: ['act', 'information'] },
} as const satisfies Record<string, { name: string; allows: readonly OrderType[] }>;
export type LegalBasis = keyof typeof LEGAL_BASES;

/**
 * Types of illegal content: the categories of the statement-of-reasons schema that Implementing
 * Regulation (EU) 2024/2835's templates use (version of July 2025). Order matters: it is the
 * transparency CSV's row order.
 */
export const CONTENT_TYPES = {
  animal_welfare: 'Animal welfare',
  consumer_information: 'Consumer information infringements',
  cyber_violence: 'Cyber violence',
  cyber_violence_against_women: 'Cyber violence against women',
  data_protection: 'Data protection and privacy violations',
  illegal_speech: 'Illegal or harmful speech',
  intellectual_property: 'Intellectual property infringements',
  civic_discourse: 'Negative effects on civic discourse or elections',
  protection_of_minors: 'Protection of minors',
  public_security: 'Risk for public security',
  scams_fraud: 'Scams and/or fraud',
  self_harm: 'Self-harm',
  unsafe_products: 'Unsafe, non-compliant or prohibited products',
  violence: 'Violence',
  other: 'Other illegal content',
} as const;
export type ContentType = keyof typeof CONTENT_TYPES;

/** EU Member States, ISO 3166-1 alpha-2, in the order of the EU's protocol (the CSV's columns). */
export const MEMBER_STATES = [
  'BE',
  'BG',
  'CZ',
  'DK',
  'DE',
  'EE',
  'IE',
  'GR',
  'ES',
  'FR',
  'HR',
  'IT',
  'CY',
  'LV',
  'LT',
  'LU',
  'HU',
  'MT',
  'NL',
  'AT',
  'PL',
  'PT',
  'RO',
  'SI',
  'SK',
  'FI',
  'SE',
] as const;
export type MemberState = (typeof MEMBER_STATES)[number];

/**
 * Each Member State's legal time, as its capital keeps it (Portugal's and Spain's mainland): the
 * zone an order's deadline is stated in to the authority that issued it.
 */
export const MEMBER_STATE_ZONES: Readonly<Record<MemberState, string>> = {
  BE: 'Europe/Brussels',
  BG: 'Europe/Sofia',
  CZ: 'Europe/Prague',
  DK: 'Europe/Copenhagen',
  DE: 'Europe/Berlin',
  EE: 'Europe/Tallinn',
  IE: 'Europe/Dublin',
  GR: 'Europe/Athens',
  ES: 'Europe/Madrid',
  FR: 'Europe/Paris',
  HR: 'Europe/Zagreb',
  IT: 'Europe/Rome',
  CY: 'Asia/Nicosia',
  LV: 'Europe/Riga',
  LT: 'Europe/Vilnius',
  LU: 'Europe/Luxembourg',
  HU: 'Europe/Budapest',
  MT: 'Europe/Malta',
  NL: 'Europe/Amsterdam',
  AT: 'Europe/Vienna',
  PL: 'Europe/Warsaw',
  PT: 'Europe/Lisbon',
  RO: 'Europe/Bucharest',
  SI: 'Europe/Ljubljana',
  SK: 'Europe/Bratislava',
  FI: 'Europe/Helsinki',
  SE: 'Europe/Stockholm',
};

/** The zone of the latest order of an incident that names a Member State; null when none does. */
export function orderTimeZone(orders: ReadonlyArray<Pick<OrderDetails, 'memberState' | 'receivedAt'>>): string | null {
  const named = orders.filter((o) => o.memberState !== null).sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime());
  const state = named[0]?.memberState;
  return state ? MEMBER_STATE_ZONES[state] : null;
}

/** The EU writes Greece as EL; ISO 3166 as GR. Both are read as GR. */
const MEMBER_STATE_ALIASES: Readonly<Record<string, MemberState>> = { EL: 'GR' };

/** The EU's official languages (ISO 639-1), the languages an order may come in. */
export const EU_LANGUAGES = [
  'bg',
  'cs',
  'da',
  'de',
  'el',
  'en',
  'es',
  'et',
  'fi',
  'fr',
  'ga',
  'hr',
  'hu',
  'it',
  'lt',
  'lv',
  'mt',
  'nl',
  'pl',
  'pt',
  'ro',
  'sk',
  'sl',
  'sv',
] as const;

export const RECEIVED_VIA = {
  point_of_contact: 'Point of contact (DSA Art. 11)',
  email: 'Email',
  portal: 'Authority portal',
  other: 'Other',
} as const;
export type ReceivedVia = keyof typeof RECEIVED_VIA;

export const EFFECT_GIVEN = { yes: 'Yes', partly: 'Partly', no: 'No' } as const;
export type EffectGiven = keyof typeof EFFECT_GIVEN;

/** The fields of an order; the modal's block ids and the intake API's keys are these names. */
export const ORDER_FIELDS = [
  'order_type',
  'legal_basis',
  'issuing_authority',
  'member_state',
  'other_jurisdiction',
  'content_type',
  'territorial_scope',
  'language',
  'received_via',
  'received_at',
  'receipt_confirmed_at',
  'effect_given',
  'effect_reason',
  'effect_given_at',
] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

/** An order as typed: everything optional text or an instant, checked by {@link checkOrder}. */
export interface OrderDraft {
  orderType?: string | null;
  legalBasis?: string | null;
  issuingAuthority?: string | null;
  memberState?: string | null;
  otherJurisdiction?: string | null;
  contentType?: string | null;
  territorialScope?: string | null;
  language?: string | null;
  receivedVia?: string | null;
  receivedAt?: Date | null;
  receiptConfirmedAt?: Date | null;
  effectGiven?: string | null;
  effectReason?: string | null;
  effectGivenAt?: Date | null;
}

/** An order as the intake API sends it (`order` in the report): the fields by name, times as ISO 8601. */
export type OrderSubmission = Partial<Record<OrderField, string>>;

/** The intake API's order as a draft for {@link checkOrder}. */
export function draftOfSubmission(s: OrderSubmission): OrderDraft {
  const at = (v: string | undefined) => (v ? new Date(v) : null);
  return {
    orderType: s.order_type ?? null,
    legalBasis: s.legal_basis ?? null,
    issuingAuthority: s.issuing_authority ?? null,
    memberState: s.member_state ?? null,
    otherJurisdiction: s.other_jurisdiction ?? null,
    contentType: s.content_type ?? null,
    territorialScope: s.territorial_scope ?? null,
    language: s.language ?? null,
    receivedVia: s.received_via ?? null,
    receivedAt: at(s.received_at),
    receiptConfirmedAt: at(s.receipt_confirmed_at),
    effectGiven: s.effect_given ?? null,
    effectReason: s.effect_reason ?? null,
    effectGivenAt: at(s.effect_given_at),
  };
}

/** A checked order. `memberState` null: the authority is outside the EU (`otherJurisdiction`). */
export interface OrderDetails {
  orderType: OrderType;
  legalBasis: LegalBasis;
  issuingAuthority: string;
  memberState: MemberState | null;
  otherJurisdiction: string | null;
  contentType: ContentType;
  /** Member State codes, or `EU` for the whole Union. */
  territorialScope: string[];
  language: string | null;
  receivedVia: ReceivedVia;
  receivedAt: Date;
  receiptConfirmedAt: Date | null;
  effectGiven: EffectGiven | null;
  effectReason: string | null;
  effectGivenAt: Date | null;
}

export const AUTHORITY_MAX = 200;
export const REASON_MAX = 500;
/** A time picked in the current minute is not the future (Slack's picker has minutes). */
const PICKER_SLACK_MS = 60_000;

const has = <T extends object>(table: T, key: string | null | undefined): key is Extract<keyof T, string> =>
  typeof key === 'string' && Object.hasOwn(table, key);

/** A Member State code as typed (`de`, `EL`), or undefined when it is none of the 27. */
export function memberStateOf(code: string): MemberState | undefined {
  const upper = code.trim().toUpperCase();
  const aliased = MEMBER_STATE_ALIASES[upper] ?? upper;
  return (MEMBER_STATES as readonly string[]).includes(aliased) ? (aliased as MemberState) : undefined;
}

type Checked = { ok: true; order: OrderDetails } | { ok: false; errors: Partial<Record<OrderField, string>> };

/**
 * Checks an order: every list value known, a Member State or another jurisdiction, the legal
 * basis allowing the order type, times not ahead of `now`, receipt confirmed neither before
 * the order arrived nor after effect was given, a reason when effect was partly or not given.
 * Errors are keyed by field, each naming what is wrong.
 */
export function checkOrder(draft: OrderDraft, now: Date): Checked {
  const errors: Partial<Record<OrderField, string>> = {};
  const text = (value: string | null | undefined) => value?.trim() ?? '';
  const orderType = text(draft.orderType);
  const legalBasis = text(draft.legalBasis);
  if (!has(ORDER_TYPES, orderType)) errors.order_type = `Pick the order type: ${Object.keys(ORDER_TYPES).join(' or ')}.`;
  if (!has(LEGAL_BASES, legalBasis)) errors.legal_basis = `Pick the legal basis: one of ${Object.keys(LEGAL_BASES).join(', ')}.`;
  else if (has(ORDER_TYPES, orderType) && !(LEGAL_BASES[legalBasis].allows as readonly string[]).includes(orderType))
    errors.legal_basis = `${LEGAL_BASES[legalBasis].name} does not allow an ${ORDER_TYPES[orderType].toLowerCase()}.`;

  const authority = text(draft.issuingAuthority);
  if (!authority) errors.issuing_authority = 'Name the authority that issued the order.';
  else if (authority.length > AUTHORITY_MAX) errors.issuing_authority = `At most ${AUTHORITY_MAX} characters.`;

  const stateText = text(draft.memberState);
  const other = text(draft.otherJurisdiction);
  const memberState = stateText ? memberStateOf(stateText) : undefined;
  if (stateText && !memberState)
    errors.member_state = `"${stateText.slice(0, 10)}" is not an EU Member State code (ISO 3166, e.g. DE, FR, IE); for an authority outside the EU, leave it empty and fill in the other jurisdiction.`;
  else if (!stateText && !other) errors.member_state = 'Give the issuing Member State (e.g. DE), or another jurisdiction.';
  if (other.length > AUTHORITY_MAX) errors.other_jurisdiction = `At most ${AUTHORITY_MAX} characters.`;

  const contentType = text(draft.contentType);
  if (!has(CONTENT_TYPES, contentType)) errors.content_type = 'Pick the type of illegal content.';

  const scope = territorialScopeOf(text(draft.territorialScope), memberState);
  if (!scope.ok) errors.territorial_scope = scope.error;

  const language = text(draft.language).toLowerCase();
  if (language && !(EU_LANGUAGES as readonly string[]).includes(language))
    errors.language = `"${language.slice(0, 10)}" is not an EU official language code (ISO 639-1, e.g. de, fr, en).`;

  const receivedVia = text(draft.receivedVia) || 'other';
  if (!has(RECEIVED_VIA, receivedVia)) errors.received_via = `Pick how it was received: ${Object.keys(RECEIVED_VIA).join(', ')}.`;

  const effect = text(draft.effectGiven);
  if (effect && !has(EFFECT_GIVEN, effect)) errors.effect_given = 'Effect given is yes, partly or no.';
  const reason = text(draft.effectReason);
  if ((effect === 'partly' || effect === 'no') && !reason) errors.effect_reason = 'Say why effect was only partly or not given.';
  else if (reason.length > REASON_MAX) errors.effect_reason = `At most ${REASON_MAX} characters.`;
  if (draft.effectGivenAt && !effect) errors.effect_given = 'Say whether effect was given (yes, partly or no) with its time.';

  checkTimes(draft, now, errors);
  if (Object.keys(errors).length > 0 || !draft.receivedAt || !scope.ok) return { ok: false, errors };
  return {
    ok: true,
    order: {
      orderType: orderType as OrderType,
      legalBasis: legalBasis as LegalBasis,
      issuingAuthority: authority,
      memberState: memberState ?? null,
      otherJurisdiction: memberState ? null : other || null,
      contentType: contentType as ContentType,
      territorialScope: scope.codes,
      language: language || null,
      receivedVia: receivedVia as ReceivedVia,
      receivedAt: draft.receivedAt,
      receiptConfirmedAt: draft.receiptConfirmedAt ?? null,
      effectGiven: effect ? (effect as EffectGiven) : null,
      effectReason: reason || null,
      effectGivenAt: draft.effectGivenAt ?? null,
    },
  };
}

function checkTimes(draft: OrderDraft, now: Date, errors: Partial<Record<OrderField, string>>): void {
  const ahead = (at: Date | null | undefined) => !!at && at.getTime() > now.getTime() + PICKER_SLACK_MS;
  const { receivedAt, receiptConfirmedAt, effectGivenAt } = draft;
  if (!receivedAt) errors.received_at = 'Say when the order was received.';
  else if (ahead(receivedAt)) errors.received_at = 'That time is still ahead.';
  if (ahead(receiptConfirmedAt)) errors.receipt_confirmed_at = 'That time is still ahead.';
  else if (receiptConfirmedAt && receivedAt && receiptConfirmedAt < receivedAt)
    errors.receipt_confirmed_at = 'Receipt cannot be confirmed before the order was received.';
  else if (receiptConfirmedAt && effectGivenAt && receiptConfirmedAt > effectGivenAt)
    errors.receipt_confirmed_at = 'Receipt confirmed after the effect time: confirm receipt at or before giving effect.';
  if (ahead(effectGivenAt)) errors.effect_given_at = 'That time is still ahead.';
  else if (effectGivenAt && receivedAt && effectGivenAt < receivedAt)
    errors.effect_given_at = 'Effect cannot be given before the order was received.';
}

/** `DE, AT` or `EU`; empty: the issuing Member State's territory. */
function territorialScopeOf(
  text: string,
  memberState: MemberState | undefined,
): { ok: true; codes: string[] } | { ok: false; error: string } {
  if (!text) return { ok: true, codes: memberState ? [memberState] : [] };
  const words = text.split(/[\s,;]+/).filter(Boolean);
  if (words.length === 1 && words[0]?.toUpperCase() === 'EU') return { ok: true, codes: ['EU'] };
  const codes: string[] = [];
  for (const word of words) {
    const code = memberStateOf(word);
    if (!code) return { ok: false, error: `"${word.slice(0, 10)}" is not an EU Member State code; list codes (DE, AT) or write EU.` };
    if (!codes.includes(code)) codes.push(code);
  }
  return { ok: true, codes };
}

/** A recorded order with the times its incident's clocks supply where it has none of its own. */
export interface OrderTimes {
  receiptConfirmedAt: Date | null;
  effectGiven: EffectGiven | null;
  effectGivenAt: Date | null;
}

/** The answered clocks an order's times may come from: a kind id and when it was answered. */
export interface AnsweredClock {
  kindId: string | null;
  respondedAt: Date | null;
}

/**
 * The order's own times first; else receipt confirmed = the earliest answer of a clock whose
 * kind confirms receipt, effect given = the earliest answer of a clock whose kind gives effect
 * (and effect "yes" with it). `kinds` come from the config's `regulatory:` section.
 */
export function orderTimes(
  order: Pick<OrderDetails, 'receiptConfirmedAt' | 'effectGiven' | 'effectGivenAt'>,
  clocks: readonly AnsweredClock[],
  kinds: { receipt: readonly string[]; effect: readonly string[] },
): OrderTimes {
  const earliest = (ids: readonly string[]) =>
    clocks
      .filter((c) => c.kindId !== null && ids.includes(c.kindId) && c.respondedAt)
      .map((c) => c.respondedAt as Date)
      .sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
  const effectAt = order.effectGivenAt ?? (order.effectGiven === 'no' ? null : earliest(kinds.effect));
  return {
    receiptConfirmedAt: order.receiptConfirmedAt ?? earliest(kinds.receipt),
    effectGiven: order.effectGiven ?? (effectAt ? 'yes' : null),
    effectGivenAt: effectAt,
  };
}

/** Which incidents are authorities' orders, from the config's `regulatory:` section. */
export interface OrderIncidents {
  readonly orderCategories: readonly string[];
  readonly receiptConfirmedBy: readonly string[];
  readonly effectGivenBy: readonly string[];
}

/**
 * Whether the card offers "Record order": the incident is of an order category, or a clock of a
 * kind that answers an order (receipt, effect) still runs on it, or it has an order already.
 * (`/incident order` works on any incident: this only keeps the button off the others' cards.)
 */
export function offersOrderRecording(
  incident: { category: string; clocks: readonly { kindId: string | null; state: string; respondedAt: Date | null }[]; orders: number },
  config: OrderIncidents | undefined,
): boolean {
  if (incident.orders > 0) return true;
  if (!config) return false;
  if (config.orderCategories.includes(incident.category)) return true;
  const kinds = [...config.receiptConfirmedBy, ...config.effectGivenBy];
  // Running, paused, or missed and still unanswered: the order is still being dealt with.
  const runs = (c: { state: string; respondedAt: Date | null }) =>
    c.state === 'running' || c.state === 'paused' || (c.state === 'missed' && !c.respondedAt);
  return incident.clocks.some((c) => c.kindId !== null && kinds.includes(c.kindId) && runs(c));
}

/**
 * The basis of an action taken on a notice (DSA Art. 15(1)(b) asks the two apart): the law
 * (illegal content, or an authority's order) or the provider's terms and conditions.
 */
export const ACTION_BASES = { law: 'the law', terms: 'the terms and conditions' } as const;
export type ActionBasis = keyof typeof ACTION_BASES;
