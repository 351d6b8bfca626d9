import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.js';
import { incidents } from './incidents.js';

/**
 * Legal holds a person set (issue 24). Holds owed to a preservation duty are in `duty_holds`,
 * written when a clock of a configured kind (`retention.holds`) starts, whatever its origin.
 */
export const legalHolds = pgTable(
  'legal_holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    heldBy: text('held_by').notNull(),
    heldAt: instant('held_at').notNull(),
    /** Ends by itself then; null: until released. */
    until: instant('until'),
    releasedAt: instant('released_at'),
    releasedBy: text('released_by'),
    releaseReason: text('release_reason'),
    ...createdAt,
  },
  (t) => [index('legal_holds_incident_idx').on(t.incidentId)],
);

/** An incident whose text the retention policy purged: when, and how many texts of each kind. */
export const retentionPurges = pgTable('retention_purges', {
  incidentId: uuid('incident_id')
    .primaryKey()
    .references(() => incidents.id, { onDelete: 'cascade' }),
  purgedAt: instant('purged_at').notNull(),
  counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
});

/**
 * Originals of texts redacted while their incident was held (issue 24): the law keeps them,
 * readable only by the hold's owners (`owners`), never shown in the timeline, card or exports.
 */
export const heldTexts = pgTable(
  'held_texts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    /** What the text was redacted from (`RedactTarget` kind): `entry`, `summary`, `resolution_summary`, `mitigation`, `report`. */
    target: text('target').notNull().default('entry'),
    /** The row it was redacted from: the timeline entry, the incident (its own texts) or the intake report. */
    entryId: uuid('entry_id').notNull(),
    text: text('text').notNull(),
    /** Who may read it: the people who set the holds in force, and Legal (`retention.may_hold`). */
    owners: jsonb('owners').$type<string[]>().notNull(),
    redactedBy: text('redacted_by'),
    redactedAt: instant('redacted_at').notNull(),
  },
  (t) => [index('held_texts_incident_idx').on(t.incidentId)],
);

/**
 * Holds owed to a preservation duty (issue 24), one per clock of a `retention.holds` kind, written
 * when the clock starts (and audited then). Stored, not derived from the clock, because the duty
 * outlives the clock: TCO Art. 6 keeps removed content 6 months from the removal, so a clock that
 * is answered or cleared moves the end to `days` after that moment and never shortens it.
 */
export const dutyHolds = pgTable(
  'duty_holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    /** The clock that started it; no foreign key: clearing the clock deletes its row, the hold stays. */
    clockId: uuid('clock_id').notNull().unique(),
    deadlineId: text('deadline_id').notNull(),
    /** The law, as `retention.holds[].source` names it. */
    source: text('source').notNull(),
    since: instant('since').notNull(),
    until: instant('until').notNull(),
    ...createdAt,
  },
  (t) => [index('duty_holds_incident_idx').on(t.incidentId)],
);
