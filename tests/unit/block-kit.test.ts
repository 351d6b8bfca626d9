import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capBlocks, fitText, plainText, sectionsOf, splitText } from '../../src/blocks/kit.js';
import { escapeMrkdwn, slackDate, userMention } from '../../src/slack-api/mrkdwn.js';

/** Spans a cut must never fall strictly inside: escapes, `<…>` tokens, shortcodes, escaped markers, graphemes. */
function atomSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const m of text.matchAll(/<[^<>]*>|&(?:amp|lt|gt);|:[a-z0-9_+'-]+:|\u200B[*_~`]\u200B|`[^`\s]+`/gi))
    spans.push([m.index, m.index + m[0].length]);
  for (const { index, segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)) {
    if (segment.length > 1) spans.push([index, index + segment.length]);
  }
  return spans;
}

const cutsInside = (text: string, cut: number) => atomSpans(text).some(([a, b]) => cut > a && cut < b);

/** Mrkdwn as renderers build it: escaped user text (with `&`, `<`, emoji, markers) mixed with our own tokens. */
const mrkdwn = fc
  .array(
    fc.oneof(
      fc.constantFrom('&', '<', '>', ' ', '\n', 'a', 'word ', '*bold*', '👩‍👩‍👧', '🇹🇷', '😀', 'é', 'e\u0301', ':memo:').map(escapeMrkdwn),
      fc.constant(userMention('U0123ABCD')),
      fc.constant(slackDate(new Date('2026-11-20T10:00:00Z'))),
      fc.constant('<https://example.com/a|View message>'),
    ),
    { maxLength: 400 },
  )
  .map((parts) => parts.join(''));

describe('splitText', () => {
  it('when text is long, then every piece fits, nothing is lost and no piece ends inside an escape, a token or an emoji', () => {
    fc.assert(
      fc.property(mrkdwn, fc.integer({ min: 80, max: 300 }), (text, max) => {
        const pieces = splitText(text, max);
        expect(pieces.join('')).toBe(text);
        let at = 0;
        for (const piece of pieces) {
          if (text) expect(piece.length).toBeGreaterThan(0);
          expect(piece.length).toBeLessThanOrEqual(max);
          at += piece.length;
          if (at < text.length) expect(cutsInside(text, at)).toBe(false);
        }
      }),
    );
  });

  it('when a line break is in reach, then the piece ends at it', () => {
    expect(splitText(`${'a'.repeat(20)}\n${'b'.repeat(20)} ${'c'.repeat(5)}`, 30)).toEqual([
      `${'a'.repeat(20)}\n`,
      `${'b'.repeat(20)} ${'c'.repeat(5)}`,
    ]);
    expect(splitText(`${'a'.repeat(20)} ${'b'.repeat(20)}`, 30)).toEqual([`${'a'.repeat(20)} `, 'b'.repeat(20)]);
  });

  it('when 1,000 ampersands are escaped (5,000 characters), then sectionsOf gives sections of at most 3,000 holding all of them', () => {
    const text = `*Summary*\n${escapeMrkdwn('&'.repeat(1000))}`;
    const blocks = sectionsOf(text);
    const texts = blocks.map((b) => (b.type === 'section' ? (b.text?.text ?? '') : ''));
    expect(texts.length).toBe(2);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(3000);
    expect(texts.join('')).toBe(text);
    expect(texts[1]?.startsWith('&amp;')).toBe(true);
  });
});

describe('fitText', () => {
  it('when text is too long, then it is cut with … at a safe point and is at most max long', () => {
    fc.assert(
      fc.property(mrkdwn, fc.integer({ min: 2, max: 300 }), (text, max) => {
        const fitted = fitText(text, max);
        expect(fitted.length).toBeLessThanOrEqual(max);
        if (text.length <= max) {
          expect(fitted).toBe(text);
          return;
        }
        expect(fitted.endsWith('…')).toBe(true);
        const kept = fitted.slice(0, -1);
        expect(text.startsWith(kept)).toBe(true);
        expect(cutsInside(text, kept.length)).toBe(false);
      }),
    );
  });

  it('when the cut would fall in a mention, an escape or an emoji, then the whole of it goes', () => {
    expect(fitText(`ab ${userMention('U0123ABCD')}`, 8)).toBe('ab…');
    expect(fitText('abc&amp;def', 6)).toBe('abc…');
    expect(fitText('abcd😀😀', 6)).toBe('abcd…');
  });
});

describe('plainText and capBlocks', () => {
  it('when plain text is too long, then it is cut grapheme-safe with …', () => {
    expect(plainText('👩‍👩‍👧'.repeat(10), 24).text.length).toBeLessThanOrEqual(24);
    expect(plainText('Post status update', 24)).toEqual({ type: 'plain_text', text: 'Post status update' });
  });

  it('when there are more blocks than allowed, then the last one says how many were left out', () => {
    const blocks = Array.from({ length: 60 }, (_, i) => ({ type: 'divider' as const, block_id: `b${i}` }));
    const capped = capBlocks(blocks, 50, (n) => ({ type: 'context', elements: [{ type: 'mrkdwn', text: `… ${n} more` }] }));
    expect(capped).toHaveLength(50);
    expect(capped[49]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '… 11 more' }] });
    expect(capBlocks(blocks.slice(0, 3), 50, () => ({ type: 'divider' }))).toHaveLength(3);
  });
});

describe('the severity hint in the declare and severity modals', () => {
  it('when a modal lists the severities, then each option shows its whole meaning, none cut at Slack’s 75 characters', async () => {
    const { severityOptions } = await import('../../src/blocks/catalog.js');
    const { SEVERITY_MEANING } = await import('../../src/domain/severity.js');
    const { DEFAULT_CATEGORIES, DEFAULT_SEVERITIES } = await import('../../src/config-file/defaults.js');
    const options = severityOptions({ severities: DEFAULT_SEVERITIES, categories: DEFAULT_CATEGORIES });
    for (const option of options) {
      expect(option.description.text).toBe(SEVERITY_MEANING[option.value]);
      expect(option.description.text).not.toMatch(/…$/);
    }
  });
});
