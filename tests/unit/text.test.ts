import { describe, expect, it } from 'vitest';
import { truncate } from '../../src/domain/text.js';

/** True when `s` holds a high surrogate without its low half, or a low one without its high half. */
const hasLoneSurrogate = (s: string): boolean => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('truncate', () => {
  it('when the text fits exactly, then it comes back unchanged, with no ellipsis', () => {
    expect(truncate('abcde', 5)).toBe('abcde');
    expect(truncate('', 0)).toBe('');
  });

  it('when the text is one unit too long, then it ends in an ellipsis and fits the limit', () => {
    expect(truncate('abcdef', 5)).toBe('abcd…');
    expect(truncate('abcdef', 5)).toHaveLength(5);
  });

  it('when the cut falls inside an emoji, then the whole emoji goes and no surrogate is left alone', () => {
    const text = 'ab😀cd'; // 😀 is two UTF-16 units
    const cut = truncate(text, 4); // room for 3 units: "ab" + half of 😀 would be 3
    expect(cut).toBe('ab…');
    expect(hasLoneSurrogate(cut)).toBe(false);
  });

  it('when the cut falls inside a surrogate pair of a non-emoji astral letter, then the pair is kept whole or dropped', () => {
    const text = '𝒜𝒜𝒜'; // mathematical script A, U+1D49C, two units each
    expect(truncate(text, 4)).toBe('𝒜…');
    expect(truncate(text, 5)).toBe('𝒜𝒜…');
    for (let max = 0; max <= text.length; max += 1) expect(hasLoneSurrogate(truncate(text, max))).toBe(false);
  });

  it('when the cut falls inside a ZWJ family emoji, then the family is not broken into people', () => {
    const family = '👨‍👩‍👧‍👦'; // four people joined by three ZWJs: 11 units, one grapheme
    const text = `hi ${family} there`;
    for (let max = 4; max < 3 + family.length + 1; max += 1) expect(truncate(text, max)).toBe('hi …');
    expect(truncate(text, 3 + family.length + 1)).toBe(`hi ${family}…`);
  });

  it('when the cut falls inside a flag, then both regional indicators stay or go together', () => {
    const text = 'go 🇮🇪🇸🇬'; // two flags, four units each
    expect(truncate(text, 8)).toBe('go 🇮🇪…');
    expect(truncate(text, 7)).toBe('go …');
  });

  it('when the cut falls after a letter with combining marks, then the marks stay with their letter', () => {
    const text = 'cafe\u0301 ole\u0301'; // é written as e + U+0301
    expect(truncate(text, 5)).toBe('caf…');
    expect(truncate(text, 6)).toBe('cafe\u0301…');
  });

  it('when the limit leaves no room, then the result is only the ellipsis, or nothing', () => {
    expect(truncate('abc', 1)).toBe('…');
    expect(truncate('abc', 0)).toBe('');
  });

  it('never returns more units than the limit', () => {
    const text = 'a😀b👨‍👩‍👧‍👦c🇮🇪de\u0301f'.repeat(3);
    for (let max = 0; max <= text.length + 2; max += 1) expect(truncate(text, max).length).toBeLessThanOrEqual(max);
  });
});
