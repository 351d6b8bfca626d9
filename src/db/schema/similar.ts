import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import type { IncidentLinkKind } from '../../domain/similar-incidents.js';
import { createdAt, instant } from './columns.js';
import { incidents } from './incidents.js';

/**
 * What "seen before" compares: an incident's title, and its title, summary, hashtags and linked
 * reports' text, transliterated to Latin and lower-cased in the app (Postgres has no
 * transliteration), so a trend typed in Cyrillic or Thai meets its Latin twin. Trigram (pg_trgm)
 * indexes are added in the migration's custom SQL.
 */
export const incidentSearchText = pgTable('incident_search_text', {
  incidentId: uuid('incident_id')
    .primaryKey()
    .references(() => incidents.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  body: text('body').notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

/** `/incident link INC-12 related|duplicate|caused-by`: from the incident it was typed in to another. */
export const incidentLinks = pgTable(
  'incident_links',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    linkedIncidentId: uuid('linked_incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<IncidentLinkKind>().notNull(),
    createdBy: text('created_by').notNull(),
    ...createdAt,
  },
  (t) => [
    primaryKey({ columns: [t.incidentId, t.linkedIncidentId] }),
    index('incident_links_linked_idx').on(t.linkedIncidentId),
    check('incident_links_not_self', sql`${t.incidentId} <> ${t.linkedIncidentId}`),
    check('incident_links_kind', sql`${t.kind} in ('related','duplicate','caused-by')`),
  ],
);
