/**
 * Acknowledging from a phone or a mailbox: an SMS reply (`1a`, `1e`), a key on a page's call
 * (4, 5), an email's link. Each goes through the same acknowledge and escalate use cases as the
 * Slack buttons (one effect however often it arrives, audited, the DM and the card updated), as
 * the person the notification was sent to. Answers are plain words for a phone screen or a voice.
 */
import { claimLink, findNotification, notificationByReplyCode, type PageNotification, usersWithPhone } from '../../db/repos/contacts.js';
import { normalisePhone, parseKeypress, parseSmsReply } from '../../domain/notification-rules.js';
import { UserError } from '../../errors.js';
import type { PageServices } from '../escalation/index.js';
import { readAckLink } from './ack-link.js';
import type { PagingDeps } from './deps.js';

export type PhoneReplyDeps = Pick<PagingDeps, 'db' | 'linkSecret' | 'logger' | 'clock'> & { pages: PageServices };

/** Slack's words, for a phone: dates by their fallback, mentions as "someone", no emoji or emphasis. */
export function phoneWords(mrkdwn: string): string {
  return mrkdwn
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<@[A-Z0-9]+>/g, 'a responder')
    .replace(/<#[A-Z0-9]+(\|[^>]*)?>/g, 'the incident channel')
    .replace(/:[a-z0-9_+-]+:\s*/g, '')
    .replace(/[*_`]/g, '')
    .trim();
}

async function act(deps: PhoneReplyDeps, n: PageNotification, action: 'acknowledge' | 'escalate'): Promise<string> {
  try {
    const said =
      action === 'acknowledge'
        ? await deps.pages.acknowledge({ userId: n.userId, pageId: n.pageId })
        : await deps.pages.escalateNow({ userId: n.userId, pageId: n.pageId });
    return phoneWords(said);
  } catch (err) {
    if (err instanceof UserError) return phoneWords(err.message);
    throw err;
  }
}

/** An SMS to our number: the text to answer with. */
export async function receiveSms(deps: PhoneReplyDeps, input: { from: string; body: string }): Promise<string> {
  const phone = normalisePhone(input.from);
  const users = phone.ok ? await usersWithPhone(deps.db, phone.e164) : [];
  if (users.length === 0) return 'This number is not a verified Meridian contact. Add it from Meridian in Slack first.';
  const reply = parseSmsReply(input.body);
  if (!reply) return 'Reply with the code of the page and a for acknowledge or e for escalate, like 1a.';
  const n = await notificationByReplyCode(deps.db, users, reply.code);
  if (!n) return `No page has the code ${reply.code}. Nothing changed.`;
  return act(deps, n, reply.action);
}

/** A key pressed on a page's call: the words to say back. */
export async function receiveKeypress(
  deps: PhoneReplyDeps,
  input: { notificationId: string; digits: string | undefined },
): Promise<string> {
  const n = await findNotification(deps.db, input.notificationId);
  if (n?.method !== 'voice') return 'This call is not a Meridian page. Goodbye.';
  const action = parseKeypress(input.digits);
  if (!action) return 'Press 4 to acknowledge, or 5 to escalate. Goodbye.';
  return act(deps, n, action);
}

/** An email's acknowledge link opened: the status and the sentence for the page that answers it. */
export async function followAckLink(deps: PhoneReplyDeps, token: string): Promise<{ status: number; text: string }> {
  const read = readAckLink(deps.linkSecret, token, deps.clock());
  if (!read.ok) {
    return read.reason === 'expired'
      ? { status: 410, text: 'This link has expired. Acknowledge the page in Slack.' }
      : { status: 404, text: 'This is not a Meridian acknowledge link.' };
  }
  const n = await findNotification(deps.db, read.notificationId);
  if (!n) return { status: 404, text: 'This page no longer exists.' };
  if (!(await claimLink(deps.db, n.id, deps.clock()))) return { status: 410, text: 'This link was used already. Nothing changed.' };
  return { status: 200, text: await act(deps, n, 'acknowledge') };
}
