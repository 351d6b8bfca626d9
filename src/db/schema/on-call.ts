import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Escalation, Page } from '../../domain/paging.js';
import type { Layer } from '../../domain/schedule.js';
import { createdAt, instant } from './columns.js';
import { incidents } from './incidents.js';

/**
 * Schedules from the config file, people resolved to Slack user ids. `layers` is the JSON of
 * the domain's Layer[] (plain data: local dates and times, no Date), replaced whole at every sync.
 */
export const schedules = pgTable('schedules', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  layers: jsonb('layers').$type<readonly Layer[]>().notNull(),
  syncedAt: instant('synced_at').notNull(),
});

/** Cover above every layer: from the file (replaced at each sync) or set from Slack (kept). */
export const scheduleOverrides = pgTable(
  'schedule_overrides',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scheduleId: text('schedule_id')
      .notNull()
      .references(() => schedules.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    source: text('source').$type<'file' | 'slack'>().notNull(),
    createdBy: text('created_by'),
    ...createdAt,
  },
  (t) => [index('schedule_overrides_schedule_idx').on(t.scheduleId, t.endsAt)],
);

/** The last config file that passed validation, for what is not in its own tables. */
export const configSnapshots = pgTable('config_snapshots', {
  id: uuid('id').primaryKey().defaultRandom(),
  syncedAt: instant('synced_at').notNull(),
  body: jsonb('body').$type<Record<string, unknown>>().notNull(),
});

/**
 * One per incident while its policy runs. `nextStep` is the step the one pending
 * `escalation-step` action will run; a job for any other step is stale and does nothing.
 */
export const escalations = pgTable(
  'escalations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    policyId: text('policy_id').notNull(),
    /** The policy as it was when the escalation started (or was re-planned by a severity change). */
    policy: jsonb('policy').$type<Escalation['policy']>().notNull(),
    status: text('status').$type<Escalation['status']>().notNull().default('active'),
    nextStep: integer('next_step').notNull().default(0),
    startedAt: instant('started_at').notNull(),
    acknowledgedAt: instant('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    endedAt: instant('ended_at'),
  },
  (t) => [index('escalations_incident_idx').on(t.incidentId)],
);

/** A person paged by one step of an escalation; one row per (escalation, step, person). */
export const pages = pgTable(
  'pages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    escalationId: uuid('escalation_id')
      .notNull()
      .references(() => escalations.id, { onDelete: 'cascade' }),
    stepNumber: integer('step_number').notNull(),
    userId: text('user_id').notNull(),
    /** Why this person: a schedule's on-call (which layer, which zone), a user, or a user group. */
    reason: jsonb('reason').$type<Page['reason']>().notNull(),
    pagedAt: instant('paged_at').notNull(),
    status: text('status').$type<Page['status']>().notNull().default('sent'),
    dmChannelId: text('dm_channel_id'),
    dmTs: text('dm_ts'),
    /** False while the DM was sent before the incident channel existed: it gets the link later. */
    dmHasChannel: boolean('dm_has_channel').notNull().default(false),
    announcedAt: instant('announced_at'),
    acknowledgedAt: instant('acknowledged_at'),
    /** The person's own Slack time zone (users.info) when paged, for reading out-of-hours and hub when no layer gives one. */
    userTimeZone: text('user_time_zone'),
  },
  (t) => [
    uniqueIndex('pages_step_user_uq').on(t.escalationId, t.stepNumber, t.userId),
    index('pages_user_idx').on(t.userId, t.status),
    // With paged_at: an incident's first page (incident_metrics' hub) is the index's first entry, no sort.
    index('pages_incident_idx').on(t.incidentId, t.pagedAt),
    // The page log of a period (reports).
    index('pages_paged_at_idx').on(t.pagedAt),
  ],
);
