import type { View } from '@slack/types';
import type { OrderDraft } from '../../domain/orders.js';
import type { IncidentLocator } from '../incident/index.js';
import type { RegulatoryDeps } from './deps.js';
import { orderEditForm, orderForm, recordOrder } from './orders.js';
import { ncmecForm, prepareNcmecReport } from './ncmec.js';
import { crisisCommand } from './crisis.js';
import { noticeBasisCommand } from './notice-basis.js';
import { art18Form, recordArt18 } from './art18.js';
import type { Art18Draft } from '../../domain/art18.js';
import type { NcmecDraft } from '../../domain/ncmec.js';
import { type TransparencyCsvAnswer, transparencyCsv, transparencyToDm } from './transparency.js';

/** The regulatory record: orders, the transparency report. */
export interface RegulatoryServices {
  /** `/incident order` and the card's "Record order": the modal. */
  orderForm(input: { userId: string; where: IncidentLocator }): Promise<View>;
  /** The modal's submission (inline errors by field). */
  recordOrder(input: {
    userId: string;
    where: IncidentLocator;
    draft: OrderDraft;
    orderId?: string;
    answer?: () => Promise<void>;
  }): Promise<string>;
  /** The card's "Edit order": the same modal, filled in. */
  orderEditForm(input: { userId: string; orderId: string }): Promise<View>;
  /** `/incident transparency <period>` */
  transparency(input: { userId: string; args: string }): Promise<string>;
  /** GET /api/transparency.csv */
  transparencyCsv(period: string | undefined, part: string | undefined): Promise<TransparencyCsvAnswer>;
  /** `/incident ncmec`: the CyberTipline modal (child-safety incidents). */
  ncmecForm(input: { userId: string; where: IncidentLocator }): Promise<View>;
  /** Its submission: the packet to the DM; with a report id, the submission and the preservation clock. */
  prepareNcmec(input: { userId: string; where: IncidentLocator; draft: NcmecDraft; answer?: () => Promise<void> }): Promise<string>;
  /** `/incident crisis <protocol> activate|conclude|hashes <n>|told <who>` */
  crisis(input: { userId: string; channelId: string; args: string }): Promise<string>;
  /** `/incident basis law|terms`: the basis of the action on the incident's notices (Art. 15(1)(b)). */
  noticeBasis(input: { userId: string; channelId: string; args: string }): Promise<string>;
  /** `/incident art18`: the modal; its submission records the notice and runs the "promptly" clock. */
  art18Form(input: { userId: string; where: IncidentLocator }): Promise<View>;
  recordArt18(input: { userId: string; where: IncidentLocator; draft: Art18Draft; answer?: () => Promise<void> }): Promise<string>;
}

export function createRegulatoryServices(deps: RegulatoryDeps): RegulatoryServices {
  return {
    orderForm: (input) => orderForm(deps, input),
    recordOrder: (input) => recordOrder(deps, input),
    orderEditForm: (input) => orderEditForm(deps, input),
    transparency: (input) => transparencyToDm(deps, input),
    transparencyCsv: (period, part) => transparencyCsv(deps, period, part),
    ncmecForm: (input) => ncmecForm(deps, input),
    prepareNcmec: (input) => prepareNcmecReport(deps, input),
    crisis: (input) => crisisCommand(deps, input),
    noticeBasis: (input) => noticeBasisCommand(deps, input),
    art18Form: (input) => art18Form(deps, input),
    recordArt18: (input) => recordArt18(deps, input),
  };
}
