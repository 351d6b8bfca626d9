import type { View } from '@slack/types';
import type { OrderDraft } from '../../domain/orders.js';
import type { IncidentLocator } from '../incident/index.js';
import type { RegulatoryDeps } from './deps.js';
import { orderForm, recordOrder } from './orders.js';
import { type TransparencyCsvAnswer, transparencyCsv, transparencyToDm } from './transparency.js';

/** The regulatory record: orders, the transparency report. */
export interface RegulatoryServices {
  /** `/incident order` and the card's "Record order": the modal. */
  orderForm(input: { userId: string; where: IncidentLocator }): Promise<View>;
  /** The modal's submission (inline errors by field). */
  recordOrder(input: { userId: string; where: IncidentLocator; draft: OrderDraft }): Promise<string>;
  /** `/incident transparency <period>` */
  transparency(input: { userId: string; args: string }): Promise<string>;
  /** GET /api/transparency.csv */
  transparencyCsv(period: string | undefined, part: string | undefined): Promise<TransparencyCsvAnswer>;
}

export function createRegulatoryServices(deps: RegulatoryDeps): RegulatoryServices {
  return {
    orderForm: (input) => orderForm(deps, input),
    recordOrder: (input) => recordOrder(deps, input),
    transparency: (input) => transparencyToDm(deps, input),
    transparencyCsv: (period, part) => transparencyCsv(deps, period, part),
  };
}
