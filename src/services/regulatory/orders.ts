/** Orders from authorities on an incident: the modal, recording one, and listing them with their clocks' times. */
import type { View } from '@slack/types';
import { incidentRef } from '../../blocks/incident-messages.js';
import { orderModal } from '../../blocks/order-modal.js';
import { DEFAULT_REGULATORY } from '../../config-file/regulatory.js';
import { answeredClocksOf, findOrder, insertOrder, type StoredOrder, updateOrder } from '../../db/repos/orders.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import type { Incident } from '../../domain/incident.js';
import {
  checkOrder,
  CONTENT_TYPES,
  LEGAL_BASES,
  type OrderDetails,
  type OrderDraft,
  type OrderField,
  orderTimes,
  type OrderTimes,
} from '../../domain/orders.js';
import { InvalidInput, UserError } from '../../errors.js';
import { escapeMrkdwn } from '../../slack-api/mrkdwn.js';
import { refreshIncidentCard } from '../incident-card.js';
import { locateIncident, requireChanger } from '../incident/context.js';
import type { IncidentLocator } from '../incident/index.js';
import type { RegulatoryDeps } from './deps.js';

/** The "Record order" modal for the incident; only people who may change it get it (refusals audited). */
export async function orderForm(deps: RegulatoryDeps, input: { userId: string; where: IncidentLocator }): Promise<View> {
  const incident = await locateIncident(deps, input.where, input.userId);
  await requireChanger(deps, incident, input.userId, 'order.record');
  return orderModal(incident.id, incidentRef(incident));
}

/** The card's "Edit order": the same modal, filled with the recorded order; only people who may change the incident. */
export async function orderEditForm(deps: RegulatoryDeps, input: { userId: string; orderId: string }): Promise<View> {
  const order = await findOrder(deps.db, input.orderId);
  if (!order) throw new UserError('order_not_found', 'That order is no longer on record.');
  const incident = await locateIncident(deps, { incidentId: order.incidentId }, input.userId);
  await requireChanger(deps, incident, input.userId, 'order.edit');
  return orderModal(incident.id, incidentRef(incident), { orderId: order.id, order });
}

/** One line naming an order, for the channel and the timeline. */
export function orderLine(
  order: Pick<StoredOrder, 'legalBasis' | 'issuingAuthority' | 'memberState' | 'otherJurisdiction' | 'contentType'>,
): string {
  const where = order.memberState ?? order.otherJurisdiction ?? '';
  return `${LEGAL_BASES[order.legalBasis].name} from ${order.issuingAuthority}${where ? ` (${where})` : ''}: ${CONTENT_TYPES[order.contentType]}`;
}

const ORDER_COLUMNS_BY_FIELD: ReadonlyArray<readonly [OrderField, keyof OrderDetails]> = [
  ['order_type', 'orderType'],
  ['legal_basis', 'legalBasis'],
  ['issuing_authority', 'issuingAuthority'],
  ['member_state', 'memberState'],
  ['other_jurisdiction', 'otherJurisdiction'],
  ['content_type', 'contentType'],
  ['territorial_scope', 'territorialScope'],
  ['language', 'language'],
  ['received_via', 'receivedVia'],
  ['received_at', 'receivedAt'],
  ['receipt_confirmed_at', 'receiptConfirmedAt'],
  ['effect_given', 'effectGiven'],
  ['effect_reason', 'effectReason'],
  ['effect_given_at', 'effectGivenAt'],
];

/** The fields an edit changes, by their form names. */
function changedFields(before: OrderDetails, after: OrderDetails): OrderField[] {
  const same = (a: unknown, b: unknown) =>
    a instanceof Date || b instanceof Date
      ? (a as Date | null)?.getTime() === (b as Date | null)?.getTime()
      : JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return ORDER_COLUMNS_BY_FIELD.filter(([, key]) => !same(before[key], after[key])).map(([field]) => field);
}

/**
 * Records an order (or, with `orderId`, edits a recorded one): checked field by field (errors
 * name the field, nothing is stored), then the row, a timeline entry and the audit record in one
 * transaction. `answer` (the modal's acknowledgement) is called once that is stored and before
 * anything goes to Slack, so a slow Slack cannot outlast the modal's 3 seconds; the channel is told after.
 */
export async function recordOrder(
  deps: RegulatoryDeps,
  input: {
    userId: string;
    where: IncidentLocator;
    draft: OrderDraft;
    intakeReportId?: string;
    orderId?: string;
    answer?: () => Promise<void>;
  },
): Promise<string> {
  const incident = await locateIncident(deps, input.where, input.userId);
  await requireChanger(deps, incident, input.userId, input.orderId ? 'order.edit' : 'order.record');
  const now = deps.clock();
  const checked = checkOrder(input.draft, now);
  if (!checked.ok) throw new InvalidInput(checked.errors);
  if (input.orderId) return editOrder(deps, { ...input, orderId: input.orderId, incident, order: checked.order, now });
  const order = await deps.db.transaction(async (tx) => {
    const row = await insertOrder(tx, {
      ...checked.order,
      incidentId: incident.id,
      recordedBy: input.userId,
      intakeReportId: input.intakeReportId ?? null,
    });
    if (!row) return undefined;
    const text = `Order recorded: ${orderLine(row)}`;
    await addTimelineEntry(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'order_recorded',
      actorId: input.userId,
      text,
      data: { orderId: row.id },
    });
    await addAuditRecord(tx, {
      incidentId: incident.id,
      at: now,
      actorId: input.userId,
      action: 'order.record',
      details: {
        orderId: row.id,
        orderType: row.orderType,
        legalBasis: row.legalBasis,
        memberState: row.memberState,
        contentType: row.contentType,
      },
    });
    return row;
  });
  if (!order) return 'That order is already recorded.';
  await input.answer?.();
  await tellChannel(deps, incident, `:scroll: Order recorded by <@${input.userId}>: ${escapeMrkdwn(orderLine(order))}`);
  return `Recorded: ${escapeMrkdwn(orderLine(order))}.`;
}

async function editOrder(
  deps: RegulatoryDeps,
  input: { userId: string; orderId: string; incident: Incident; order: OrderDetails; now: Date; answer?: () => Promise<void> },
): Promise<string> {
  const { incident, now } = input;
  const result = await deps.db.transaction(async (tx) => {
    const before = await findOrder(tx, input.orderId);
    if (!before || before.incidentId !== incident.id) return { ok: false as const };
    const changed = changedFields(before, input.order);
    if (changed.length === 0) return { ok: true as const, row: before, changed };
    const row = (await updateOrder(tx, before.id, input.order)) ?? before;
    await addTimelineEntry(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'order_edited',
      actorId: input.userId,
      text: `Order edited (${changed.join(', ')}): ${orderLine(row)}`,
      data: { orderId: row.id, changed },
    });
    await addAuditRecord(tx, {
      incidentId: incident.id,
      at: now,
      actorId: input.userId,
      action: 'order.edit',
      details: { orderId: row.id, changed },
    });
    return { ok: true as const, row, changed };
  });
  if (!result.ok) throw new UserError('order_not_found', 'That order is no longer on record for this incident.');
  await input.answer?.();
  if (result.changed.length === 0) return 'Nothing changed.';
  await tellChannel(
    deps,
    incident,
    `:scroll: Order edited by <@${input.userId}> (${result.changed.join(', ')}): ${escapeMrkdwn(orderLine(result.row))}`,
  );
  return `Saved: ${escapeMrkdwn(orderLine(result.row))}.`;
}

/** The channel line and the card; Slack failing here is logged, the order is on record. */
async function tellChannel(deps: RegulatoryDeps, incident: Incident, line: string): Promise<void> {
  if (incident.channelId)
    await deps.slack
      .postMessage({ channel: incident.channelId, text: line })
      .catch((err: unknown) => deps.logger.warn({ err, incidentId: incident.id }, 'order line not posted'));
  await refreshIncidentCard(deps, incident.id).catch((err: unknown) => deps.logger.warn({ err }, 'card not refreshed'));
}

/** Orders with the times their incidents' answered clocks supply (config `regulatory:`). */
export async function withClockTimes(
  deps: Pick<RegulatoryDeps, 'db' | 'meridian'>,
  orders: readonly StoredOrder[],
): Promise<Array<StoredOrder & { times: OrderTimes }>> {
  const config = deps.meridian.regulatory ?? DEFAULT_REGULATORY;
  const kinds = { receipt: config.receiptConfirmedBy, effect: config.effectGivenBy };
  const clocks = await answeredClocksOf(
    deps.db,
    orders.map((o) => o.incidentId),
  );
  return orders.map((o) => ({ ...o, times: orderTimes(o, clocks.get(o.incidentId) ?? [], kinds) }));
}
