/** Contact methods, personal notification rules and page notifications (see schema/contacts.ts). */
import { and, asc, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { contactMethods, escalations, incidents, notificationRules, pageNotifications, pages } from '../schema/index.js';
import type { ContactKind, ContactMethod, NotificationRule } from '../../domain/notification-rules.js';
import type { Escalation, Page } from '../../domain/paging.js';
import type { Incident } from './incidents.js';

export type PageNotification = typeof pageNotifications.$inferSelect;

/** A person's verified contact methods. */
export async function verifiedContacts(db: Db, userId: string): Promise<ContactMethod[]> {
  return db
    .select({ userId: contactMethods.userId, kind: contactMethods.kind, address: contactMethods.address })
    .from(contactMethods)
    .where(and(eq(contactMethods.userId, userId), isNotNull(contactMethods.verifiedAt)));
}

/** Who has this verified phone (an SMS reply's `From`). */
export async function usersWithPhone(db: Db, e164: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: contactMethods.userId })
    .from(contactMethods)
    .where(and(eq(contactMethods.address, e164), eq(contactMethods.kind, 'sms'), isNotNull(contactMethods.verifiedAt)));
  return rows.map((r) => r.userId);
}

/** Preloads (or updates) a contact an admin vouches for: verified at once. */
export async function upsertVerifiedContact(db: Db, contact: ContactMethod, at: Date): Promise<void> {
  await db
    .insert(contactMethods)
    .values({ ...contact, verifiedAt: at })
    .onConflictDoUpdate({
      target: [contactMethods.userId, contactMethods.kind],
      set: { address: contact.address, verifiedAt: at, verifyCodeHash: null, verifyExpiresAt: null },
    });
}

/** A person's own rules, in order; empty when they follow the default. */
export async function ownRules(db: Db, userId: string): Promise<NotificationRule[]> {
  return db
    .select({ afterMinutes: notificationRules.afterMinutes, method: notificationRules.method })
    .from(notificationRules)
    .where(eq(notificationRules.userId, userId))
    .orderBy(asc(notificationRules.position));
}

/** A page with its escalation and incident, for a notification to decide whether it still applies. */
export async function pageWithContext(
  db: Db,
  pageId: string,
): Promise<{ page: Page; escalation: Escalation; incident: Incident } | undefined> {
  const [row] = await db
    .select({ page: pages, escalation: escalations, incident: incidents })
    .from(pages)
    .innerJoin(escalations, eq(escalations.id, pages.escalationId))
    .innerJoin(incidents, eq(incidents.id, pages.incidentId))
    .where(eq(pages.id, pageId));
  return row;
}

/**
 * The notification of a page by one rule: inserted with the next reply code of the person's,
 * or the one an earlier attempt inserted.
 */
export async function insertNotificationOnce(
  db: Db,
  row: Pick<PageNotification, 'pageId' | 'ruleIndex' | 'userId' | 'method' | 'address' | 'intentAt'>,
): Promise<PageNotification> {
  const next = sql<number>`(select coalesce(max(${pageNotifications.replyCode}), 0) % 99 + 1 from ${pageNotifications} where ${pageNotifications.userId} = ${row.userId})`;
  await db
    .insert(pageNotifications)
    .values({ ...row, replyCode: next })
    .onConflictDoNothing({ target: [pageNotifications.pageId, pageNotifications.ruleIndex] });
  const [found] = await db
    .select()
    .from(pageNotifications)
    .where(and(eq(pageNotifications.pageId, row.pageId), eq(pageNotifications.ruleIndex, row.ruleIndex)));
  if (!found) throw new Error('page notification vanished after insert');
  return found;
}

export async function updateNotification(
  db: Db,
  id: string,
  set: Partial<Pick<PageNotification, 'status' | 'sentAt' | 'providerRef' | 'error' | 'linkUsedAt'>>,
): Promise<void> {
  await db.update(pageNotifications).set(set).where(eq(pageNotifications.id, id));
}

/** The newest notification a person was sent with this reply code (an SMS reply's `1a`). */
export async function notificationByReplyCode(db: Db, userIds: readonly string[], code: number): Promise<PageNotification | undefined> {
  if (userIds.length === 0) return undefined;
  const [row] = await db
    .select()
    .from(pageNotifications)
    .where(and(sql`${pageNotifications.userId} in ${userIds}`, eq(pageNotifications.replyCode, code), eq(pageNotifications.method, 'sms')))
    .orderBy(desc(pageNotifications.intentAt))
    .limit(1);
  return row;
}

export async function findNotification(db: Db, id: string): Promise<PageNotification | undefined> {
  const [row] = await db.select().from(pageNotifications).where(eq(pageNotifications.id, id));
  return row;
}

/** Marks an email's link used; false when it was used before (single use). */
export async function claimLink(db: Db, id: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(pageNotifications)
    .set({ linkUsedAt: at })
    .where(and(eq(pageNotifications.id, id), sql`${pageNotifications.linkUsedAt} is null`))
    .returning({ id: pageNotifications.id });
  return rows.length === 1;
}

/** A person's contact methods, verified or waiting for their code. */
export async function contactsOf(db: Db, userId: string): Promise<{ kind: ContactKind; address: string; verified: boolean }[]> {
  const rows = await db
    .select({ kind: contactMethods.kind, address: contactMethods.address, verifiedAt: contactMethods.verifiedAt })
    .from(contactMethods)
    .where(eq(contactMethods.userId, userId));
  return rows.map((r) => ({ kind: r.kind, address: r.address, verified: r.verifiedAt !== null }));
}

/** A new address, not usable until its code is typed back (it replaces the person's earlier one of that kind). */
export async function setPendingContact(db: Db, contact: ContactMethod, codeHash: string, expiresAt: Date): Promise<void> {
  await db
    .insert(contactMethods)
    .values({ ...contact, verifyCodeHash: codeHash, verifyExpiresAt: expiresAt })
    .onConflictDoUpdate({
      target: [contactMethods.userId, contactMethods.kind],
      set: { address: contact.address, verifiedAt: null, verifyCodeHash: codeHash, verifyExpiresAt: expiresAt },
    });
}

/** Verifies the person's pending contacts whose code hash matches and has not expired; returns their kinds. */
export async function verifyPendingContacts(db: Db, userId: string, codeHash: string, now: Date): Promise<ContactKind[]> {
  const rows = await db
    .update(contactMethods)
    .set({ verifiedAt: now, verifyCodeHash: null, verifyExpiresAt: null })
    .where(
      and(
        eq(contactMethods.userId, userId),
        eq(contactMethods.verifyCodeHash, codeHash),
        sql`${contactMethods.verifyExpiresAt} > ${now.toISOString()}`,
      ),
    )
    .returning({ kind: contactMethods.kind });
  return rows.map((r) => r.kind);
}

/** Replaces a person's own rules; none: they follow the default. */
export async function replaceOwnRules(db: Db, userId: string, rules: readonly NotificationRule[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(notificationRules).where(eq(notificationRules.userId, userId));
    if (rules.length > 0) {
      await tx
        .insert(notificationRules)
        .values(rules.map((r, position) => ({ userId, position, afterMinutes: r.afterMinutes, method: r.method })));
    }
  });
}

/**
 * A delivery status from the provider: recorded on the notification; a failure marks it failed
 * (once: undefined when it had failed already, or the status names another message or call).
 */
export async function recordDeliveryStatus(
  db: Db,
  input: { id: string; providerRef: string; status: string; failed: boolean; error: string | undefined },
): Promise<PageNotification | undefined> {
  const set = input.failed
    ? { status: 'failed' as const, deliveryStatus: input.status, error: input.error ?? input.status }
    : { deliveryStatus: input.status };
  const [row] = await db
    .update(pageNotifications)
    .set(set)
    .where(
      and(
        eq(pageNotifications.id, input.id),
        sql`${pageNotifications.status} <> 'failed'`,
        // Before the provider's answer is recorded the ref is unknown; after, it must be the same message or call.
        sql`(${pageNotifications.providerRef} is null or ${pageNotifications.providerRef} = ${input.providerRef})`,
      ),
    )
    .returning();
  return row;
}
