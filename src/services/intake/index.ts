import type { View } from '@slack/types';
import type { TriageMessage } from '../../blocks/triage.js';
import type { IntakeSubmission } from '../../domain/intake.js';
import {
  declareForm,
  dismissForm,
  dismissReport,
  linkDeclared,
  linkSourceMessage,
  mergeForm,
  mergeReport,
  pendingReports,
  requirePending,
} from './decide.js';
import type { IntakeDeps } from './deps.js';
import { receiveReport, type ReceivedReport } from './receive-report.js';
import { triageGate } from './triage-members.js';

export type { IntakeDeps } from './deps.js';

/** The intake use cases for the HTTP and Slack edges. */
export interface IntakeServices {
  receive(input: IntakeSubmission): Promise<ReceivedReport>;
  declareForm(input: { userId: string; reportId: string; channelId?: string }): Promise<View>;
  requirePending(input: { userId: string; reportId: string }): Promise<void>;
  linkDeclared(input: { userId: string; reportId: string; incidentId: string }): Promise<void>;
  linkSourceMessage(input: { incidentId: string; channelId: string; ts: string }): Promise<void>;
  mergeForm(input: { userId: string; teamId: string; reportId: string }): Promise<View>;
  merge(input: { userId: string; reportId: string; incidentId: string }): Promise<void>;
  dismissForm(input: { userId: string; reportId: string }): Promise<View>;
  dismiss(input: { userId: string; reportId: string; reason: string }): Promise<void>;
  /** Members of the triage channel and admins only: the titles are sensitive. */
  pending(input: { userId: string }): Promise<TriageMessage>;
}

export function createIntakeServices(deps: IntakeDeps): IntakeServices {
  const gate = triageGate(deps);
  return {
    receive: (input) => receiveReport(deps, input),
    declareForm: (input) => declareForm(deps, input),
    requirePending: (input) => requirePending(deps, input),
    linkDeclared: (input) => linkDeclared(deps, input),
    linkSourceMessage: (input) => linkSourceMessage(deps, input),
    mergeForm: (input) => mergeForm(deps, input),
    merge: (input) => mergeReport(deps, input),
    dismissForm: (input) => dismissForm(deps, input),
    dismiss: (input) => dismissReport(deps, input),
    pending: (input) => pendingReports(deps, gate, input),
  };
}
