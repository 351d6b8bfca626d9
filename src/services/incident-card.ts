import type { Db } from '../db/client.js';
import { latestEscalation } from '../db/repos/escalations.js';
import { clocksOfIncident } from '../db/repos/clocks.js';
import { findIncident } from '../db/repos/incidents.js';
import type { Incident } from '../domain/incident.js';
import type { Catalog } from '../blocks/catalog.js';
import { type CardOrder, incidentCard, type CardPaging, type RenderedMessage } from '../blocks/incident-messages.js';
import { ordersOfIncidents } from '../db/repos/orders.js';
import { type AnsweredClock, offersOrderRecording, orderTimes, orderTimeZone } from '../domain/orders.js';
import type { SlackGateway } from '../slack-api/gateway.js';
import { rolesOfIncident } from '../db/repos/roles.js';
import { isIncidentRole, ROLE_LABEL } from '../domain/roles.js';
import { timelineEntriesOfKind } from '../db/repos/timeline.js';
import { RUNBOOK_STEP_KIND, runbookProgress, runbookState } from '../domain/runbook.js';
import { categoryRunbook } from '../blocks/catalog.js';
import { followUpsOfIncident } from '../db/repos/follow-ups.js';
import { activeCrisisProtocols } from '../db/repos/crisis.js';
import { holdsOf } from './retention/holds.js';
import { linksOfIncident } from '../db/repos/similar-incidents.js';
import { linkText } from '../blocks/similar-incidents.js';

export interface IncidentCardDeps {
  db: Db;
  catalog: Catalog;
  /** What "time left" on a clock is counted from; the real time when not given. */
  clock?: () => Date;
}

/** The card as it should look now: the incident plus its paging state. */
export async function renderIncidentCard(deps: IncidentCardDeps, incident: Incident): Promise<RenderedMessage> {
  const escalation = await latestEscalation(deps.db, incident.id);
  const paging: CardPaging = escalation
    ? { status: escalation.status, acknowledgedBy: escalation.acknowledgedBy, acknowledgedAt: escalation.acknowledgedAt }
    : { status: 'none' };
  const roles = (await rolesOfIncident(deps.db, incident.id))
    .filter((r) => r.role !== 'commander' && isIncidentRole(r.role))
    .map((r) => ({ label: ROLE_LABEL[r.role], userId: r.userId }));
  const clocks = await clocksOfIncident(deps.db, incident.id);
  // The deadline as the issuing authority's clock reads it, for the reply to it.
  const orderZone = clocks.length ? orderTimeZone(await ordersOfIncidents(deps.db, [incident.id])) : null;
  const steps = categoryRunbook(deps.catalog, incident.category);
  const runbook = steps.length
    ? runbookProgress(runbookState(steps, await timelineEntriesOfKind(deps.db, incident.id, RUNBOOK_STEP_KIND)))
    : undefined;
  const followUps = await followUpsOfIncident(deps.db, incident.id);
  const orders = await cardOrders(deps, incident.id, clocks);
  const crisis = (await activeCrisisProtocols(deps.db, incident.id)).map((c) => ({ name: c.protocolName, activatedAt: c.activatedAt }));
  // A private incident's number and title stay out of a card its non-members may read.
  const links = (await linksOfIncident(deps.db, incident.id)).filter((l) => !l.other.isPrivate).map(linkText);
  return incidentCard(incident, deps.catalog, {
    ...(crisis.length ? { crisis } : {}),
    orders: {
      list: orders,
      recordable: offersOrderRecording({ category: incident.category, clocks, orders: orders.length }, deps.catalog.regulatory),
    },
    ...(links.length ? { links } : {}),
    paging,
    roles,
    clocks: { list: clocks, now: deps.clock?.() ?? new Date(), orderZone },
    followUps: { list: followUps, now: deps.clock?.() ?? new Date() },
    ...(runbook ? { runbook } : {}),
    holds: await holdsOf(deps.db, deps.catalog.holdDuties ?? [], incident.id, deps.clock?.() ?? new Date()),
  });
}

/** The incident's orders as the card lists them: effect as recorded, else from its answered clocks (`regulatory:`). */
async function cardOrders(deps: IncidentCardDeps, incidentId: string, clocks: readonly AnsweredClock[]): Promise<CardOrder[]> {
  const kinds = { receipt: deps.catalog.regulatory?.receiptConfirmedBy ?? [], effect: deps.catalog.regulatory?.effectGivenBy ?? [] };
  return (await ordersOfIncidents(deps.db, [incidentId])).map((o) => {
    const times = orderTimes(o, clocks, kinds);
    return {
      id: o.id,
      orderType: o.orderType,
      issuingAuthority: o.issuingAuthority,
      memberState: o.memberState,
      otherJurisdiction: o.otherJurisdiction,
      receivedAt: o.receivedAt,
      effectGiven: times.effectGiven,
      effectGivenAt: times.effectGivenAt,
    };
  });
}

/** Re-renders the pinned card in place (chat.update); a no-op before the card exists. */
export async function refreshIncidentCard(
  deps: IncidentCardDeps & { slack: Pick<SlackGateway, 'updateMessage'> },
  incidentId: string,
): Promise<void> {
  const incident = await findIncident(deps.db, incidentId);
  if (!incident?.channelId || !incident.cardTs) return;
  await deps.slack.updateMessage({ channel: incident.channelId, ts: incident.cardTs, ...(await renderIncidentCard(deps, incident)) });
}
