/**
 * The `page-notification` action: one SMS, call or email of a page, by the paged person's rule
 * `ruleIndex`, then the next rule planned. The notification row is the intent, written before
 * the provider is asked: a retry after a crash or a lost answer looks the message up (Twilio's
 * list) and adopts it instead of sending twice. A provider that fails falls through to the next
 * rule at once; the escalation's own steps run on their own clock whatever happens here.
 */
import { insertNotificationOnce, ownRules, pageWithContext, updateNotification, verifiedContacts } from '../../db/repos/contacts.js';
import type { Incident } from '../../db/repos/incidents.js';
import { isOpen } from '../../domain/lifecycle.js';
import {
  type ContactKind,
  DEFAULT_NOTIFICATION_RULES,
  type NotificationRule,
  notificationKey,
  ruleDueAt,
  rulesToFollow,
} from '../../domain/notification-rules.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import { ProviderFailure } from '../../notify-api/errors.js';
import { ACK_LINK_TTL_MS, signAckLink } from './ack-link.js';
import type { PagingDeps } from './deps.js';
import { callTwiml, pageEmail, smsBody, smsTag } from './messages.js';
import type { PageNotification } from '../../db/repos/contacts.js';

/** The rules a person's pages follow now, and their addresses: their own (or the default), only verified methods. */
export async function rulesOf(deps: Pick<PagingDeps, 'db' | 'meridian' | 'twilio' | 'mail'>, userId: string) {
  const contacts = await verifiedContacts(deps.db, userId);
  const address = new Map<ContactKind, string>(contacts.map((c) => [c.kind, c.address]));
  // A provider that is not configured is no way to reach anyone.
  const usable = new Set([...address.keys()].filter((k) => (k === 'email' ? deps.mail !== undefined : deps.twilio !== undefined)));
  const rules = rulesToFollow(await ownRules(deps.db, userId), deps.meridian.notificationRules ?? DEFAULT_NOTIFICATION_RULES, usable);
  return { rules, address };
}

/** Plans a page's first notification (in the step's transaction), when the person has a rule beyond Slack. */
export async function planFirstNotification(
  deps: Pick<PagingDeps, 'db' | 'meridian' | 'twilio' | 'mail'>,
  ctx: Pick<ActionContext<'escalation-step'>, 'plan'>,
  page: { id: string; userId: string; pagedAt: Date; incidentId: string },
  now: Date,
): Promise<void> {
  const { rules } = await rulesOf(deps, page.userId);
  const first = rules[0];
  if (!first) return;
  await ctx.plan('page-notification', { pageId: page.id, ruleIndex: 0 }, ruleDueAt(first, page.pagedAt, now, false), {
    incidentId: page.incidentId,
    dedupeKey: notificationKey(page.id, 0),
  });
}

export async function runPageNotification(deps: PagingDeps, ctx: ActionContext<'page-notification'>): Promise<ActionOutcome> {
  const { pageId, ruleIndex } = ctx.data;
  const found = await pageWithContext(deps.db, pageId);
  // Acknowledged, superseded or resolved meanwhile: nothing more to send.
  if (!found || (found.page.status !== 'sent' && found.page.status !== 'undeliverable')) return 'skipped';
  if (!isOpen(found.incident.status) || found.escalation.status === 'acknowledged' || found.escalation.status === 'cancelled')
    return 'skipped';
  const { page, incident } = found;
  const { rules, address } = await rulesOf(deps, page.userId);
  const rule = rules[ruleIndex];
  const to = rule && rule.method !== 'slack' ? address.get(rule.method) : undefined;
  if (!rule || rule.method === 'slack' || !to) return 'skipped';

  const notification = await insertNotificationOnce(deps.db, {
    pageId,
    ruleIndex,
    userId: page.userId,
    method: rule.method,
    address: to,
    intentAt: ctx.now,
  });
  let failed = false;
  if (notification.status === 'sending') {
    failed = !(await send(deps, incident, notification, ctx.now, ctx.mayExist));
  } else {
    failed = notification.status === 'failed';
  }
  await planNext(ctx, page, rules, ruleIndex, failed);
  return 'done';
}

/** Sends (or adopts) one notification and records it; false when the provider failed. */
async function send(deps: PagingDeps, incident: Incident, n: PageNotification, now: Date, runMayHaveSent: boolean): Promise<boolean> {
  // run-action.ts's answer for the run, or a row an earlier attempt wrote: Twilio may have taken it, so look first.
  const lookFirst = runMayHaveSent || n.intentAt.getTime() !== now.getTime();
  try {
    const adopted = lookFirst ? await lookUp(deps, n) : undefined;
    const ref = adopted ?? (await deliver(deps, incident, n, now));
    await updateNotification(deps.db, n.id, { status: 'sent', sentAt: now, providerRef: ref, error: null });
    deps.metrics.notifications.inc({ method: n.method, outcome: adopted ? 'adopted' : 'sent' });
    return true;
  } catch (err) {
    if (!(err instanceof ProviderFailure)) throw err;
    // A timeout or a dropped connection may hide an accepted message: one look before giving up on it.
    const late = err.code === 'timeout' || err.code === 'connection' ? await lookUp(deps, n).catch(() => undefined) : undefined;
    if (late) {
      await updateNotification(deps.db, n.id, { status: 'sent', sentAt: now, providerRef: late, error: null });
      deps.metrics.notifications.inc({ method: n.method, outcome: 'adopted' });
      return true;
    }
    await updateNotification(deps.db, n.id, { status: 'failed', error: err.code });
    deps.metrics.notifications.inc({ method: n.method, outcome: 'failed' });
    deps.logger.warn({ notificationId: n.id, method: n.method, code: err.code, kind: err.kind }, 'page notification failed; next rule now');
    return false;
  }
}

async function lookUp(deps: PagingDeps, n: PageNotification): Promise<string | undefined> {
  if (!deps.twilio) return undefined;
  if (n.method === 'sms') return (await deps.twilio.findSms({ to: n.address, since: n.intentAt, tag: smsTag(n.id) }))?.sid;
  if (n.method === 'voice') return (await deps.twilio.findCall({ to: n.address, since: n.intentAt }))?.sid;
  return undefined; // SMTP cannot be asked; the Message-ID makes a resend one thread
}

async function deliver(deps: PagingDeps, incident: Incident, n: PageNotification, now: Date): Promise<string> {
  const base = deps.publicUrl();
  if (n.method === 'email') {
    if (!deps.mail) throw new ProviderFailure('refused', 'email_not_configured');
    const token = signAckLink(deps.linkSecret, n.id, new Date(now.getTime() + ACK_LINK_TTL_MS));
    const email = pageEmail(deps.catalog, incident, `${base}/ack/${token}`);
    return (await deps.mail.send({ to: n.address, ...email, messageId: `<${n.id}@meridian>` })).messageId;
  }
  if (!deps.twilio) throw new ProviderFailure('refused', 'twilio_not_configured');
  // Twilio says later whether it was delivered (or the call answered): a failure moves on to the next rule.
  const statusCallback = `${base}/webhooks/twilio/status?n=${n.id}`;
  if (n.method === 'sms') {
    const body = smsBody(deps.catalog, incident, n.replyCode, n.id);
    return (await deps.twilio.sendSms({ to: n.address, body, statusCallback })).sid;
  }
  const twiml = callTwiml(deps.catalog, incident, `${base}/webhooks/twilio/voice?n=${n.id}`);
  return (await deps.twilio.call({ to: n.address, twiml, statusCallback })).sid;
}

/** The next rule: at its own time after the page, or now when this one failed. */
async function planNext(
  ctx: ActionContext<'page-notification'>,
  page: { id: string; pagedAt: Date; incidentId: string },
  rules: readonly NotificationRule[],
  ruleIndex: number,
  failed: boolean,
): Promise<void> {
  const next = rules[ruleIndex + 1];
  if (!next) return;
  await ctx.plan('page-notification', { pageId: page.id, ruleIndex: ruleIndex + 1 }, ruleDueAt(next, page.pagedAt, ctx.now, failed), {
    incidentId: page.incidentId,
    dedupeKey: notificationKey(page.id, ruleIndex + 1),
  });
}
