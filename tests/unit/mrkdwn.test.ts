import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelLink, escapeMrkdwn, slackDate, userMention, usergroupMention } from '../../src/slack-api/mrkdwn.js';

const ZWSP = '\u200B';

/** What a reader copies: Slack decodes the three entities; a code span's backticks are not text. */
function copied(mrkdwn: string): string {
  return mrkdwn
    .replace(/`([^`\s\u200B]+)`/g, '$1')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** What a reader sees: as copied, and zero-width spaces are invisible. */
function displayed(mrkdwn: string): string {
  return copied(mrkdwn).replaceAll(ZWSP, '');
}

describe('escapeMrkdwn', () => {
  it('turns the three control characters into entities, so mentions and links become plain text', () => {
    expect(escapeMrkdwn('<!channel> ping <@U123> & see <https://evil.example|bank>')).toBe(
      '&lt;!channel&gt; ping &lt;@U123&gt; &amp; see &lt;https://evil.example|bank&gt;',
    );
  });

  it('escapes an ampersand first, so existing entities are shown literally rather than decoded', () => {
    expect(escapeMrkdwn('&lt;b&gt;')).toBe('&amp;lt;b&amp;gt;');
  });

  it('when a word has a formatting marker at its edge, then it is shown in a code span so it displays literally', () => {
    expect(escapeMrkdwn('*bold* _it_ ~del~ about ~400 accounts')).toBe('`*bold*` `_it_` `~del~` about `~400` accounts');
  });

  it('when a handle has markers inside the word, then it is left exactly as typed (no invisible characters to copy)', () => {
    expect(escapeMrkdwn('account @kidz_swap_ring and hash a1*b2')).toBe('account @kidz_swap_ring and hash a1*b2');
    expect(escapeMrkdwn('@kidz_swap_ring ~400')).not.toContain(ZWSP);
  });

  it('when a word holds a backtick at its edge, then only that word falls back to fencing markers with zero-width spaces', () => {
    expect(escapeMrkdwn('run `rm` now _x_')).toBe(`run ${ZWSP}\`${ZWSP}rm${ZWSP}\`${ZWSP} now \`_x_\``);
  });

  it('when text has no backtick, then what a reader copies is exactly what was typed, whatever the input', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!text.includes('`'));
        expect(copied(escapeMrkdwn(text))).toBe(text);
        expect(escapeMrkdwn(text)).not.toContain(ZWSP);
      }),
    );
  });

  it('leaves no active formatting marker outside a code span or a zero-width fence, whatever the input', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const escaped = escapeMrkdwn(text);
        expect(escaped).not.toMatch(/[<>]/);
        for (const word of escaped.split(/\s+/)) {
          if (/^`[^`\s]+`$/.test(word)) continue;
          const bare = word
            .replaceAll(`${ZWSP}\``, '')
            .replaceAll(`\`${ZWSP}`, '')
            .replace(/\u200B[*_~]\u200B/g, '');
          expect(bare).not.toMatch(/(^|[^\p{L}\p{N}])[*_~`]|[*_~`]([^\p{L}\p{N}]|$)/u);
        }
      }),
    );
  });

  it('displays exactly the text that was typed', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!text.includes(ZWSP));
        expect(displayed(escapeMrkdwn(text))).toBe(text);
      }),
    );
  });

  it('leaves ordinary text, emoji and non-Latin scripts untouched', () => {
    expect(escapeMrkdwn('Trend in 東京 — SEV1 🚨')).toBe('Trend in 東京 — SEV1 🚨');
  });
});

describe('slackDate', () => {
  const instant = new Date('2026-10-25T01:30:00Z');

  it('renders a date token each reader sees in their own zone, with a UTC fallback', () => {
    expect(slackDate(instant)).toBe('<!date^1792891800^{date_short_pretty} at {time}|2026-10-25 01:30 UTC>');
  });

  it('takes a custom format and fallback, escaping the fallback', () => {
    expect(slackDate(instant, '{time}', 'a <b> | c')).toBe('<!date^1792891800^{time}|a &lt;b&gt; / c>');
  });

  it('refuses an invalid date and a format that would break the token', () => {
    expect(() => slackDate(new Date('nope'))).toThrow(RangeError);
    expect(() => slackDate(instant, '{time}|x')).toThrow(RangeError);
  });
});

describe('mentions and links', () => {
  it('mentions valid user ids only', () => {
    expect(userMention('U0DECL001')).toBe('<@U0DECL001>');
    expect(userMention('W0ENTERPR1')).toBe('<@W0ENTERPR1>');
    expect(() => userMention('U1> <!channel')).toThrow(RangeError);
    expect(() => userMention('u0lower')).toThrow(RangeError);
  });

  it('links valid channel ids and mentions valid user groups only', () => {
    expect(channelLink('C0FEED01')).toBe('<#C0FEED01>');
    expect(() => channelLink('#general')).toThrow(RangeError);
    expect(usergroupMention('S0LEGAL01')).toBe('<!subteam^S0LEGAL01>');
    expect(() => usergroupMention('S1>')).toThrow(RangeError);
  });
});
