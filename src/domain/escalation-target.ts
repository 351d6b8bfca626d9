/** Whom a step pages or a category invites; its own module so clocks and policies can share it without a cycle. */
import type { MemberRef } from './schedule.js';

/** Who an escalation step notifies. */
export type EscalationTarget =
  | { readonly kind: 'schedule'; readonly scheduleId: string }
  | { readonly kind: 'user'; readonly user: MemberRef }
  | { readonly kind: 'usergroup'; readonly usergroupId: string };

/** Who is invited (not paged) to an incident's channel: stakeholders such as Legal or Comms. */
export type StakeholderTarget =
  | { readonly kind: 'user'; readonly user: MemberRef }
  | { readonly kind: 'usergroup'; readonly usergroupId: string };
