/** Orders from authorities on an incident: the modal, recording one, and listing them with their clocks' times. */
import type { View } from '@slack/types';
import { incidentRef } from '../../blocks/incident-messages.js';
import { orderModal } from '../../blocks/order-modal.js';
import { DEFAULT_REGULATORY } from '../../config-file/regulatory.js';
import { answeredClocksOf, insertOrder, type StoredOrder } from '../../db/repos/orders.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { checkOrder, CONTENT_TYPES, LEGAL_BASES, type OrderDraft, orderTimes, type OrderTimes } from '../../domain/orders.js';
import { InvalidInput } from '../../errors.js';
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

/** One line naming an order, for the channel and the timeline. */
export function orderLine(
  order: Pick<StoredOrder, 'legalBasis' | 'issuingAuthority' | 'memberState' | 'otherJurisdiction' | 'contentType'>,
): string {
  const where = order.memberState ?? order.otherJurisdiction ?? '';
  return `${LEGAL_BASES[order.legalBasis].name} from ${order.issuingAuthority}${where ? ` (${where})` : ''}: ${CONTENT_TYPES[order.contentType]}`;
}

/**
 * Records an order: checked field by field (errors name the field, nothing is stored), then the
 * row, a timeline entry and the audit record in one transaction; the channel is told after.
 */
export async function recordOrder(
  deps: RegulatoryDeps,
  input: { userId: string; where: IncidentLocator; draft: OrderDraft; intakeReportId?: string },
): Promise<string> {
  const incident = await locateIncident(deps, input.where, input.userId);
  await requireChanger(deps, incident, input.userId, 'order.record');
  const now = deps.clock();
  const checked = checkOrder(input.draft, now);
  if (!checked.ok) throw new InvalidInput(checked.errors);
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
  const line = `:scroll: Order recorded by <@${input.userId}>: ${escapeMrkdwn(orderLine(order))}`;
  if (incident.channelId)
    await deps.slack
      .postMessage({ channel: incident.channelId, text: line })
      .catch((err: unknown) => deps.logger.warn({ err, incidentId: incident.id }, 'order line not posted'));
  await refreshIncidentCard(deps, incident.id).catch((err: unknown) => deps.logger.warn({ err }, 'card not refreshed'));
  return `Recorded: ${escapeMrkdwn(orderLine(order))}.`;
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
