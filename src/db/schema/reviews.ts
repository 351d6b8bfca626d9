import { check, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { ReviewStatus } from '../../domain/review-template.js';
import { createdAt, instant } from './columns.js';
import { incidents } from './incidents.js';

/**
 * An incident's post-incident review: its canvas in the incident channel, the Markdown last
 * written there (the record keeps it, whatever happens to the canvas), its owner, due date and status.
 */
export const incidentReviews = pgTable(
  'incident_reviews',
  {
    incidentId: uuid('incident_id')
      .primaryKey()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    /** The template's category, or null for the standard review. */
    template: text('template'),
    status: text('status').$type<ReviewStatus>().notNull().default('draft'),
    ownerId: text('owner_id').notNull(),
    /** Set once the incident is resolved: working days after resolution in the owner's zone. */
    dueAt: instant('due_at'),
    canvasId: text('canvas_id'),
    markdown: text('markdown').notNull(),
    ...createdAt,
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [check('incident_reviews_status', sql`${t.status} in ('draft','in-review','published')`)],
);
