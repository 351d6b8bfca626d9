import { describe, expect, it } from 'vitest';
import {
  describeRules,
  maskAddress,
  normaliseEmail,
  normalisePhone,
  parseKeypress,
  parseSmsReply,
  ruleDueAt,
  rulesToFollow,
} from '../../src/domain/notification-rules.js';
import { readAckLink, signAckLink } from '../../src/services/paging/ack-link.js';
import { phoneWords } from '../../src/services/paging/phone-replies.js';

describe('contact methods and notification rules', () => {
  it('when a number is typed with spaces and its country code, then it is kept in E.164; a bad one is refused in words', () => {
    expect(normalisePhone('+353 85 000 0001')).toEqual({ ok: true, e164: '+353850000001' });
    expect(normalisePhone('(415) 555-2671', 'US')).toEqual({ ok: true, e164: '+14155552671' });
    expect(normalisePhone('12')).toMatchObject({ ok: false, problem: expect.stringContaining('country code') });
    expect(normaliseEmail('Aoife@Example.COM')).toEqual({ ok: true, address: 'Aoife@example.com' });
    expect(normaliseEmail('not an address').ok).toBe(false);
  });

  it('when an address is shown to someone else, then only the country code and the last two digits (or the first letter and domain) show', () => {
    expect(maskAddress('sms', '+353850000001')).toBe('+353 ••• 01');
    expect(maskAddress('email', 'aoife@example.com')).toBe('a•••@example.com');
  });

  it('when the rules are followed, then Slack is left to the step, methods without a verified contact drop out, and a failure brings the next one forward', () => {
    const rules = [
      { afterMinutes: 3, method: 'voice' as const },
      { afterMinutes: 0, method: 'slack' as const },
      { afterMinutes: 1, method: 'sms' as const },
      { afterMinutes: 5, method: 'email' as const },
    ];
    expect(rulesToFollow([], rules, new Set(['sms', 'voice']))).toEqual([
      { afterMinutes: 1, method: 'sms' },
      { afterMinutes: 3, method: 'voice' },
    ]);
    expect(rulesToFollow([{ afterMinutes: 2, method: 'email' }], rules, new Set(['email', 'sms']))).toEqual([
      { afterMinutes: 2, method: 'email' },
    ]);
    const paged = new Date('2026-03-02T02:00:00Z');
    const now = new Date('2026-03-02T02:01:00Z');
    expect(ruleDueAt({ afterMinutes: 3, method: 'voice' }, paged, now, false).toISOString()).toBe('2026-03-02T02:03:00.000Z');
    expect(ruleDueAt({ afterMinutes: 3, method: 'voice' }, paged, now, true)).toBe(now);
    expect(describeRules(rules)).toBe(
      'A Slack DM at once, then a text message after 1 minute, then a phone call after 3 minutes, then an email after 5 minutes, while the page is unacknowledged.',
    );
  });

  it('when a phone answers, then "1a", " 12E " and keys 4 and 5 are read; anything else is not', () => {
    expect(parseSmsReply('1a')).toEqual({ code: 1, action: 'acknowledge' });
    expect(parseSmsReply(' 12E ')).toEqual({ code: 12, action: 'escalate' });
    expect(parseSmsReply('yes')).toBeUndefined();
    expect(parseKeypress('4')).toBe('acknowledge');
    expect(parseKeypress('5')).toBe('escalate');
    expect(parseKeypress('9')).toBeUndefined();
    expect(phoneWords(':white_check_mark: Already acknowledged by <@U0PAGER01> <!date^1772416800^{time}|02:00 UTC>.')).toBe(
      'Already acknowledged by a responder 02:00 UTC.',
    );
  });

  it('when an email link is checked, then a good one names its notification, a changed or expired one is refused', () => {
    const id = '3f1c2a4e-0000-4000-8000-000000000001';
    const now = new Date('2026-03-02T02:00:00Z');
    const token = signAckLink('secret', id, new Date(now.getTime() + 60_000));
    expect(readAckLink('secret', token, now)).toEqual({ ok: true, notificationId: id });
    expect(readAckLink('other', token, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(readAckLink('secret', token.replace(id, id.replace(/1$/, '2')), now)).toEqual({ ok: false, reason: 'invalid' });
    expect(readAckLink('secret', token, new Date(now.getTime() + 120_000))).toEqual({ ok: false, reason: 'expired' });
  });
});
