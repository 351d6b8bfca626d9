import { bigint, boolean, integer, pgView, text, uuid } from 'drizzle-orm/pg-core';
import { instant } from './columns.js';

/**
 * The analysts' views, created by the `analytics_views` migration (hand-written SQL, so
 * `.existing()`: drizzle-kit neither creates nor drops them). Declared here so repositories
 * query them with types. docs/analytics.md describes every column.
 */
export const incidentMetricsView = pgView('incident_metrics', {
  incidentId: uuid('incident_id').notNull(),
  number: integer('number').notNull(),
  /** `(private)` for a private incident. */
  title: text('title').notNull(),
  severity: text('severity').notNull(),
  category: text('category').notNull(),
  private: boolean('private').notNull(),
  status: text('status').notNull(),
  declaredAt: instant('declared_at').notNull(),
  acknowledgedAt: instant('acknowledged_at'),
  mitigatedAt: instant('mitigated_at'),
  resolvedAt: instant('resolved_at'),
  closedAt: instant('closed_at'),
  timeToAcknowledgeS: bigint('time_to_acknowledge_s', { mode: 'number' }),
  timeToMitigateS: bigint('time_to_mitigate_s', { mode: 'number' }),
  timeToResolveS: bigint('time_to_resolve_s', { mode: 'number' }),
  deadlineAt: instant('deadline_at'),
  respondedAt: instant('responded_at'),
  deadlineMet: boolean('deadline_met'),
  commander: text('commander'),
  hub: text('hub'),
  /** The severity at declaration, and the worst it reached (migration 0007). */
  declaredSeverity: text('declared_severity').notNull(),
  peakSeverity: text('peak_severity').notNull(),
}).existing();

export const pageLogView = pgView('page_log', {
  pageId: uuid('page_id').notNull(),
  incidentNumber: integer('incident_number').notNull(),
  incidentId: uuid('incident_id').notNull(),
  userId: text('user_id').notNull(),
  pagedAt: instant('paged_at').notNull(),
  stepNumber: integer('step_number').notNull(),
  reason: text('reason').notNull(),
  layer: text('layer'),
  timeZone: text('time_zone').notNull(),
  status: text('status').notNull(),
  acknowledged: boolean('acknowledged').notNull(),
  acknowledgedAt: instant('acknowledged_at'),
  outOfHours: boolean('out_of_hours').notNull(),
}).existing();

export const deadlineOutcomesView = pgView('deadline_outcomes', {
  clockId: uuid('clock_id').notNull(),
  incidentNumber: integer('incident_number').notNull(),
  incidentId: uuid('incident_id').notNull(),
  private: boolean('private').notNull(),
  kindId: text('kind_id'),
  name: text('name').notNull(),
  source: text('source').notNull(),
  startKind: text('start_kind').notNull(),
  startedAt: instant('started_at').notNull(),
  dueAt: instant('due_at').notNull(),
  state: text('state').notNull(),
  respondedAt: instant('responded_at'),
  missedAt: instant('missed_at'),
  met: boolean('met'),
  lateByS: bigint('late_by_s', { mode: 'number' }),
}).existing();

/** Each responder's hub (their first layer) and its zone, as `incident_metrics` and `page_log` read it. */
export const responderHubsView = pgView('responder_hubs', {
  userId: text('user_id'),
  hub: text('hub'),
  timeZone: text('time_zone'),
}).existing();
