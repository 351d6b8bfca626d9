import { describe, expect, it } from 'vitest';
import { digestMessage } from '../../src/blocks/digest.js';
import { defaultMeridianConfig, parseMeridianConfig } from '../../src/config-file/load.js';
import { computeDigest } from '../../src/domain/digest.js';
import { followUpFigures, type FollowUpDigestRecord } from '../../src/domain/follow-up-digest.js';
import {
  defaultFollowUpTeam,
  followUpChanges,
  followUpDraftProblems,
  parseFollowUpEdit,
  parseFollowUpClose,
  parseFollowUpFilter,
  planFollowUpReminders,
} from '../../src/domain/follow-ups.js';

const at = (iso: string) => new Date(iso);
const DAY_S = 86_400;
const TEAMS = [
  { id: 'legal', name: 'Legal', jiraProject: 'LEGAL' },
  { id: 'comms', name: 'Comms' },
];

describe('a new follow-up', () => {
  const now = at('2026-12-07T12:00:00Z');
  it('when it has no owner, a due date in the past and an unknown team, then each is named; a complete one has no problem', () => {
    expect(followUpDraftProblems({ title: '  ', ownerId: null, teamId: 'nope', dueAt: at('2026-12-06T23:59:59Z') }, TEAMS, now)).toEqual({
      title: expect.any(String),
      owner: expect.stringContaining('owner'),
      team: expect.stringContaining('nope'),
      due: expect.stringContaining('passed'),
    });
    expect(
      followUpDraftProblems({ title: 'Fix it', ownerId: 'U1', teamId: 'legal', dueAt: at('2026-12-07T23:59:59Z') }, TEAMS, now),
    ).toEqual({});
  });

  it('when its reminders are planned, then the one before the due date is left out once that moment has passed', () => {
    const due = at('2026-12-10T23:59:59Z');
    expect(planFollowUpReminders(due, 2, now)).toEqual({ before: at('2026-12-08T23:59:59Z'), overdue: due });
    expect(planFollowUpReminders(due, 5, now)).toEqual({ overdue: due });
  });

  it('when commands are read, then the filters and the closes are understood and anything else is not', () => {
    expect(parseFollowUpFilter('')).toEqual({ kind: 'incident' });
    expect(parseFollowUpFilter('team Legal')).toEqual({ kind: 'team', teamId: 'legal' });
    expect(parseFollowUpFilter('overdue')).toEqual({ kind: 'overdue' });
    expect(parseFollowUpFilter('team').kind).toBe('bad');
    expect(parseFollowUpClose('done FU-12')).toEqual({ op: 'done', number: 12 });
    expect(parseFollowUpClose("won't-do 3 covered by the new policy")).toEqual({
      op: 'wont_do',
      number: 3,
      reason: 'covered by the new policy',
    });
    expect(parseFollowUpClose('Rate-limit uploads')).toBeUndefined();
  });

  it('when the config names teams, then they are read with their Jira projects; a bad project key is refused', () => {
    const ok = parseMeridianConfig(
      'follow_ups:\n  teams:\n    - { id: legal, name: Legal, jira_project: LEGAL }\n  remind_before_days: 1\n',
      'yaml',
    );
    expect(ok.ok && ok.config.followUps).toMatchObject({
      teams: [{ id: 'legal', name: 'Legal', jiraProject: 'LEGAL' }],
      remindBeforeDays: 1,
    });
    const bad = parseMeridianConfig('follow_ups:\n  teams:\n    - { id: legal, name: Legal, jira_project: legal-team }\n', 'yaml');
    expect(bad.ok).toBe(false);
  });
});

describe("the digest's follow-up figures", () => {
  // December 2026, judged on 5 January: every figure below is counted by hand in the comments.
  const period = { from: at('2026-12-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z') };
  const now = at('2027-01-05T00:00:00Z');
  const rec = (
    teamId: string | null,
    status: FollowUpDigestRecord['status'],
    created: string,
    due: string,
    done: string | null,
  ): FollowUpDigestRecord => ({
    teamId,
    status,
    createdAt: at(created),
    dueAt: at(due),
    doneAt: done ? at(done) : null,
  });
  const seeded: FollowUpDigestRecord[] = [
    rec('legal', 'done', '2026-11-25T10:00:00Z', '2026-12-05T23:59:59Z', '2026-12-03T10:00:00Z'), // A: done in Dec after 8 days; opened in Nov
    rec('legal', 'done', '2026-12-02T10:00:00Z', '2026-12-10T23:59:59Z', '2026-12-06T10:00:00Z'), // B: opened, done after 4 days
    rec('legal', 'open', '2026-12-04T10:00:00Z', '2026-12-20T23:59:59Z', null), // C: opened, overdue at the end
    rec('comms', 'done', '2026-12-10T10:00:00Z', '2026-12-15T23:59:59Z', '2026-12-16T10:00:00Z'), // D: opened, done after 6 days (late, but closed by the end)
    rec('comms', 'open', '2026-12-12T10:00:00Z', '2027-01-10T23:59:59Z', null), // E: opened, not yet due
    rec(null, 'wont_do', '2026-11-01T10:00:00Z', '2026-11-20T23:59:59Z', '2026-12-02T10:00:00Z'), // F: declined in Dec: not done, not overdue at the end
    rec('legal', 'done', '2026-12-20T10:00:00Z', '2026-12-28T23:59:59Z', '2027-01-03T10:00:00Z'), // G: opened, overdue at the end, done only in January
  ];

  it('when a seeded month is counted, then opened, done, overdue and the median time to done equal the hand computation, per team and in all', () => {
    const figures = followUpFigures(seeded, period, now);
    // All: opened B C D E G = 5; done A B D = 3; overdue C G = 2; median of 8, 4, 6 days = 6 days.
    expect(figures.total).toEqual({ teamId: null, opened: 5, done: 3, overdue: 2, medianToDoneS: 6 * DAY_S });
    expect(figures.teams).toEqual([
      // Legal: opened B C G; done A B; overdue C G; median of 8 and 4 days = 6 days.
      { teamId: 'legal', opened: 3, done: 2, overdue: 2, medianToDoneS: 6 * DAY_S },
      // Comms: opened D E; done D after 6 days; none overdue.
      { teamId: 'comms', opened: 2, done: 1, overdue: 0, medianToDoneS: 6 * DAY_S },
      // No team: F counts in nothing this month, so it is not listed.
    ]);
  });

  it('when the month is still running, then overdue is judged now, not at its end', () => {
    const midMonth = at('2026-12-21T00:00:00Z');
    // On the 21st: C (due the 20th) is overdue; G is not yet due; A B D were closed before.
    expect(followUpFigures(seeded, period, midMonth).total.overdue).toBe(1);
  });

  it('when the digest is rendered, then the figures appear with the teams by name', () => {
    const scope = { cadence: 'monthly' as const, period, previous: { from: at('2026-11-01T00:00:00Z'), to: period.from }, timeZone: 'UTC' };
    const empty = { incidents: [], pages: [], clocks: [] };
    const digest = {
      ...computeDigest({ run: scope, current: empty, before: empty, openOld: [], now }),
      followUps: followUpFigures(seeded, period, now),
    };
    const config = defaultMeridianConfig();
    const text = JSON.stringify(digestMessage(digest, { severities: config.severities, categories: config.categories }, TEAMS).blocks);
    expect(text).toContain('*Follow-ups:* 5 opened, 3 done, 2 overdue, median 6 d to done');
    expect(text).toContain('• Legal: 3 opened, 2 done, 2 overdue');
    expect(text).toContain('• Comms: 2 opened, 1 done, 0 overdue');
  });
});

describe("a resolve-modal follow-up's default team", () => {
  const teams = [
    { id: 'legal', name: 'Legal', members: ['U0LEGAL01'] },
    { id: 'policy', name: 'Policy', categories: ['harmful-trend'], members: ['U0POL0001'] },
  ];
  it("when a team names the incident's category, then that team; else the commander's team; else none", () => {
    expect(defaultFollowUpTeam(teams, 'harmful-trend', 'U0LEGAL01')).toBe('policy');
    expect(defaultFollowUpTeam(teams, 'media-inquiry', 'U0LEGAL01')).toBe('legal');
    expect(defaultFollowUpTeam(teams, 'media-inquiry', 'U0NOBODY1')).toBeNull();
    expect(defaultFollowUpTeam(teams, 'media-inquiry', null)).toBeNull();
  });

  it('when the config gives a team categories and members, then they are read; a malformed member is refused by path', () => {
    const parsed = parseMeridianConfig(
      'follow_ups:\n  teams:\n    - { id: policy, name: Policy, categories: [harmful-trend], members: [U0POL0001] }\n  export_private_titles: true\n',
      'yaml',
    );
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    expect(parsed.config.followUps).toMatchObject({
      teams: [{ id: 'policy', categories: ['harmful-trend'], members: ['U0POL0001'] }],
      exportPrivateTitles: true,
    });
    const bad = parseMeridianConfig('follow_ups:\n  teams:\n    - { id: policy, name: Policy, members: [dana] }\n', 'yaml');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.join('\n')).toContain('follow_ups.teams[0].members[0]');
  });
});

describe('editing a follow-up', () => {
  it('when `/incident follow-up edit FU-3` is typed, then 3 is the one to edit; anything else is not an edit', () => {
    expect(parseFollowUpEdit('edit FU-3')).toBe(3);
    expect(parseFollowUpEdit('EDIT 12 ')).toBe(12);
    expect(parseFollowUpEdit('edit the blocklist')).toBeUndefined();
    expect(parseFollowUpEdit('Rate-limit new uploads')).toBeUndefined();
  });

  it('when some fields change, then exactly those are named', () => {
    const before = { title: 'Fix it', ownerId: 'U1', teamId: 'legal', dueAt: at('2026-12-10T23:59:59Z') };
    expect(followUpChanges(before, { ...before })).toEqual([]);
    expect(followUpChanges(before, { ...before, ownerId: 'U2', dueAt: at('2026-12-11T23:59:59Z') })).toEqual(['owner', 'due']);
    expect(followUpChanges(before, { ...before, title: 'Fix it now', teamId: null })).toEqual(['title', 'team']);
  });
});
