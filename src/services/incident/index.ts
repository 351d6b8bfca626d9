import type { View } from '@slack/types';
import type { RenderedMessage } from '../../blocks/incident-messages.js';

/** The modals an incident is run with. */
export type IncidentModal = 'severity' | 'update' | 'role' | 'resolve';

/** A submitted incident modal, flattened to its fields (checked by the service, not yet here). */
export type IncidentModalFields =
  | { modal: 'severity'; severity?: string; reason?: string }
  | { modal: 'update'; status?: string; known?: string; doing?: string; nextUpdateAt?: Date }
  | { modal: 'role'; role?: string; userId?: string }
  | { modal: 'resolve'; resolution?: string; mitigation?: string; followUps?: string };

/** Where a request about an incident comes from: its channel, or a button carrying its id. */
export type IncidentLocator = { channelId: string } | { incidentId: string };

/** Running an incident: lifecycle, severity, roles, status updates. Each returns what to show the caller. */
export interface IncidentServices {
  /** The modal to open for the incident (prefilled); throws UserError outside an incident channel. */
  modal(input: { userId: string; modal: IncidentModal; where: IncidentLocator }): Promise<View>;
  /** A submitted incident modal (`submissionKey` `view:<id>`: a replay changes nothing); throws InvalidInput (by block id) for fields the person can fix. */
  submitModal(input: { userId: string; incidentId: string; fields: IncidentModalFields; submissionKey: string }): Promise<void>;
  /** `/incident status [target]`: the state now, or a transition (once per `submissionKey`, `cmd:<trigger_id>`). */
  status(input: { userId: string; channelId: string; target?: string; submissionKey: string }): Promise<RenderedMessage>;
  /** `/incident mitigate|close|cancel|reopen` (`submissionKey` `cmd:<trigger_id>`: a replay changes nothing). */
  transition(input: {
    userId: string;
    channelId: string;
    target: 'mitigated' | 'closed' | 'cancelled' | 'investigating';
    submissionKey: string;
    reason?: string;
  }): Promise<string>;
  /** `/incident role @user <role>` (`submissionKey` `cmd:<trigger_id>`: a replay changes nothing). */
  assignRoleFromText(input: { userId: string; channelId: string; text: string; submissionKey: string }): Promise<string>;
}
