import { describe, expect, it } from 'vitest';
import { BLOCKS, ELEMENTS, ELEMENTS_IN } from '../../src/sandbox/slack/block-kit-rules.js';
import { blockKitProblems } from '../../src/sandbox/slack/block-kit-limits.js';

const TEXT_TYPES = new Set(['plain_text', 'mrkdwn']);

describe('Block Kit rules data', () => {
  it('when a block field admits an element type, then that type has rules of its own', () => {
    const admitted = Object.values(ELEMENTS_IN).flat();
    expect(admitted.filter((type) => !TEXT_TYPES.has(type) && ELEMENTS[type] === undefined)).toEqual([]);
  });

  it('when a block or element names a required field, then that field is also one it admits', () => {
    for (const rule of [...Object.values(BLOCKS), ...Object.values(ELEMENTS)]) {
      for (const key of rule.anyOf ?? []) expect(Object.keys(rule.fields)).toContain(key);
    }
  });

  it('when a message holds a markdown block it passes, and when a modal does, then it is refused for that surface', () => {
    const markdown = { type: 'markdown', text: '**hi**' };
    expect(blockKitProblems([markdown])).toEqual([]);
    expect(blockKitProblems({ type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [markdown] })).toEqual([
      'unsupported type: markdown in a modal [json-pointer:/view/blocks/0/type]',
    ]);
  });
});
