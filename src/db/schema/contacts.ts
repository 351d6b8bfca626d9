/**
 * How a page reaches a person beyond Slack: their contact methods, their own notification rules,
 * and each notification sent for a page. Addresses are personal data: never logged, exported or
 * posted; shown masked to anyone but their owner and the admins.
 */
import { doublePrecision, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { ContactKind, NotifyMethod } from '../../domain/notification-rules.js';
import { createdAt, instant } from './columns.js';
import { pages } from './on-call.js';

/** A person's phone or mailbox; usable once `verified_at` is set (by a code typed back, or preloaded by an admin). */
export const contactMethods = pgTable(
  'contact_methods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id').notNull(),
    kind: text('kind').$type<ContactKind>().notNull(),
    /** E.164 for sms and voice, the address for email. */
    address: text('address').notNull(),
    verifiedAt: instant('verified_at'),
    /** SHA-256 of the code sent to verify it, and until when it may be typed back. */
    verifyCodeHash: text('verify_code_hash'),
    verifyExpiresAt: instant('verify_expires_at'),
    ...createdAt,
  },
  (t) => [uniqueIndex('contact_methods_user_kind_uq').on(t.userId, t.kind), index('contact_methods_address_idx').on(t.address)],
);

/** A person's own rules, in order; none: the config's `notification_rules`. */
export const notificationRules = pgTable(
  'notification_rules',
  {
    userId: text('user_id').notNull(),
    position: integer('position').notNull(),
    afterMinutes: doublePrecision('after_minutes').notNull(),
    method: text('method').$type<NotifyMethod>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.position] })],
);

/**
 * One notification of a page by one rule (SMS, call, email): the intent, written before the
 * provider is asked, so a retry after a crash looks the message up instead of sending it twice.
 */
export const pageNotifications = pgTable(
  'page_notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    pageId: uuid('page_id')
      .notNull()
      .references(() => pages.id, { onDelete: 'cascade' }),
    ruleIndex: integer('rule_index').notNull(),
    userId: text('user_id').notNull(),
    method: text('method').$type<ContactKind>().notNull(),
    address: text('address').notNull(),
    /** The number a reply to it starts with (`1a`): unique among the person's notifications. */
    replyCode: integer('reply_code').notNull(),
    status: text('status').$type<'sending' | 'sent' | 'failed'>().notNull().default('sending'),
    intentAt: instant('intent_at').notNull(),
    sentAt: instant('sent_at'),
    /** Twilio's SID, or the email's Message-ID. */
    providerRef: text('provider_ref'),
    /** The provider's error code only (never the address). */
    error: text('error'),
    /**
     * The last delivery status Twilio's status callback reported (`delivered`, `undelivered`,
     * `completed`, `busy`, `no-answer`, ...); null until one arrives, and for email.
     */
    deliveryStatus: text('delivery_status'),
    /** An email's acknowledge link works once. */
    linkUsedAt: instant('link_used_at'),
  },
  (t) => [
    uniqueIndex('page_notifications_rule_uq').on(t.pageId, t.ruleIndex),
    index('page_notifications_user_idx').on(t.userId, t.replyCode),
  ],
);
