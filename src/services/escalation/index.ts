import { acknowledge, type AcknowledgeDeps, type AcknowledgeRequest } from './acknowledge.js';
import { escalateNow, type EscalateNowDeps } from './escalate-now.js';

/** Paging use cases the Slack edge calls; each returns the words to show the person who asked. */
export interface PageServices {
  acknowledge(request: AcknowledgeRequest): Promise<string>;
  escalateNow(request: { userId: string; pageId: string }): Promise<string>;
}

export function createPageServices(deps: AcknowledgeDeps & EscalateNowDeps): PageServices {
  return {
    acknowledge: (request) => acknowledge(deps, request),
    escalateNow: (request) => escalateNow(deps, request),
  };
}
