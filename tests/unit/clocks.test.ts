import { describe, expect, it } from 'vitest';
import {
  answerOutcome,
  defaultRemindBefore,
  dueAtFor,
  extendedDueAt,
  kindInForce,
  nextDeadline,
  planClock,
  remindBeforeFor,
  resumedDueAt,
  timeLeftMs,
  type DeadlineKind,
} from '../../src/domain/clocks.js';
import { resolveWhen } from '../../src/domain/when-input.js';
import { parseDeadlineCommand } from '../../src/slack/inputs/deadline-command.js';
import { nextDeadlineText } from '../../src/blocks/clock-messages.js';
import type { IncidentClock } from '../../src/domain/clocks.js';

const kind = (over: Partial<DeadlineKind>): DeadlineKind => ({
  id: 'in-it-rules-order',
  name: 'India IT Rules order',
  withinMinutes: 2160,
  remindBeforeMinutes: null,
  escalateTo: [],
  source: 'IT Rules 2021, r.3(1)(d)',
  task: '',
  effectiveFrom: null,
  internalTarget: false,
  ...over,
});

describe('clock maths', () => {
  const versions = [kind({}), kind({ withinMinutes: 180, effectiveFrom: new Date('2026-02-20T00:00:00Z') })];

  it('a clock started before the effective date uses the old version, from it the new one', () => {
    expect(kindInForce(versions, 'in-it-rules-order', new Date('2026-02-19T23:59:59Z'))?.withinMinutes).toBe(2160);
    expect(kindInForce(versions, 'in-it-rules-order', new Date('2026-02-20T00:00:00Z'))?.withinMinutes).toBe(180);
    expect(kindInForce(versions, 'unknown', new Date('2026-02-20T00:00:00Z'))).toBeUndefined();
  });

  it('a kind with only future versions is not in force yet', () => {
    expect(
      kindInForce([kind({ effectiveFrom: new Date('2026-05-19T00:00:00Z') })], 'in-it-rules-order', new Date('2026-05-18T12:00:00Z')),
    ).toBeUndefined();
  });

  it('the due instant is the start plus the kind minutes', () => {
    expect(dueAtFor({ withinMinutes: 60 }, new Date('2026-03-01T10:00:00Z')).toISOString()).toBe('2026-03-01T11:00:00.000Z');
  });

  it('the default reminders are half the time, 2 h and 30 min before, those that fit', () => {
    expect(defaultRemindBefore(60)).toEqual([30]);
    expect(defaultRemindBefore(180)).toEqual([120, 90, 30]);
    expect(defaultRemindBefore(2880)).toEqual([1440, 120, 30]);
    expect(defaultRemindBefore(20)).toEqual([10]);
    expect(remindBeforeFor(60, [30, 10, 90])).toEqual([30, 10]);
  });

  it('plans reminders still ahead and the miss at the due instant', () => {
    const dueAt = new Date('2026-03-01T11:00:00Z');
    const plan = planClock({ dueAt, remindBeforeMinutes: [30, 10] }, new Date('2026-03-01T10:40:00Z'));
    expect(plan.reminders.map((r) => r.at.toISOString())).toEqual(['2026-03-01T10:50:00.000Z']);
    expect(plan.missAt).toEqual(dueAt);
  });

  it('a paused clock keeps its time left; resuming moves the due instant by the pause', () => {
    const clock = { dueAt: new Date('2026-03-01T11:00:00Z'), pausedAt: new Date('2026-03-01T10:30:00Z'), state: 'paused' as const };
    expect(timeLeftMs(clock, new Date('2026-03-01T12:00:00Z'))).toBe(30 * 60_000);
    expect(resumedDueAt(clock, new Date('2026-03-01T12:15:00Z')).toISOString()).toBe('2026-03-01T12:45:00.000Z');
  });

  it('an extension moves the deadline later; an answer is met up to the due instant, then missed by how much', () => {
    const dueAt = new Date('2026-03-01T11:00:00Z');
    expect(extendedDueAt({ dueAt }, 24 * 60).toISOString()).toBe('2026-03-02T11:00:00.000Z');
    expect(answerOutcome({ dueAt }, dueAt)).toEqual({ met: true, lateMs: 0 });
    expect(answerOutcome({ dueAt }, new Date('2026-03-01T11:12:00Z'))).toEqual({ met: false, lateMs: 12 * 60_000 });
  });
});

describe('/incident deadline <when>', () => {
  it('reads an ISO instant, with a label after it', () => {
    const parsed = parseDeadlineCommand('2026-03-01T10:00Z reply to eSafety');
    expect(parsed).toEqual({
      op: 'set',
      when: { kind: 'when', when: { kind: 'instant', at: new Date('2026-03-01T10:00:00Z') } },
      label: 'reply to eSafety',
    });
  });

  it('reads a local time in an IANA zone; a time in the spring gap moves forward by the gap', () => {
    const parsed = parseDeadlineCommand('2026-03-29 01:30 Europe/Dublin');
    if (parsed.op !== 'set' || parsed.when.kind !== 'when') throw new Error('not a time');
    const resolved = resolveWhen(parsed.when.when, 'UTC');
    expect(resolved.at.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(resolved.note).toContain('does not exist');
  });

  it('a time that happens twice in the autumn is its first occurrence', () => {
    const parsed = parseDeadlineCommand('2026-10-25 01:30 Europe/Dublin');
    if (parsed.op !== 'set' || parsed.when.kind !== 'when') throw new Error('not a time');
    const resolved = resolveWhen(parsed.when.when, 'UTC');
    expect(resolved.at.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(resolved.note).toContain('happens twice');
  });

  it('a local time without a zone is read in the caller zone, and the next word is the label', () => {
    const parsed = parseDeadlineCommand('2026-07-01 09:00 partner');
    expect(parsed).toMatchObject({ op: 'set', label: 'partner', when: { kind: 'when', when: { kind: 'local', timeZone: null } } });
  });

  it('reads spans and kind ids', () => {
    expect(parseDeadlineCommand('in 90 minutes')).toEqual({ op: 'set', when: { kind: 'in', minutes: 90 } });
    expect(parseDeadlineCommand('in 3 hours tco')).toEqual({ op: 'set', when: { kind: 'in', minutes: 180 }, label: 'tco' });
    expect(parseDeadlineCommand('in 2 days')).toEqual({ op: 'set', when: { kind: 'in', minutes: 2880 } });
    expect(parseDeadlineCommand('eu-tco-removal-order')).toEqual({ op: 'set', when: { kind: 'kind', kindId: 'eu-tco-removal-order' } });
  });

  it('reads clear, pause, resume and extend; an extension needs a reason', () => {
    expect(parseDeadlineCommand('clear')).toEqual({ op: 'clear', rest: '' });
    expect(parseDeadlineCommand('pause waiting for clarification')).toEqual({ op: 'pause', rest: 'waiting for clarification' });
    expect(parseDeadlineCommand('resume')).toEqual({ op: 'resume', rest: '' });
    expect(parseDeadlineCommand('extend 24 hours Commissioner allowed')).toEqual({
      op: 'extend',
      minutes: 1440,
      reason: 'Commissioner allowed',
    });
    expect(parseDeadlineCommand('extend tco 2 hours agreed')).toEqual({ op: 'extend', name: 'tco', minutes: 120, reason: 'agreed' });
    expect(parseDeadlineCommand('extend 24 hours').op).toBe('error');
  });

  it('reads `<kind> received <when>`: a time (with a zone or not), an ISO instant or a span ago, then the label', () => {
    expect(parseDeadlineCommand('eu-tco received 2026-03-02 09:15 Europe/Dublin clip')).toEqual({
      op: 'set',
      when: {
        kind: 'kind',
        kindId: 'eu-tco',
        received: {
          kind: 'when',
          when: { kind: 'local', date: { year: 2026, month: 3, day: 2 }, time: { hour: 9, minute: 15 }, timeZone: 'Europe/Dublin' },
        },
      },
      label: 'clip',
    });
    expect(parseDeadlineCommand('eu-tco received 2026-03-02T09:15Z')).toEqual({
      op: 'set',
      when: { kind: 'kind', kindId: 'eu-tco', received: { kind: 'when', when: { kind: 'instant', at: new Date('2026-03-02T09:15:00Z') } } },
    });
    expect(parseDeadlineCommand('eu-tco received 20 minutes ago')).toEqual({
      op: 'set',
      when: { kind: 'kind', kindId: 'eu-tco', received: { kind: 'ago', minutes: 20 } },
    });
    expect(parseDeadlineCommand('eu-tco received yesterday')).toMatchObject({
      op: 'error',
      error: expect.stringContaining('received 20 minutes ago'),
    });
    expect(parseDeadlineCommand('eu-tco received')).toMatchObject({ op: 'error' });
  });

  it('refuses what it cannot read, naming the forms', () => {
    const bad = parseDeadlineCommand('2026-02-30 10:00 Europe/Dublin');
    expect(bad.op).toBe('error');
    expect(parseDeadlineCommand('in 3 fortnights')).toMatchObject({ op: 'error' });
    expect(parseDeadlineCommand('2026-03-01 10:00 Mars/Olympus')).toMatchObject({ op: 'error' });
  });
});

describe('the shipped deadline catalog', () => {
  it('parses as a config file, with India order versions picked by date', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseMeridianConfig } = await import('../../src/config-file/load.js');
    const parsed = parseMeridianConfig(readFileSync('config/deadlines.catalog.yaml', 'utf8'), 'yaml');
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const kinds = parsed.config.deadlines ?? [];
    expect(kinds.every((k) => k.source.length > 0)).toBe(true);
    expect(kindInForce(kinds, 'in-it-rules-order', new Date('2026-02-19T12:00:00Z'))?.withinMinutes).toBe(2160);
    expect(kindInForce(kinds, 'in-it-rules-order', new Date('2026-02-21T12:00:00Z'))?.withinMinutes).toBe(180);
  });

  it('a category naming a deadline the catalog lacks is a config error', async () => {
    const { parseMeridianConfig } = await import('../../src/config-file/load.js');
    const parsed = parseMeridianConfig('categories:\n  - { id: a, name: A, deadline: nope }\n', 'yaml');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.join('\n')).toContain('unknown deadline "nope"');
  });
});

describe('the next deadline', () => {
  const at = (iso: string) => new Date(iso);
  const clock = (over: Partial<IncidentClock>): IncidentClock =>
    ({
      id: 'c',
      incidentId: 'i',
      label: 'response',
      kindId: null,
      name: 'EU TCO removal order',
      source: '',
      task: '',
      startKind: 'typed',
      startedAt: at('2026-03-02T09:00:00Z'),
      dueAt: at('2026-03-02T10:00:00Z'),
      ownerId: null,
      state: 'running',
      pausedAt: null,
      pauseReason: null,
      version: 1,
      remindBeforeMinutes: [],
      escalateTo: [],
      respondedAt: null,
      respondedBy: null,
      responseNote: null,
      responseEvidence: null,
      missedAt: null,
      ...over,
    }) as IncidentClock;

  it('is the soonest running clock, or an unanswered missed one; paused and answered clocks are not next', () => {
    const later = clock({ id: 'later', dueAt: at('2026-03-02T12:00:00Z') });
    const sooner = clock({ id: 'sooner', dueAt: at('2026-03-02T10:00:00Z') });
    const paused = clock({ id: 'paused', state: 'paused', dueAt: at('2026-03-02T09:30:00Z') });
    const met = clock({ id: 'met', state: 'met', dueAt: at('2026-03-02T09:10:00Z') });
    expect(nextDeadline([later, paused, met, sooner])?.id).toBe('sooner');
    const missed = clock({ id: 'missed', state: 'missed', dueAt: at('2026-03-02T09:05:00Z') });
    expect(nextDeadline([later, missed])?.id).toBe('missed');
    expect(nextDeadline([clock({ ...missed, respondedAt: at('2026-03-02T09:20:00Z') }), later])?.id).toBe('later');
    expect(nextDeadline([paused, met])).toBeUndefined();
  });

  it('reads "Respond by <Slack date> (in 40 min)", or "overdue by" once past', () => {
    const c = clock({});
    expect(nextDeadlineText(c, at('2026-03-02T09:20:00Z'))).toBe(
      `:alarm_clock: Respond by <!date^${c.dueAt.getTime() / 1000}^{date_short_pretty} at {time}|2026-03-02 10:00 UTC> (in 40 min) · EU TCO removal order`,
    );
    expect(nextDeadlineText(c, at('2026-03-02T10:12:00Z'))).toContain('(overdue by 12 min)');
  });
});
