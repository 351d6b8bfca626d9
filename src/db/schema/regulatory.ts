import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { ContentType, EffectGiven, LegalBasis, MemberState, OrderType, ReceivedVia } from '../../domain/orders.js';
import { createdAt, instant } from './columns.js';
import { incidents } from './incidents.js';

/**
 * Orders from authorities, typed (DSA Art. 9/10, TCO Art. 3, national law): what the
 * transparency report (DSA Art. 15(1)(a)) counts. Several may belong to one incident.
 * Receipt and effect times left null are supplied by the incident's clocks when read.
 */
export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    orderType: text('order_type').$type<OrderType>().notNull(),
    legalBasis: text('legal_basis').$type<LegalBasis>().notNull(),
    issuingAuthority: text('issuing_authority').notNull(),
    /** ISO 3166-1 alpha-2 of an EU Member State; null: `other_jurisdiction`. */
    memberState: text('member_state').$type<MemberState>(),
    otherJurisdiction: text('other_jurisdiction'),
    contentType: text('content_type').$type<ContentType>().notNull(),
    /** Member State codes, or `EU`. */
    territorialScope: jsonb('territorial_scope').$type<string[]>().notNull().default([]),
    /** ISO 639-1. */
    language: text('language'),
    receivedVia: text('received_via').$type<ReceivedVia>().notNull(),
    receivedAt: instant('received_at').notNull(),
    receiptConfirmedAt: instant('receipt_confirmed_at'),
    effectGiven: text('effect_given').$type<EffectGiven>(),
    effectReason: text('effect_reason'),
    effectGivenAt: instant('effect_given_at'),
    recordedBy: text('recorded_by').notNull(),
    /** The intake report the order came with, when it came through the intake API. */
    intakeReportId: uuid('intake_report_id'),
    ...createdAt,
  },
  (t) => [
    index('orders_incident_idx').on(t.incidentId),
    index('orders_received_idx').on(t.receivedAt),
    uniqueIndex('orders_intake_report_uq').on(t.intakeReportId),
  ],
);

/**
 * CyberTipline reports (18 U.S.C. 2258A): the report id NCMEC gave and when it was submitted.
 * The packet itself is rebuilt from the incident; the material is never stored here.
 */
export const ncmecReports = pgTable('ncmec_reports', {
  id: uuid('id').primaryKey().defaultRandom(),
  incidentId: uuid('incident_id')
    .notNull()
    .references(() => incidents.id, { onDelete: 'cascade' }),
  reportId: text('report_id').notNull().unique(),
  submittedAt: instant('submitted_at').notNull(),
  incidentType: text('incident_type').notNull(),
  /** The escalateToHighPriority reason, when the report was escalated. */
  highPriorityReason: text('high_priority_reason'),
  annotations: jsonb('annotations').$type<string[]>().notNull().default([]),
  /** The packet as produced (NCMEC's field names), without content. */
  packet: jsonb('packet').$type<Record<string, unknown>>().notNull(),
  recordedBy: text('recorded_by').notNull(),
  ...createdAt,
});

/** External crisis protocols an incident is under (GIFCT IRF, EU crisis response, Christchurch Call). */
export const crisisActivations = pgTable(
  'crisis_activations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    protocolId: text('protocol_id').notNull(),
    /** The protocol's name when activated (the config may rename it later). */
    protocolName: text('protocol_name').notNull(),
    activatedAt: instant('activated_at').notNull(),
    activatedBy: text('activated_by').notNull(),
    concludedAt: instant('concluded_at'),
    concludedBy: text('concluded_by'),
    hashesContributed: integer('hashes_contributed').notNull().default(0),
    /** Who was told, and when (free text of the analyst, e.g. "GIFCT members, UN CTED"). */
    told: jsonb('told').$type<Array<{ who: string; at: string }>>().notNull().default([]),
    ...createdAt,
  },
  (t) => [index('crisis_activations_incident_idx').on(t.incidentId, t.protocolId)],
);
