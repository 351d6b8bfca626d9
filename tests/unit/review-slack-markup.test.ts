import { describe, expect, it } from 'vitest';
import { mentionedUserIds, plainFromSlack } from '../../src/domain/slack-markup.js';

describe('Slack markup in timeline text, for a review read outside Slack', () => {
  it('mentions become @names, with the label Slack sent or the id when no name is known', () => {
    const text = '<@U0RESP001> blocked it, <@U0RESP002|sia> confirmed, <@U0NOBODY1> watched';
    expect(plainFromSlack(text, { U0RESP001: 'Rui Responder' })).toBe('@Rui Responder blocked it, @sia confirmed, @U0NOBODY1 watched');
    expect(mentionedUserIds(text)).toEqual(['U0RESP001', 'U0RESP002', 'U0NOBODY1']);
  });

  it('channels, groups, special mentions, dates and links read as they do in Slack', () => {
    expect(plainFromSlack('see <#C0ABC|inc-7-blackout> and <!subteam^S0LEGAL|@legal>, <!here>')).toBe(
      'see #inc-7-blackout and @legal, @here',
    );
    expect(plainFromSlack('at <!date^1772438400^{time}|08:00 UTC>')).toBe('at 08:00 UTC');
    expect(plainFromSlack('report <https://example.com/r/1|ticket 1> and <https://example.com/x>')).toBe(
      'report ticket 1 (https://example.com/r/1) and https://example.com/x',
    );
  });

  it("Slack's escaped characters are decoded once", () => {
    expect(plainFromSlack('a &lt;b&gt; &amp;amp; c')).toBe('a <b> &amp; c');
  });

  it('text without markup is unchanged', () => {
    expect(plainFromSlack('Incident declared')).toBe('Incident declared');
    expect(mentionedUserIds('Incident declared')).toEqual([]);
  });
});
