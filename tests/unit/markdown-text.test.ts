import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markdownBlock, markdownInline } from '../../src/domain/markdown-text.js';

/** A line that Markdown could read as the start of a block, or an unescaped special character. */
const BLOCK_START = /^(\s|[#>+=\-*_~`|<[]|\d+[.)])/;
const UNESCAPED_SPECIAL = /(^|[^\\])(\\\\)*[`*_~[\]<>|]/;
/** An underscore between two letters or digits cannot format (CommonMark's intraword rule), so it is kept as typed. */
const INTRAWORD_UNDERSCORE = /(?<=[\p{L}\p{N}])_(?=[\p{L}\p{N}])/gu;
/** Text made mostly of the characters Markdown cares about. */
const tricky = (maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'#>+-=*_~`|<>[]()!\\.)1 \n\r\ta'.split(''), '\u2028', '\u0000'), maxLength });

describe('markdownInline', () => {
  it('puts text on one line', () => {
    expect(markdownInline('Trending\nchallenge\r\n in  SEA\u2028now')).toBe('Trending challenge in SEA now');
  });

  it('hides emphasis, code, links, HTML and table pipes behind backslashes', () => {
    expect(markdownInline('*a* _b_ `c` ~d~ [e](f) <g> h|i \\j')).toBe('\\*a\\* \\_b\\_ \\`c\\` \\~d\\~ \\[e\\](f) \\<g\\> h\\|i \\\\j');
  });

  it.each([
    ['# heading', '\\# heading'],
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['=== x', '\\=== x'],
    ['12. item', '12\\. item'],
    ['3) item', '3\\) item'],
    ['> quote', '\\> quote'],
    ['trailing ##', 'trailing \\##'],
  ])('escapes the block marker of %j', (text, escaped) => {
    expect(markdownInline(text)).toBe(escaped);
  });

  it('leaves ordinary text alone', () => {
    expect(markdownInline('Regulator request (eKYC) from the #1 partner: reply by 17:00, 50% done!')).toBe(
      'Regulator request (eKYC) from the #1 partner: reply by 17:00, 50% done!',
    );
  });

  it('drops control characters', () => {
    expect(markdownInline('a\u0000b\u0007c\u001bd\u007f')).toBe('abcd');
  });

  it('never returns a line break or an unescaped special character', () => {
    fc.assert(
      fc.property(tricky(40), (text) => {
        const out = markdownInline(text);
        expect(out).not.toMatch(/[\r\n]/);
        expect(out.replace(INTRAWORD_UNDERSCORE, '')).not.toMatch(UNESCAPED_SPECIAL);
        expect(out).not.toMatch(BLOCK_START);
      }),
    );
  });
});

describe('markdownBlock', () => {
  it('keeps each line as a line, ended by a hard break', () => {
    expect(markdownBlock('First line\nsecond line')).toBe('First line\\\nsecond line');
  });

  it('keeps paragraphs apart by one blank line however many were typed', () => {
    expect(markdownBlock('\n\nOne\n\n\n\nTwo\n\n')).toBe('One\n\nTwo');
  });

  it('reads Windows and old Mac line endings', () => {
    expect(markdownBlock('a\r\nb\rc')).toBe('a\\\nb\\\nc');
  });

  it('shows a typed list as text rather than a list', () => {
    expect(markdownBlock('Steps:\n- pause the hashtag\n- notify Legal')).toBe('Steps:\\\n\\- pause the hashtag\\\n\\- notify Legal');
  });

  it('cannot open a code fence, an HTML comment, a heading or a setext underline', () => {
    expect(markdownBlock('```\n<!-- hide\n# Title\nx\n---')).toBe('\\`\\`\\`\\\n\\<!-- hide\\\n\\# Title\\\nx\\\n\\---');
  });

  it('drops leading spaces so nothing becomes an indented code block', () => {
    expect(markdownBlock('intro\n\n    code?')).toBe('intro\n\ncode?');
  });

  it('keeps a typed trailing backslash literal before the hard break', () => {
    expect(markdownBlock('path C:\\\nnext')).toBe('path C:\\\\\\\nnext');
  });

  it('is empty for blank text', () => {
    expect(markdownBlock(' \n\t\n ')).toBe('');
  });

  it('never starts a line with a block marker', () => {
    fc.assert(
      fc.property(tricky(60), (text) => {
        for (const line of markdownBlock(text).split('\n')) {
          expect(line).not.toMatch(BLOCK_START);
          expect(line.replace(/\\$/, '').replace(INTRAWORD_UNDERSCORE, '')).not.toMatch(UNESCAPED_SPECIAL);
        }
      }),
    );
  });
});

describe('what the review file shows in Slack’s preview (raw text)', () => {
  it('when a handle or id has underscores inside a word, then it keeps them as typed, with no backslash to copy', () => {
    expect(markdownInline('Account @kidz_swap_2024 and hash ab_12_cd')).toBe('Account @kidz_swap_2024 and hash ab_12_cd');
  });

  it('when underscores could open or close emphasis, then they are still escaped', () => {
    expect(markdownInline('_b_ a__b _x')).toBe('\\_b\\_ a\\_\\_b \\_x');
  });
});
