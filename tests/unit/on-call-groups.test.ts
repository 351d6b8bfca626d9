import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { groupChangesBetween, groupMemberAt } from '../../src/domain/on-call-groups.js';
import { resolveSchedule, type Schedule } from '../../src/domain/schedule.js';
import { usergroupsList, usergroupsUsersUpdate } from '../../src/sandbox/slack/methods/usergroups.js';
import { SlackFail } from '../../src/sandbox/slack/methods/args.js';
import { FakeState } from '../../src/sandbox/slack/state.js';

const EXAMPLE = readFileSync('config/meridian.example.yaml', 'utf8');

function parse(yaml: string) {
  const parsed = parseMeridianConfig(yaml, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

const withGroups = EXAMPLE.replace(
  '    layers:                           # where',
  '    user_group: S0ONCALL01\n    layers:                           # where',
).replace('      - name: EMEA\n', '      - name: EMEA\n        user_group: S0ONCALLEU\n');

function schedule(overrides: Schedule['overrides'] = []): Schedule {
  const resolved = resolveSchedule(parse(withGroups).schedules[0]!, new Map());
  if (!resolved.ok) throw new Error('unresolved');
  return { ...resolved.schedule, overrides };
}

describe('user_group: in the config file', () => {
  it('when a schedule and one of its layers name a group, then both are read, and the layers the rotation maths gets carry none', () => {
    const [s] = parse(withGroups).schedules;
    expect(s?.userGroups).toEqual([
      { scheduleId: 'tns-follow-the-sun', layerName: null, groupId: 'S0ONCALL01' },
      { scheduleId: 'tns-follow-the-sun', layerName: 'EMEA', groupId: 'S0ONCALLEU' },
    ]);
    expect(s?.layers.some((l) => 'userGroup' in l || 'user_group' in l)).toBe(false);
    expect(parse(EXAMPLE).schedules[0]?.userGroups).toEqual([]);
  });

  it('when a group is not a Slack user group id, then the file is refused naming the key', () => {
    const parsed = parseMeridianConfig(withGroups.replace('S0ONCALLEU', '"@ts-oncall"'), 'yaml');
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.errors.join('\n')).toMatch(/user_group.*user group id/);
  });
});

describe('who an on-call group holds', () => {
  // Monday 2 March 2026 (UTC): APAC until 10:00, then EMEA (U0DUC0003) until 18:00, then AMER (U0LAA0001); first listed wins.
  const monday = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00Z`);

  it("when the hubs hand over, then the schedule's group follows every change and a hub's group only its own hub, keeping its last member off duty", () => {
    const s = schedule();
    expect(groupMemberAt(s, null, monday('10:30'))).toBe('U0DUC0003');
    expect(groupMemberAt(s, 'EMEA', monday('10:30'))).toBe('U0DUC0003');
    expect(groupMemberAt(s, 'EMEA', monday('19:00'))).toBeNull();
    const all = groupChangesBetween(s, null, monday('00:00'), monday('10:30'), new Date('2026-03-03T12:00:00Z'));
    expect(all.map((c) => [c.at.toISOString(), c.userId])).toEqual([
      ['2026-03-02T10:00:00.000Z', 'U0DUC0003'],
      ['2026-03-02T18:00:00.000Z', 'U0LAA0001'],
      ['2026-03-03T01:00:00.000Z', 'U0SGA0001'],
      ['2026-03-03T10:00:00.000Z', 'U0DUC0003'],
    ]);
    // EMEA's group: the same person again next morning is no change.
    const emea = groupChangesBetween(s, 'EMEA', monday('00:00'), monday('10:30'), new Date('2026-03-03T12:00:00Z'));
    expect(emea.map((c) => c.userId)).toEqual(['U0DUC0003']);
  });

  it("when an override covers part of a hub's hours, then both groups hold the cover while it lasts and the rotation after", () => {
    const s = schedule([{ user: 'U0COVER001', from: monday('12:00'), to: monday('14:00') }]);
    const emea = groupChangesBetween(s, 'EMEA', monday('00:00'), monday('10:30'), monday('23:00'));
    expect(emea.map((c) => [c.at.toISOString(), c.userId])).toEqual([
      ['2026-03-02T09:00:00.000Z', 'U0DUC0003'],
      ['2026-03-02T12:00:00.000Z', 'U0COVER001'],
      ['2026-03-02T14:00:00.000Z', 'U0DUC0003'],
    ]);
    expect(groupMemberAt(s, null, monday('13:00'))).toBe('U0COVER001');
  });

  it('when the same person has been on call since before the lookback, then the current change says so (its instant is not a real change)', () => {
    const s = {
      ...schedule(),
      overrides: [{ user: 'U0LONG0001', from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-06-01T00:00:00Z') }],
    };
    const [current, ...rest] = groupChangesBetween(s, null, monday('00:00'), monday('10:30'), monday('23:00'));
    expect(current).toMatchObject({ userId: 'U0LONG0001', sinceBeforeLookback: true });
    expect(rest).toEqual([]);
  });
});

describe("the fake Slack's user groups", () => {
  const state = () => {
    const s = new FakeState([
      { id: 'U0AAA0001', name: 'a' },
      { id: 'U0BBB0002', name: 'b' },
    ]);
    s.usergroups.set('S0GROUP001', ['U0AAA0001']);
    return s;
  };
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof SlackFail) return err.error;
      throw err;
    }
    return 'ok';
  };

  it("when a group is updated, then it lists exactly the people given and answers Slack's usergroup object; refusals change nothing", () => {
    const s = state();
    const answer = usergroupsUsersUpdate({ state: s, args: { usergroup: 'S0GROUP001', users: 'U0BBB0002' }, baseUrl: '' });
    expect(answer).toMatchObject({ ok: true, usergroup: { id: 'S0GROUP001', is_usergroup: true, users: ['U0BBB0002'], user_count: 1 } });
    expect(refusal(() => usergroupsUsersUpdate({ state: s, args: { usergroup: 'S0NONE0001', users: 'U0BBB0002' }, baseUrl: '' }))).toBe(
      'no_such_subteam',
    );
    expect(refusal(() => usergroupsUsersUpdate({ state: s, args: { usergroup: 'S0GROUP001', users: '' }, baseUrl: '' }))).toBe(
      'no_users_provided',
    );
    expect(
      refusal(() => usergroupsUsersUpdate({ state: s, args: { usergroup: 'S0GROUP001', users: 'U0BBB0002,U0GHOST001' }, baseUrl: '' })),
    ).toBe('invalid_users');
    expect(s.usergroups.get('S0GROUP001')).toEqual(['U0BBB0002']);
    expect(usergroupsList({ state: s, args: { include_users: 'true' }, baseUrl: '' })).toMatchObject({
      ok: true,
      usergroups: [{ id: 'S0GROUP001', users: ['U0BBB0002'] }],
    });
  });
});
