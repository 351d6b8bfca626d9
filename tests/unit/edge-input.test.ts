import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { CONTROL_CHARACTER_REFUSED, cleanViewText, commandText } from '../../src/slack/inputs/user-text.js';
import { parseIncidentCommand } from '../../src/slack/inputs/incident-command.js';
import { rowIdFromSlack } from '../../src/slack/inputs/slack-ids.js';
import { isFromTheFuture } from '../../src/slack/request-timestamp.js';

const NOW_MS = Date.parse('2026-03-29T00:30:00Z');
const NOW_S = NOW_MS / 1000;

describe('request timestamps from the future', () => {
  it('when the timestamp is up to 5 minutes ahead, then it is accepted (clocks drift)', () => {
    expect(isFromTheFuture(String(NOW_S + 300), NOW_MS)).toBe(false);
    expect(isFromTheFuture(String(NOW_S - 3600), NOW_MS)).toBe(false);
  });

  it('when the timestamp is more than 5 minutes ahead, then it is refused', () => {
    expect(isFromTheFuture(String(NOW_S + 301), NOW_MS)).toBe(true);
    expect(isFromTheFuture([String(NOW_S + 600)], NOW_MS)).toBe(true);
  });

  it('when the header is missing or unreadable, then Bolt decides', () => {
    expect(isFromTheFuture(undefined, NOW_MS)).toBe(false);
    expect(isFromTheFuture('soon', NOW_MS)).toBe(false);
  });
});

describe('command text', () => {
  it("when Slack escaped what was typed, then it is decoded once: '&amp;lt;' stays '&lt;'", () => {
    expect(parseIncidentCommand(commandText('note Drugs &amp; weapons &lt;b&gt; &amp;lt;'))).toEqual({
      kind: 'note',
      text: 'Drugs & weapons <b> &lt;',
    });
  });

  it('when the text holds a picked person and a typed <!here> (should_escape: true), then the person is read as @name and the typed text stays text', () => {
    expect(parseIncidentCommand(commandText('note ask <@U0MAYA001|maya> in <#C0GEN|general> &lt;!here&gt;'))).toEqual({
      kind: 'note',
      text: 'ask @maya in #general <!here>',
    });
    expect(parseIncidentCommand(commandText('role <@U0MAYA001|maya> scribe'))).toEqual({ kind: 'role', args: '<@U0MAYA001|maya> scribe' });
  });

  it('when the text holds bidi controls, then they are removed', () => {
    expect(commandText('note a\u202Eb\u2066c\u200Fd\u061Ce')).toBe('note abcde');
  });

  it('when the text holds a NUL or DEL, then it is refused as the caller’s error; tabs and newlines pass', () => {
    expect(() => commandText('note a\u0000b')).toThrow(UserError);
    expect(() => commandText('note a\u007Fb')).toThrow(CONTROL_CHARACTER_REFUSED);
    expect(commandText('note a\tb\nc')).toBe('note a\tb\nc');
  });
});

describe('view text', () => {
  it('when a typed value holds bidi controls or control characters, then they are stripped or its block refused', () => {
    const { values, refused } = cleanViewText({
      title: { value: { type: 'plain_text_input', value: 'Evil\u202Etxt' } },
      summary: { value: { type: 'plain_text_input', value: 'a\u0001b' } },
      severity: { value: { type: 'radio_buttons', selected_option: { value: 'sev1' } } },
    });
    expect(values).toMatchObject({ title: { value: { value: 'Eviltxt' } }, severity: { value: { selected_option: { value: 'sev1' } } } });
    expect(refused).toEqual({ summary: CONTROL_CHARACTER_REFUSED });
  });
});

describe('ids from Slack', () => {
  it('when a button value is not one of our ids, then it is the calm not-available answer', () => {
    expect(() => rowIdFromSlack("not-a-uuid' or 1=1--")).toThrow('That incident is not available to you.');
    expect(rowIdFromSlack('0d6c1c1e-8f5b-4b8e-9b1a-2f1e4c3b2a10')).toBe('0d6c1c1e-8f5b-4b8e-9b1a-2f1e4c3b2a10');
  });
});
