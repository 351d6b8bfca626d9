import type { View } from '@slack/types';
import type { TriageMessage } from '../../blocks/triage.js';
import type { IntakeSubmission } from '../../domain/intake.js';
import {
  declareForm,
  dismissForm,
  dismissReport,
  claimForDeclaration,
  linkSourceMessage,
  mergeForm,
  mergeReport,
  pendingReports,
  requirePending,
} from './decide.js';
import type { DeclarationClaim } from '../declare-incident.js';
import type { IntakeDeps } from './deps.js';
import { receiveReport, type ReceivedReport } from './receive-report.js';
import { refreshReportPosts } from './refresh-posts.js';
import { triageGate } from './triage-members.js';

export type { IntakeDeps } from './deps.js';

/** The intake use cases for the HTTP and Slack edges. */
export interface IntakeServices {
  receive(input: IntakeSubmission): Promise<ReceivedReport>;
  declareForm(input: { userId: string; reportId: string; channelId?: string }): Promise<View>;
  requirePending(input: { userId: string; reportId: string }): Promise<void>;
  /** Passed to declareIncident: claims the report in the declaration's transaction. */
  claimForDeclaration(input: { userId: string; reportId: string }): DeclarationClaim;
  linkSourceMessage(input: { incidentId: string; channelId: string; ts: string }): Promise<void>;
  mergeForm(input: { userId: string; teamId: string; reportId: string }): Promise<View>;
  merge(input: { userId: string; reportId: string; incidentId: string }): Promise<void>;
  dismissForm(input: { userId: string; reportId: string }): Promise<View>;
  dismiss(input: { userId: string; reportId: string; reason: string }): Promise<void>;
  /** Members of the triage channel and admins only: the titles are sensitive. */
  pending(input: { userId: string }): Promise<TriageMessage>;
  /** After a redaction of the report's body: its triage post and its post in the incident channel show the redacted report. */
  refreshPosts(reportId: string): Promise<void>;
}

export function createIntakeServices(deps: IntakeDeps): IntakeServices {
  const gate = triageGate(deps);
  // Declare, Merge and Dismiss are for the triage channel's members and admins, like the list:
  // a forged click from outside would open a form prefilled with the report's text and act.
  const triager =
    <I extends { userId: string }, R>(act: (input: I) => Promise<R>) =>
    async (input: I): Promise<R> => {
      await gate(input.userId);
      return act(input);
    };
  return {
    receive: (input) => receiveReport(deps, input),
    declareForm: triager((input) => declareForm(deps, input)),
    requirePending: triager((input) => requirePending(deps, input)),
    claimForDeclaration: (input) => claimForDeclaration(deps, input),
    linkSourceMessage: (input) => linkSourceMessage(deps, input),
    mergeForm: triager((input) => mergeForm(deps, input)),
    merge: triager((input) => mergeReport(deps, input)),
    dismissForm: triager((input) => dismissForm(deps, input)),
    dismiss: triager((input) => dismissReport(deps, input)),
    pending: (input) => pendingReports(deps, gate, input),
    refreshPosts: (reportId) => refreshReportPosts(deps, reportId),
  };
}
