import { describe, expect, it } from 'vitest';
import { resolveWhen, type WhenInput } from '../../src/domain/when-input.js';
import { parseOncallCommand } from '../../src/slack/inputs/oncall-command.js';
import { parseWhen } from '../../src/slack/inputs/oncall-when.js';

function instantOf(text: string, defaultZone = 'UTC'): { iso: string; note?: string } {
  const parsed = parseWhen(text);
  if (!parsed.ok) throw new Error(parsed.error);
  const resolved = resolveWhen(parsed.when, defaultZone);
  return { iso: resolved.at.toISOString(), ...(resolved.note ? { note: resolved.note } : {}) };
}

function errorOf(text: string): string {
  const parsed = parseWhen(text);
  if (parsed.ok) throw new Error(`expected ${text} to be refused`);
  return parsed.error;
}

describe('reading the <when> of /oncall at', () => {
  it('reads an ISO instant in UTC, with or without seconds', () => {
    expect(instantOf('2026-03-29T01:30Z').iso).toBe('2026-03-29T01:30:00.000Z');
    expect(instantOf('2026-03-29T01:30:15Z').iso).toBe('2026-03-29T01:30:15.000Z');
    expect(instantOf('2026-03-29t01:30z').iso).toBe('2026-03-29T01:30:00.000Z');
  });

  it('reads an ISO instant with an offset as that offset says', () => {
    expect(instantOf('2026-03-29T01:30:00+01:00').iso).toBe('2026-03-29T00:30:00.000Z');
    expect(instantOf('2026-03-29T01:30-0700').iso).toBe('2026-03-29T08:30:00.000Z');
    expect(instantOf('2026-03-29T01:30:00.250+05:30').iso).toBe('2026-03-28T20:00:00.250Z');
  });

  it('reads a local time with an IANA zone on an ordinary day', () => {
    expect(instantOf('2026-01-15 09:00 Europe/Dublin').iso).toBe('2026-01-15T09:00:00.000Z');
    expect(instantOf('2026-07-15 09:00 Europe/Dublin').iso).toBe('2026-07-15T08:00:00.000Z');
    expect(instantOf('2026-07-15T09:00 Asia/Singapore').iso).toBe('2026-07-15T01:00:00.000Z');
    expect(instantOf('2026-07-15 09:00 america/los_angeles').iso).toBe('2026-07-15T16:00:00.000Z');
  });

  it('moves a local time in the spring-forward gap forward by the gap, and says so', () => {
    // Dublin jumps from 01:00 to 02:00 on 29 March 2026: 01:30 never happens, 02:30 IST does.
    const { iso, note } = instantOf('2026-03-29 01:30 Europe/Dublin');
    expect(iso).toBe('2026-03-29T01:30:00.000Z');
    expect(note).toMatch(/does not exist in Europe\/Dublin/);
  });

  it('reads a local time that happens twice in the fall-back fold as the first, and says so', () => {
    // Dublin goes from 02:00 IST back to 01:00 GMT on 25 October 2026: 01:30 happens twice.
    const { iso, note } = instantOf('2026-10-25 01:30 Europe/Dublin');
    expect(iso).toBe('2026-10-25T00:30:00.000Z');
    expect(note).toMatch(/happens twice.*UTC\+01:00/);
  });

  it("reads a local time without a zone in the zone it is given (the caller's)", () => {
    expect(instantOf('2026-07-15 09:00', 'America/Los_Angeles').iso).toBe('2026-07-15T16:00:00.000Z');
    const parsed = parseWhen('2026-07-15 09:00');
    expect(parsed.ok && (parsed.when as Extract<WhenInput, { kind: 'local' }>).timeZone).toBeNull();
  });

  it('refuses words, naming the accepted forms', () => {
    const error = errorOf('tomorrow at noon');
    expect(error).toContain('`tomorrow at noon`');
    expect(error).toContain('2026-03-29T01:30Z');
    expect(error).toContain('2026-03-29T01:30:00+01:00');
    expect(error).toContain('2026-03-29 01:30 Europe/Dublin');
  });

  it('refuses an unknown zone, naming it', () => {
    expect(errorOf('2026-03-29 01:30 Dublin')).toMatch(/`Dublin` is not an IANA time zone/);
  });

  it('refuses dates and times that do not exist on any calendar', () => {
    expect(errorOf('2026-02-30T10:00Z')).toMatch(/no day 30/);
    expect(errorOf('2026-13-01 10:00 UTC')).toMatch(/no month 13/);
    expect(errorOf('2026-03-01T24:30Z')).toMatch(/hours go to 23/);
    expect(errorOf('2026-03-01T10:00+15:00')).toMatch(/offsets run/);
  });

  it('asks for a time when none is given', () => {
    expect(errorOf('  ')).toMatch(/Tell me when/);
  });
});

describe('reading /oncall subcommands', () => {
  it('treats bare /oncall and /oncall now alike', () => {
    expect(parseOncallCommand('')).toEqual({ kind: 'now' });
    expect(parseOncallCommand('  NOW ')).toEqual({ kind: 'now' });
  });

  it('looks 48 hours ahead for next unless told a span', () => {
    expect(parseOncallCommand('next')).toEqual({ kind: 'next', hours: 48 });
    expect(parseOncallCommand('next 24h')).toEqual({ kind: 'next', hours: 24 });
    expect(parseOncallCommand('next 3 days')).toEqual({ kind: 'next', hours: 72 });
    expect(parseOncallCommand('next forever')).toEqual({ kind: 'help', unknown: 'next forever' });
  });

  it('passes at input to the when parser and keeps its error', () => {
    expect(parseOncallCommand('at 2026-03-29T01:30Z')).toEqual({
      kind: 'at',
      when: { kind: 'instant', at: new Date('2026-03-29T01:30:00Z') },
    });
    expect(parseOncallCommand('at soon')).toMatchObject({ kind: 'bad-when', error: expect.stringContaining('`soon`') });
  });

  it('answers an unknown subcommand with help naming it', () => {
    expect(parseOncallCommand('swap U123')).toEqual({ kind: 'help', unknown: 'swap' });
    expect(parseOncallCommand('help')).toEqual({ kind: 'help' });
    expect(parseOncallCommand('gaps')).toEqual({ kind: 'gaps' });
    expect(parseOncallCommand('load')).toEqual({ kind: 'load' });
    expect(parseOncallCommand('override')).toEqual({ kind: 'override' });
  });
});
