import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { ActionKind, ActionStatus } from '../../domain/scheduled-action.js';
import { createdAt, instant } from './columns.js';
import { incidents } from './incidents.js';

/**
 * Every future action is a row, written in the same transaction as its cause.
 * BullMQ only delivers it: the job id is this row's id and the payload nothing else.
 */
export const scheduledActions = pgTable(
  'scheduled_actions',
  {
    /** `sa-<uuid>`: a valid BullMQ job id (no colon). */
    id: text('id').primaryKey(),
    incidentId: uuid('incident_id').references(() => incidents.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<ActionKind>().notNull(),
    dueAt: instant('due_at').notNull(),
    status: text('status').$type<ActionStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** Ids and numbers only (step number, user id), never incident text. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    /** For actions planned more than once from the same source (handoff notices): one row per key. */
    dedupeKey: text('dedupe_key'),
    /**
     * The Slack workspace the action belongs to (Enterprise Grid: the workspace of the request
     * or job that planned it); null in single-workspace mode. A run whose workspace the app no
     * longer reaches fails closed.
     */
    teamId: text('team_id'),
    enterpriseId: text('enterprise_id'),
    ...createdAt,
    finishedAt: instant('finished_at'),
  },
  (t) => [
    index('scheduled_actions_pending_idx').on(t.dueAt).where(sql`${t.status} = 'pending'`),
    index('scheduled_actions_incident_idx').on(t.incidentId),
    uniqueIndex('scheduled_actions_dedupe_uq').on(t.dedupeKey),
  ],
);

/** Slack event ids already handled: Bolt acks events before listeners run and does not de-duplicate. */
export const slackEvents = pgTable('slack_events', {
  key: text('key').primaryKey(),
  receivedAt: instant('received_at').notNull().defaultNow(),
});
