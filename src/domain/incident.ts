/**
 * The incident record as the rest of the system sees it: the incident, who holds its roles,
 * and its timeline. Plain data; the database's repositories return these.
 */
import type { IncidentStatus } from './lifecycle.js';
import type { IncidentRole } from './roles.js';
import type { Severity } from './severity.js';

export interface Incident {
  id: string;
  /** Human number: INC-<number>. */
  number: number;
  /** One incident per declaration, whatever Slack retries (the modal's view id, or the shortcut's message). */
  idempotencyKey: string;
  teamId: string;
  title: string;
  summary: string;
  severity: Severity;
  /** The severity at declaration; reports count declarations by it, so lowering never uncounts one. */
  declaredSeverity: Severity;
  /** The worst severity it ever had. */
  peakSeverity: Severity;
  /** A category id from the config file. */
  category: string;
  status: IncidentStatus;
  isPrivate: boolean;
  declaredBy: string;
  commanderId: string | null;
  declaredAt: Date;
  /** Where /incident was typed, so the declarer can be told where the channel is. */
  originChannelId: string | null;
  acknowledgedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  // Progress of setting up Slack, so a retried job redoes only what is missing.
  channelId: string | null;
  channelName: string | null;
  cardTs: string | null;
  feedAnnouncedAt: Date | null;
  declarerToldAt: Date | null;
  channelSetupFailedAt: Date | null;
  /** When the last status update was posted (declaration counts as the first): drives reminders. */
  lastUpdateAt: Date | null;
  /** From the resolve modal. */
  resolutionSummary: string | null;
  mitigation: string | null;
  followUps: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** Who holds one role of an incident. */
export interface IncidentRoleAssignment {
  incidentId: string;
  role: IncidentRole;
  userId: string;
  assignedBy: string | null;
  assignedAt: Date;
}

/** One line of an incident's timeline: what happened, for people. */
export interface TimelineEntry {
  id: string;
  incidentId: string;
  at: Date;
  /** declared, status_changed, severity_changed, role_assigned, update_posted, note, paged, acknowledged, pin, ... */
  kind: string;
  actorId: string | null;
  text: string;
  data: Record<string, unknown>;
  /** For entries captured from Slack messages (pins, reactions). */
  messageTs: string | null;
  permalink: string | null;
  createdAt: Date;
}
