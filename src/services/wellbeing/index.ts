/** Responder wellbeing: exposure nudges, end-of-coverage offers, the Hand over button. */
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import type { WellbeingDeps } from './context.js';
import { planCoverageEndOffers, runCoverageEndOffer } from './coverage-end.js';
import { planExposureChecks, runExposureCheck } from './exposure-check.js';
import { handOver, type OfferAnswer, stayOn } from './hand-over.js';

export type { WellbeingDeps } from './context.js';
export type { OfferAnswer } from './hand-over.js';

export interface WellbeingServices {
  /** The reconciler's planning hook: exposure checks for who is exposed now, offers for window ends a day ahead. */
  plan(): Promise<number>;
  runExposureCheck(ctx: ActionContext<'exposure-check'>): Promise<ActionOutcome>;
  runCoverageEndOffer(ctx: ActionContext<'coverage-end-offer'>): Promise<ActionOutcome>;
  /** The Hand over button; returns what the DM says now. */
  handOver(answer: OfferAnswer): Promise<string>;
  /** The "I'm fine for now" button. */
  stayOn(answer: OfferAnswer): Promise<string>;
}

export function createWellbeingServices(deps: WellbeingDeps): WellbeingServices {
  return {
    async plan() {
      return (await planExposureChecks(deps)) + (await planCoverageEndOffers(deps));
    },
    runExposureCheck: (ctx) => runExposureCheck(deps, ctx),
    runCoverageEndOffer: (ctx) => runCoverageEndOffer(deps, ctx),
    handOver: (answer) => handOver(deps, answer),
    stayOn: (answer) => stayOn(deps, answer),
  };
}
