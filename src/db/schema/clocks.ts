import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { ClockStart, ClockState } from '../../domain/clocks.js';
import type { EscalationTarget } from '../../domain/response-policy.js';
import { createdAt, instant } from './columns.js';
import { incidents } from './incidents.js';

/**
 * Response clocks: a regulator's removal order, a reply to the authority, a partner's SLA.
 * Reminders and the miss are `scheduled_actions` rows carrying this row's id and `version`.
 */
export const incidentClocks = pgTable(
  'incident_clocks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    /** How commands name it: the kind id, or a typed label; unique per incident. */
    label: text('label').notNull(),
    kindId: text('kind_id'),
    name: text('name').notNull(),
    source: text('source').notNull().default(''),
    task: text('task').notNull().default(''),
    startKind: text('start_kind').$type<ClockStart>().notNull(),
    startedAt: instant('started_at').notNull(),
    dueAt: instant('due_at').notNull(),
    /** Null: the incident's commander at the time. */
    ownerId: text('owner_id'),
    state: text('state').$type<ClockState>().notNull().default('running'),
    pausedAt: instant('paused_at'),
    pauseReason: text('pause_reason'),
    /** Planned reminders and misses carry this; each change bumps it, so stale rows do nothing. */
    version: integer('version').notNull().default(1),
    remindBeforeMinutes: jsonb('remind_before_minutes').$type<number[]>().notNull().default([]),
    escalateTo: jsonb('escalate_to').$type<EscalationTarget[]>().notNull().default([]),
    respondedAt: instant('responded_at'),
    respondedBy: text('responded_by'),
    responseNote: text('response_note'),
    /** The evidence link given with the response (the Mark responded modal), apart from the note. */
    responseEvidence: text('response_evidence'),
    missedAt: instant('missed_at'),
    /** What the miss has told so far (channel, feed, each DM), so a retry tells only who is left. */
    /** Who was told of the miss; `dmMessages`: each DM's channel and ts as sent, the only ones Acknowledge updates. */
    missProgress: jsonb('miss_progress')
      .$type<{ channel?: boolean; feed?: boolean; dms?: string[]; dmMessages?: Record<string, { channel: string; ts: string }> }>()
      .notNull()
      .default({}),
    ...createdAt,
  },
  (t) => [
    uniqueIndex('incident_clocks_label_uq').on(t.incidentId, t.label),
    index('incident_clocks_open_idx').on(t.dueAt).where(sql`${t.state} in ('running','paused')`),
    // Deadline outcomes of a period, whatever their state (reports).
    index('incident_clocks_due_at_idx').on(t.dueAt),
  ],
);
