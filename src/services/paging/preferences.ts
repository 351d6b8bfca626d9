/**
 * `/oncall me`: a person sets where pages reach them and after how long. A new number or address
 * is not used until verified: Meridian sends a code (SMS to a phone, an email to an address) and
 * the person types it back in the same modal. Every change is audited, without the address.
 */
import { createHash, randomInt } from 'node:crypto';
import type { View } from '@slack/types';
import { ME_BLOCKS, oncallMeModal, oncallMeSaved } from '../../blocks/paging-preferences.js';
import { contactsOf, ownRules, replaceOwnRules, setPendingContact, verifyPendingContacts } from '../../db/repos/contacts.js';
import { addAuditRecord } from '../../db/repos/record.js';
import {
  type ContactKind,
  DEFAULT_NOTIFICATION_RULES,
  describeRules,
  maskAddress,
  type NotificationRule,
  normaliseEmail,
  normalisePhone,
} from '../../domain/notification-rules.js';
import { InvalidInput } from '../../errors.js';
import { ProviderFailure } from '../../notify-api/errors.js';
import type { PagingDeps } from './deps.js';

/** What the modal sends, as typed (empty strings are unset). */
export interface MyPagingForm {
  phone?: string;
  email?: string;
  smsAfter?: string;
  voiceAfter?: string;
  emailAfter?: string;
  code?: string;
}

const CODE_TTL_MS = 15 * 60 * 1000;
const hashCode = (userId: string, code: string) => createHash('sha256').update(`${userId}:${code}`).digest('hex');

export async function myPagingModal(deps: Pick<PagingDeps, 'db' | 'meridian'>, userId: string): Promise<View> {
  const own = await ownRules(deps.db, userId);
  const rules = own.length ? own : (deps.meridian.notificationRules ?? DEFAULT_NOTIFICATION_RULES);
  return oncallMeModal(await contactsOf(deps.db, userId), rules, own.length > 0);
}

function readRules(form: MyPagingForm): NotificationRule[] {
  const errors: Record<string, string> = {};
  const rules: NotificationRule[] = [];
  for (const [field, method, blockId] of [
    ['smsAfter', 'sms', ME_BLOCKS.smsAfter],
    ['voiceAfter', 'voice', ME_BLOCKS.voiceAfter],
    ['emailAfter', 'email', ME_BLOCKS.emailAfter],
  ] as const) {
    const typed = form[field]?.trim();
    if (!typed) continue;
    const minutes = Number(typed);
    if (!Number.isFinite(minutes) || minutes < 0 || minutes > 24 * 60) errors[blockId] = 'Minutes from 0 to 1440, or empty for never.';
    else rules.push({ afterMinutes: minutes, method });
  }
  if (Object.keys(errors).length) throw new InvalidInput(errors);
  return rules.length ? [{ afterMinutes: 0, method: 'slack' }, ...rules] : [];
}

/** Saves the form; returns the modal that says, in the reader's words, what changed. */
export async function saveMyPaging(deps: PagingDeps, userId: string, form: MyPagingForm): Promise<View> {
  const now = deps.clock();
  const errors: Record<string, string> = {};
  const phone = form.phone?.trim() ? normalisePhone(form.phone) : undefined;
  if (phone && !phone.ok) errors.phone = phone.problem;
  const email = form.email?.trim() ? normaliseEmail(form.email) : undefined;
  if (email && !email.ok) errors.email = email.problem;
  if (phone?.ok && !deps.twilio) errors.phone = 'Texts and calls are not set up here (no Twilio): ask an admin.';
  if (email?.ok && !deps.mail) errors.email = 'Email pages are not set up here (no SMTP): ask an admin.';
  if (Object.keys(errors).length) throw new InvalidInput(errors);
  const rules = readRules(form);
  const said: string[] = [];

  const code = form.code?.trim();
  if (code) {
    const verified = await verifyPendingContacts(deps.db, userId, hashCode(userId, code), now);
    if (verified.length === 0) throw new InvalidInput({ code: 'That code does not match, or it expired. Save again to get a new one.' });
    said.push(`Verified: ${verified.map((k) => ({ sms: 'texts', voice: 'calls', email: 'email' })[k]).join(', ')}.`);
  }
  const existing = await contactsOf(deps.db, userId);
  const changed = (kind: ContactKind, address: string) => !existing.some((c) => c.kind === kind && c.address === address);
  const secret = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expires = new Date(now.getTime() + CODE_TTL_MS);
  const twilio = deps.twilio;
  if (phone?.ok && changed('sms', phone.e164) && twilio) {
    await sendCode(
      () => twilio.sendSms({ to: phone.e164, body: `Your Meridian verification code is ${secret}. It works for 15 minutes.` }),
      'phone',
    );
    for (const kind of ['sms', 'voice'] as const)
      await setPendingContact(deps.db, { userId, kind, address: phone.e164 }, hashCode(userId, secret), expires);
    said.push(`We texted a code to ${phone.e164}. Run \`/oncall me\` again and type it in to start getting texts and calls.`);
  }
  if (email?.ok && changed('email', email.address) && deps.mail) {
    const mail = deps.mail;
    const text = `Your Meridian verification code is ${secret}. It works for 15 minutes.`;
    await sendCode(
      () =>
        mail.send({
          to: email.address,
          subject: 'Your Meridian verification code',
          text,
          html: `<p>${text}</p>`,
          messageId: `<verify-${userId}-${now.getTime()}@meridian>`,
        }),
      'email',
    );
    await setPendingContact(deps.db, { userId, kind: 'email', address: email.address }, hashCode(userId, secret), expires);
    said.push(`We emailed a code to ${email.address}. Run \`/oncall me\` again and type it in to start getting emails.`);
  }
  await replaceOwnRules(deps.db, userId, rules);
  const effective = rules.length ? rules : (deps.meridian.notificationRules ?? DEFAULT_NOTIFICATION_RULES);
  said.push(`*When you are paged:* ${describeRules(effective)}${rules.length ? '' : ' (the team default)'}`);
  await addAuditRecord(deps.db, {
    incidentId: null,
    at: now,
    actorId: userId,
    action: 'paging.preferences',
    details: {
      rules: effective.map((r) => `${r.method}@${r.afterMinutes}`),
      ...(phone?.ok ? { phone: maskAddress('sms', phone.e164) } : {}),
      ...(email?.ok ? { email: maskAddress('email', email.address) } : {}),
      ...(code ? { verified: true } : {}),
    },
  });
  return oncallMeSaved(said.join('\n\n'));
}

async function sendCode(send: () => Promise<unknown>, field: 'phone' | 'email'): Promise<void> {
  try {
    await send();
  } catch (err) {
    if (!(err instanceof ProviderFailure)) throw err;
    throw new InvalidInput({ [field]: `The code could not be sent (${err.code}). Check it, or try again in a minute.` });
  }
}
