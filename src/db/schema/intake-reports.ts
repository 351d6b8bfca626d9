import type { ActionBasis, OrderSubmission } from '../../domain/orders.js';
import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { ReportStatus } from '../../domain/intake.js';
import type { Severity } from '../../domain/severity.js';
import { createdAt, instant } from './columns.js';
import { incidents } from './incidents.js';

/**
 * Reports from outside Slack (POST /api/intake). Their text is the sender's: shown escaped,
 * never logged. A decision is taken with `update ... where status = 'pending'`, so two people
 * deciding at once change it once.
 */
export const intakeReports = pgTable(
  'intake_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The sender, e.g. `regulator-portal`, `partner:safety-ngo`. */
    source: text('source').notNull(),
    /** The sender's own id of the report: the same one again is the same report. */
    externalId: text('external_id').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    category: text('category'),
    severity: text('severity').$type<Severity>(),
    deadline: instant('deadline'),
    reporter: text('reporter'),
    links: jsonb('links').$type<string[]>().notNull().default([]),
    /** From a trusted flagger (`intake.sources[].priority`). */
    priority: boolean('priority').notNull().default(false),
    status: text('status').$type<ReportStatus>().notNull().default('pending'),
    receivedAt: instant('received_at').notNull(),
    // The triage post, recorded once Slack accepted it, so a retry updates instead of posting again.
    triageChannelId: text('triage_channel_id'),
    triageTs: text('triage_ts'),
    decidedBy: text('decided_by'),
    decidedAt: instant('decided_at'),
    /** Declared as, or merged into. */
    incidentId: uuid('incident_id').references(() => incidents.id, { onDelete: 'set null' }),
    dismissReason: text('dismiss_reason'),
    /** When the report was posted in its incident's channel. */
    incidentPostedAt: instant('incident_posted_at'),
    /** An authority's order the sender typed (`order` in the report); recorded as an `orders` row on declare or merge. */
    orderDetails: jsonb('order_details').$type<OrderSubmission>(),
    /**
     * The basis of the action taken on the notice (DSA Art. 15(1)(b)): `law` or `terms` (the
     * provider's terms and conditions); `/incident basis`, or `law` when the report carried an order.
     */
    actionBasis: text('action_basis').$type<ActionBasis>(),
    ...createdAt,
  },
  (t) => [
    uniqueIndex('intake_reports_source_external_uq').on(t.source, t.externalId),
    index('intake_reports_pending_idx').on(t.receivedAt).where(sql`${t.status} = 'pending'`),
  ],
);
