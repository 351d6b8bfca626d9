/**
 * Each person's phone and mailbox in the sandbox page: the texts and calls the fake Twilio
 * carried to their number (with what the call said), their replies and the keys they pressed
 * with what Meridian answered, and the emails the sandbox's mail server received for them.
 * Replies, keys and acknowledge links go to the bot through the same signed webhooks and public
 * address as with real Twilio and a real mail reader.
 */
import type { Sandbox } from '../sandbox.js';
import type { FakeCall, FakeReply, FakeSms } from '../twilio/fake-twilio.js';
import { SANDBOX_PEOPLE, type SandboxPerson } from '../workspace.js';
import { esc } from './html.js';
import { safeUrl } from './safe-url.js';
import { messageTime } from './zone-time.js';

/** The two device panes a viewpoint can be at. */
export const DEVICE_PANES = ['phone', 'mail'] as const;
export type DevicePane = (typeof DEVICE_PANES)[number];

export const isDevicePane = (at: string | null): at is DevicePane => DEVICE_PANES.includes(at as DevicePane);

const person = (id: string): SandboxPerson | undefined => SANDBOX_PEOPLE.find((p) => p.id === id);

/** What a call's TwiML says (its <Say> verbs, once each), in plain words. */
export function saidOnCall(twiml: string): string[] {
  const said = [...twiml.matchAll(/<Say[^>]*>([\s\S]*?)<\/Say>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );
  return [...new Set(said)];
}

/** Plain text with its http(s) links made links (opened in a new tab, as a mail client would). */
function linked(text: string): string {
  return text
    .split(/(https?:\/\/[^\s<>"']+)/)
    .map((part, i) => {
      const url = i % 2 === 1 ? safeUrl(part) : undefined;
      return url ? `<a href="${esc(url)}" target="_blank" rel="noopener">${esc(url)}</a>` : esc(part);
    })
    .join('');
}

type PhoneItem = { at: Date; html: string };

function smsItem(sms: FakeSms, tz: string, now: Date): PhoneItem {
  const codes = /Reply (\d{1,2})a to acknowledge, \1e to escalate/.exec(sms.body)?.[1];
  const buttons = codes
    ? `<div class="device-actions"><button type="button" class="btn" data-sms="${codes}a">Reply ${codes}a (acknowledge)</button><button type="button" class="btn" data-sms="${codes}e">Reply ${codes}e (escalate)</button></div>`
    : '';
  return {
    at: sms.dateCreated,
    html: `<article class="msg sms in" data-sid="${esc(sms.sid)}" aria-label="Text from ${esc(sms.from)}"><header><strong>Text from ${esc(sms.from)}</strong> <time>${esc(messageTime(sms.dateCreated, tz, now))}</time> <span class="status">${esc(sms.status)}</span></header><div class="body">${esc(sms.body)}</div>${buttons}</article>`,
  };
}

function replyItem(reply: FakeReply, tz: string, now: Date): PhoneItem {
  const answer = reply.status === 200 ? esc(reply.answer) : `<em>No answer (HTTP ${reply.status})</em>`;
  return {
    at: reply.dateCreated,
    html: `<article class="msg sms out" aria-label="Your text"><header><strong>You</strong> <time>${esc(messageTime(reply.dateCreated, tz, now))}</time></header><div class="body">${esc(reply.body)}</div><div class="answer"><strong>Meridian:</strong> ${answer}</div></article>`,
  };
}

function callItem(call: FakeCall, tz: string, now: Date): PhoneItem {
  const said = saidOnCall(call.twiml)
    .map((s) => `<li>${esc(s)}</li>`)
    .join('');
  const keys = call.keys
    .map(
      (k) =>
        `<li>You pressed <kbd>${esc(k.digits)}</kbd>. Meridian said: ${k.status === 200 ? esc(k.said) : `<em>HTTP ${k.status}</em>`}</li>`,
    )
    .join('');
  const pad = call.gatherUrl
    ? `<div class="device-actions"><button type="button" class="btn" data-call="${esc(call.sid)}" data-digits="4">Press 4 (acknowledge)</button><button type="button" class="btn" data-call="${esc(call.sid)}" data-digits="5">Press 5 (escalate)</button></div>`
    : '';
  return {
    at: call.dateCreated,
    html: `<article class="msg call" data-sid="${esc(call.sid)}" aria-label="Call from ${esc(call.from)}"><header><strong>📞 Call from ${esc(call.from)}</strong> <time>${esc(messageTime(call.dateCreated, tz, now))}</time> <span class="status">${esc(call.status)}</span></header><div class="body"><p>The call says:</p><ul class="said">${said}</ul>${keys ? `<ul class="keys">${keys}</ul>` : ''}</div>${pad}</article>`,
  };
}

function phonePane(sandbox: Sandbox, as: string): string {
  const twilio = sandbox.devices.twilio;
  const owner = person(as);
  if (!twilio || !owner)
    return '<div class="pane-head"><h1>Phone</h1></div><p class="empty">Twilio is real here: texts and calls go to real phones.</p>';
  const tz = owner.tz ?? 'UTC';
  const now = new Date();
  const items = [
    ...twilio.messages.filter((m) => m.to === owner.phone).map((m) => smsItem(m, tz, now)),
    ...twilio.replies.filter((r) => r.from === owner.phone).map((r) => replyItem(r, tz, now)),
    ...twilio.calls.filter((c) => c.to === owner.phone).map((c) => callItem(c, tz, now)),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  // A number typed in /oncall me that no sandbox person has: its verification code shows here.
  const seeded = new Set(SANDBOX_PEOPLE.map((p) => p.phone));
  const others = twilio.messages.filter((m) => !seeded.has(m.to));
  const otherHtml = others.length
    ? `<h2 class="device-sub">Texts to numbers no sandbox person has</h2>${others
        .map(
          (m) =>
            `<article class="msg sms in"><header><strong>To ${esc(m.to)}</strong> <time>${esc(messageTime(m.dateCreated, tz, now))}</time></header><div class="body">${esc(m.body)}</div></article>`,
        )
        .join('')}`
    : '';
  return `<div class="pane-head"><h1>📱 ${esc(owner.realName ?? owner.name)}’s phone</h1><span class="members">${esc(owner.phone)}</span><p class="topic">Texts and calls Meridian sent to this number (through the sandbox’s Twilio). Reply to a text, or press a key on a call.</p></div>
<div class="messages phone" role="log" aria-label="Texts and calls">${items.map((i) => i.html).join('') || '<p class="empty">Nothing yet. When this person is paged, the text comes after their rule’s delay (or press Run due now).</p>'}${otherHtml}</div>`;
}

/** The phone's text box, below the pane (outside what a redraw replaces, so typing survives it). */
export function smsComposer(sandbox: Sandbox): string {
  const twilio = sandbox.devices.twilio;
  if (!twilio) return '';
  return `<form id="sms-composer" class="composer"><input name="text" aria-label="Text to Meridian" placeholder="Text Meridian (${esc(twilio.number)}), like 1a" maxlength="160" autocomplete="off"><button type="submit" class="btn primary">Send text</button></form>`;
}

function mailPane(sandbox: Sandbox, as: string): string {
  const mailbox = sandbox.devices.mailbox;
  const owner = person(as);
  if (!mailbox || !owner?.email)
    return '<div class="pane-head"><h1>Mail</h1></div><p class="empty">Mail goes to a real server here (SMTP_URL).</p>';
  const tz = owner.tz ?? 'UTC';
  const now = new Date();
  const address = owner.email.toLowerCase();
  const mails = mailbox.mails.filter((m) => m.to.includes(address)).reverse();
  const list = mails
    .map(
      (m) =>
        `<article class="msg mail" data-mail="${esc(m.id)}" aria-label="${esc(m.subject)}"><header><strong>${esc(m.subject)}</strong> <time>${esc(messageTime(m.receivedAt, tz, now))}</time></header><div class="from">From ${esc(m.from)}</div><div class="body mail-text">${linked(m.text)}</div></article>`,
    )
    .join('');
  return `<div class="pane-head"><h1>✉️ ${esc(owner.realName ?? owner.name)}’s mail</h1><span class="members">${esc(owner.email)}</span><p class="topic">Emails Meridian sent to this address (through the sandbox’s mail server). Open a link to acknowledge.</p></div>
<div class="messages mailbox" role="log" aria-label="Emails">${list || '<p class="empty">No email yet.</p>'}</div>`;
}

/** A device pane's content: its header and its log. */
export function devicePane(sandbox: Sandbox, as: string, pane: DevicePane): string {
  return pane === 'phone' ? phonePane(sandbox, as) : mailPane(sandbox, as);
}

/** The sidebar's links to the person's devices (none when both providers are real). */
export function deviceLinks(sandbox: Sandbox, current: string, href: (at: DevicePane) => string): string {
  const links: string[] = [];
  if (sandbox.devices.twilio)
    links.push(`<li><a href="${esc(href('phone'))}"${current === 'phone' ? ' aria-current="page"' : ''}>📱 Phone</a></li>`);
  if (sandbox.devices.mailbox)
    links.push(`<li><a href="${esc(href('mail'))}"${current === 'mail' ? ' aria-current="page"' : ''}>✉️ Mail</a></li>`);
  return links.length ? `<h2>Devices</h2><ul aria-label="Phone and mail">${links.join('')}</ul>` : '';
}
