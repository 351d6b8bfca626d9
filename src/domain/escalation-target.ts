/** Whom a step pages or a category invites; its own module so clocks and policies can share it without a cycle. */
import type { MemberRef } from './schedule.js';

/**
 * Who an escalation step notifies. A user group may carry its handle (`name`, without the @):
 * the incident channel's page line names the group by it, as text, since a `<!subteam^…>`
 * mention would notify the whole group again on top of their page DMs.
 */
export type EscalationTarget =
  | { readonly kind: 'schedule'; readonly scheduleId: string }
  | { readonly kind: 'user'; readonly user: MemberRef }
  | { readonly kind: 'usergroup'; readonly usergroupId: string; readonly name?: string };

/** Who is invited (not paged) to an incident's channel: stakeholders such as Legal or Comms. */
export type StakeholderTarget =
  | { readonly kind: 'user'; readonly user: MemberRef }
  | { readonly kind: 'usergroup'; readonly usergroupId: string };
