import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/blocks/catalog.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import type { Incident } from '../../src/db/repos/incidents.js';
import type { ReviewRecord, RoleRow, TimelineRow } from '../../src/db/repos/review.js';
import { displayNames } from '../../src/services/review/display-names.js';
import { peopleInRecord, reviewHubs, toReviewInput } from '../../src/services/review/review-input.js';

const at = (iso: string) => new Date(iso);
const catalog: Catalog = {
  severities: {
    sev1: { label: 'SEV1 Critical' },
    sev2: { label: 'SEV2 Major' },
    sev3: { label: 'SEV3 Minor' },
    sev4: { label: 'SEV4 Low' },
  },
  categories: [{ id: 'harmful-trend', name: 'Harmful trend or challenge', defaultSeverity: 'sev2', private: false }],
};

function layer(name: string, timeZone: string) {
  return {
    name,
    timeZone,
    coverage: { days: [], from: { hour: 9, minute: 0 }, to: { hour: 18, minute: 0 } },
    rotation: { members: [], every: { count: 1, unit: 'week' }, handoff: { hour: 9, minute: 0 }, starts: { year: 2026, month: 1, day: 5 } },
  };
}

function schedules(...layers: ReturnType<typeof layer>[][]): MeridianConfig['schedules'] {
  return layers.map((l, i) => ({ id: `s${i}`, name: `S${i}`, layers: l, overrides: [] })) as unknown as MeridianConfig['schedules'];
}

const incident = {
  id: 'inc-1',
  number: 7,
  title: 'Blackout challenge',
  summary: 'Spreading',
  severity: 'sev2',
  category: 'harmful-trend',
  status: 'resolved',
  isPrivate: false,
  declaredBy: 'U0DECL001',
  commanderId: 'U0DECL001',
  declaredAt: at('2026-03-02T08:00:00Z'),
  acknowledgedAt: null,
  mitigatedAt: null,
  resolvedAt: at('2026-03-02T09:00:00Z'),
  closedAt: null,
  resolutionSummary: null,
  mitigation: null,
  followUps: ['Retrain', '  ', { text: 'Update playbook', ownerId: 'U0LEGAL01', done: true }],
} as unknown as Incident;

function entry(kind: string, iso: string, actorId: string | null = null): TimelineRow {
  return { kind, at: at(iso), actorId, text: kind } as TimelineRow;
}

function record(overrides: Partial<ReviewRecord> = {}): ReviewRecord {
  return {
    incident,
    timeline: [entry('declared', '2026-03-02T08:00:00Z', 'U0DECL001'), entry('review_posted', '2026-03-02T09:01:00Z', 'U0RESP001')],
    roles: [],
    firstAcknowledgedAt: null,
    ...overrides,
  };
}

describe('the hubs a review shows', () => {
  it('each layer zone once, named after its first layer, in config order', () => {
    const hubs = reviewHubs(
      schedules(
        [layer('APAC', 'Asia/Singapore'), layer('EMEA', 'Europe/Dublin'), layer('Weekend', 'Europe/Dublin')],
        [layer('AMER', 'America/Los_Angeles'), layer('SG backup', 'Asia/Singapore')],
      ),
    );
    expect(hubs).toEqual([
      { name: 'APAC', timeZone: 'Asia/Singapore' },
      { name: 'EMEA', timeZone: 'Europe/Dublin' },
      { name: 'AMER', timeZone: 'America/Los_Angeles' },
    ]);
  });

  it('no schedules, a UTC layer or an unknown zone add no column: UTC is always shown', () => {
    expect(reviewHubs([])).toEqual([]);
    expect(reviewHubs(schedules([layer('Ops', 'UTC'), layer('Mars', 'Mars/Olympus_Mons')]))).toEqual([]);
  });
});

describe('the renderer input drawn from a record', () => {
  it('leaves earlier review postings out of the timeline', () => {
    expect(toReviewInput(record(), { catalog, hubs: [] }).timeline.map((t) => t.text)).toEqual(['declared']);
  });

  it('names the incident commander when no role row does, and keeps role rows otherwise', () => {
    expect(toReviewInput(record(), { catalog, hubs: [] }).roles).toEqual([{ role: 'commander', userId: 'U0DECL001' }]);
    const roles = [
      { role: 'commander', userId: 'U0RESP001', assignedAt: at('2026-03-02T08:05:00Z') },
      { role: 'not_a_role', userId: 'U0RESP002', assignedAt: at('2026-03-02T08:06:00Z') },
    ] as RoleRow[];
    expect(toReviewInput(record({ roles }), { catalog, hubs: [] }).roles).toEqual([{ role: 'commander', userId: 'U0RESP001' }]);
  });

  it('takes the first page acknowledgement when the incident has no stamp of its own', () => {
    const input = toReviewInput(record({ firstAcknowledgedAt: at('2026-03-02T08:04:00Z') }), { catalog, hubs: [] });
    expect(input.acknowledgedAt).toEqual(at('2026-03-02T08:04:00Z'));
  });

  it('reads follow-ups stored as strings or objects, skipping blank ones', () => {
    expect(toReviewInput(record(), { catalog, hubs: [] }).followUps).toEqual([
      { text: 'Retrain' },
      { text: 'Update playbook', ownerId: 'U0LEGAL01', done: true },
    ]);
  });

  it('uses the catalog for severity and category names', () => {
    expect(toReviewInput(record(), { catalog, hubs: [] })).toMatchObject({
      severityLabel: 'SEV2 Major',
      category: 'Harmful trend or challenge',
    });
  });

  it('lists everyone the review names once, and not whoever posted an earlier draft', () => {
    expect(peopleInRecord(record()).sort()).toEqual(['U0DECL001', 'U0LEGAL01']);
  });
});

describe('display names for a review', () => {
  const logger = pino({ level: 'silent' });

  it('a person Slack cannot find, or who is not found in time, is left out (shown by id)', async () => {
    const slack = {
      userInfo: async (id: string) => {
        if (id === 'U0GONE001') throw new Error('user_not_found');
        if (id === 'U0SLOW001') await new Promise((r) => setTimeout(r, 200));
        return { id, name: 'x', realName: `Name of ${id}`, tz: 'UTC', tzLabel: 'UTC', isBot: false };
      },
    };
    const names = await displayNames({ slack, logger }, ['U0DECL001', 'U0GONE001', 'U0SLOW001'], 50);
    expect(names).toEqual({ U0DECL001: 'Name of U0DECL001' });
  });
});

describe('the review timeline names people and instants as a reader reads them', () => {
  it('when entries carry people in their data, then the review shows names, not ids or counts, and clock lines show UTC times, not ISO instants', () => {
    const rows = [
      {
        kind: 'role_assigned',
        at: at('2026-03-02T08:05:00Z'),
        actorId: 'U0DECL001',
        text: 'Legal liaison: U0LEGAL01',
        data: { role: 'liaison_legal', userId: 'U0LEGAL01' },
      },
      {
        kind: 'paged',
        at: at('2026-03-02T08:06:00Z'),
        actorId: null,
        text: 'Escalation step 1: paged 1',
        data: { stepNumber: 0, userIds: ['U0ONCALL1'] },
      },
      {
        kind: 'stakeholders_invited',
        at: at('2026-03-02T08:07:00Z'),
        actorId: null,
        text: 'Stakeholders invited: 1',
        data: { userIds: ['U0STAKE01'] },
      },
      {
        kind: 'clock_set',
        at: at('2026-03-02T08:08:00Z'),
        actorId: null,
        text: 'Clock set: Reply, due 2026-03-02T09:08:00.000Z',
        data: {},
      },
    ] as unknown as TimelineRow[];
    const input = toReviewInput(record({ timeline: rows }), {
      catalog,
      hubs: [],
      people: { U0LEGAL01: 'Lena Fischer', U0ONCALL1: 'Mei Lin', U0STAKE01: 'Priya Rao' },
    });
    expect(input.timeline.map((t) => t.text)).toEqual([
      'Legal liaison: @Lena Fischer',
      'Escalation step 1: paged @Mei Lin',
      'Stakeholders invited: @Priya Rao',
      'Clock set: Reply, due 2026-03-02 09:08 UTC',
    ]);
    expect(peopleInRecord(record({ timeline: rows }))).toEqual(expect.arrayContaining(['U0LEGAL01', 'U0ONCALL1', 'U0STAKE01']));
  });

  it('when the severity changed, then the severity history says from what to what, raised or lowered, and who', () => {
    const rows = [
      {
        kind: 'severity_changed',
        at: at('2026-03-02T08:10:00Z'),
        actorId: 'U0DECL001',
        text: 'Severity sev2 -> sev1: worse',
        data: { from: 'sev2', to: 'sev1' },
      },
      {
        kind: 'severity_changed',
        at: at('2026-03-02T08:40:00Z'),
        actorId: 'U0DECL001',
        text: 'Severity sev1 -> sev2: contained',
        data: { from: 'sev1', to: 'sev2' },
      },
    ] as unknown as TimelineRow[];
    const input = toReviewInput(record({ timeline: rows }), { catalog, hubs: [] });
    expect(input.severityHistory).toEqual([
      { at: at('2026-03-02T08:10:00Z'), fromLabel: 'SEV2 Major', toLabel: 'SEV1 Critical', raised: true, actorId: 'U0DECL001' },
      { at: at('2026-03-02T08:40:00Z'), fromLabel: 'SEV1 Critical', toLabel: 'SEV2 Major', raised: false, actorId: 'U0DECL001' },
    ]);
  });
});
