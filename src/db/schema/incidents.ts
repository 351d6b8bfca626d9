import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, primaryKey, serial, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { IncidentStatus } from '../../domain/lifecycle.js';
import type { IncidentRole } from '../../domain/roles.js';
import type { Severity } from '../../domain/severity.js';
import { createdAt, instant } from './columns.js';

export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Human number: INC-<number>. */
    number: serial('number').notNull().unique(),
    /**
     * One incident per declaration, whatever Slack retries: the modal's view id, or
     * the shortcut's message, so a retry or a double submit finds the first row.
     */
    idempotencyKey: text('idempotency_key').notNull(),
    teamId: text('team_id').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    severity: text('severity').$type<Severity>().notNull(),
    /**
     * The severity it was declared at, never changed: what reports count declarations by. An
     * insert without it gets `severity` (trigger `incidents_severity_defaults`, migration 0007).
     */
    declaredSeverity: text('declared_severity').$type<Severity>().notNull().default(sql`NULL`),
    /** The worst severity it ever had (change-severity raises it); an insert without it gets `severity`. */
    peakSeverity: text('peak_severity').$type<Severity>().notNull().default(sql`NULL`),
    category: text('category').notNull(),
    status: text('status').$type<IncidentStatus>().notNull().default('investigating'),
    isPrivate: boolean('is_private').notNull().default(false),
    declaredBy: text('declared_by').notNull(),
    commanderId: text('commander_id'),
    declaredAt: instant('declared_at').notNull(),
    /** Where /incident was typed, so the declarer can be told where the channel is. */
    originChannelId: text('origin_channel_id'),
    acknowledgedAt: instant('acknowledged_at'),
    mitigatedAt: instant('mitigated_at'),
    resolvedAt: instant('resolved_at'),
    closedAt: instant('closed_at'),
    // Progress of setting up Slack, so a retried job redoes only what is missing.
    channelId: text('channel_id'),
    channelName: text('channel_name'),
    cardTs: text('card_ts'),
    feedAnnouncedAt: instant('feed_announced_at'),
    declarerToldAt: instant('declarer_told_at'),
    channelSetupFailedAt: instant('channel_setup_failed_at'),
    /** When the last status update was posted (declaration counts as the first): drives reminders. */
    lastUpdateAt: instant('last_update_at'),
    /** From the resolve modal. */
    resolutionSummary: text('resolution_summary'),
    mitigation: text('mitigation'),
    followUps: jsonb('follow_ups').$type<string[]>().notNull().default([]),
    ...createdAt,
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('incidents_idempotency_key_uq').on(t.teamId, t.idempotencyKey),
    uniqueIndex('incidents_channel_id_uq').on(t.channelId),
    index('incidents_open_idx').on(t.status).where(sql`${t.status} in ('investigating','mitigated')`),
    // Reports and the CSV read a period's declarations: a week costs a week, not the whole history (issue 26).
    index('incidents_declared_at_idx').on(t.declaredAt),
  ],
);

/** People who may see a private incident: invited, joined, or holding a role. */
export const incidentMembers = pgTable(
  'incident_members',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    ...createdAt,
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.userId] }), index('incident_members_user_idx').on(t.userId)],
);

export const timelineEntries = pgTable(
  'timeline_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    at: instant('at').notNull(),
    /** declared, status_changed, severity_changed, role_assigned, update_posted, note, paged, acknowledged, ... */
    kind: text('kind').notNull(),
    actorId: text('actor_id'),
    text: text('text').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    /** For entries captured from Slack messages (pins, reactions). */
    messageTs: text('message_ts'),
    permalink: text('permalink'),
    ...createdAt,
  },
  (t) => [
    index('timeline_incident_at_idx').on(t.incidentId, t.at),
    // One entry per message and way of capturing it (pin, reaction): a second pin changes nothing.
    uniqueIndex('timeline_captured_message_uq').on(t.incidentId, t.kind, t.messageTs),
  ],
);

/**
 * Who holds which role. The commander is also kept on incidents.commander_id, written in the
 * same transaction, because permission checks, lists and the card read it on every request.
 */
export const incidentRoles = pgTable(
  'incident_roles',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    role: text('role').$type<IncidentRole>().notNull(),
    userId: text('user_id').notNull(),
    assignedBy: text('assigned_by'),
    assignedAt: instant('assigned_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.role] })],
);

/** Every change and every refused attempt, for the record. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id').references(() => incidents.id, { onDelete: 'set null' }),
    at: instant('at').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    outcome: text('outcome').notNull().default('ok'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_incident_idx').on(t.incidentId, t.at)],
);
