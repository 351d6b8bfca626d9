import { sql } from 'drizzle-orm';
import { index, integer, pgTable, serial, text, uuid } from 'drizzle-orm/pg-core';
import type { FollowUpExport, FollowUpStatus } from '../../domain/follow-ups.js';
import { createdAt, instant } from './columns.js';
import { incidents } from './incidents.js';

/**
 * Follow-up actions with an owner, a team and a due date. Reminders, the owner's notice and the
 * tracker export are `scheduled_actions` rows carrying this row's id (and `version`).
 * The resolve modal's older `incidents.follow_ups` strings stay where they are (read by the review).
 */
export const followUps = pgTable(
  'follow_up_actions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: serial('number').notNull().unique(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    ownerId: text('owner_id').notNull(),
    teamId: text('team_id'),
    dueAt: instant('due_at').notNull(),
    status: text('status').$type<FollowUpStatus>().notNull().default('open'),
    reason: text('reason'),
    createdBy: text('created_by').notNull(),
    doneAt: instant('done_at'),
    version: integer('version').notNull().default(1),
    exportState: text('export_state').$type<FollowUpExport>().notNull().default('none'),
    /** The tracker's key (Jira: PROJ-123) and a link to the issue. */
    trackerKey: text('tracker_key'),
    trackerUrl: text('tracker_url'),
    /** One follow-up per submission (a modal's view id, a resolve's key), whatever Slack retries. */
    submissionKey: text('submission_key').unique(),
    ...createdAt,
  },
  (t) => [
    index('follow_up_actions_incident_idx').on(t.incidentId),
    index('follow_up_actions_open_owner_idx').on(t.ownerId, t.dueAt).where(sql`${t.status} = 'open'`),
  ],
);
