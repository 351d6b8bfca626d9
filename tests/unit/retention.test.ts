import { describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import {
  activeHolds,
  dutyHoldUntil,
  nextPurgeRun,
  parseRedactTarget,
  redactedText,
  redactTargetValue,
  parseHoldRequest,
  purgeDueAt,
  type RetentionConfig,
} from '../../src/domain/retention.js';

const DAY = 24 * 60 * 60 * 1000;
const TCO = { deadlineId: 'eu-tco-removal-order', days: 183, source: 'Regulation (EU) 2021/784, Art. 6' };

function configWith(retention: string): string[] {
  const yaml = `
deadlines:
  - { id: eu-tco-removal-order, name: "EU TCO removal order", within_minutes: 60, source: "Regulation (EU) 2021/784, Art. 3(3)" }
categories:
  - { id: regulator-request, name: "Regulator request", default_severity: sev2, deadline: eu-tco-removal-order }
  - { id: other, name: "Other", default_severity: sev3 }
intake:
  sources:
    - { id: portal, name: "Portal", category: other, deadline: eu-tco-removal-order }
retention:
${retention}
`;
  const parsed = parseMeridianConfig(yaml, 'yaml');
  return parsed.ok ? [] : parsed.errors;
}

describe('retention config', () => {
  it('when a category that starts a TCO clock keeps its text shorter than the TCO duty, then the config is refused naming the path and the law', () => {
    const errors = configWith(`  default_days: 400
  categories: { regulator-request: 90, other: 100 }
  holds: [{ deadline: eu-tco-removal-order, days: 183, source: "Regulation (EU) 2021/784, Art. 6" }]`);
    expect(errors.join('\n')).toContain('retention.categories.regulator-request');
    expect(errors.join('\n')).toContain('Regulation (EU) 2021/784, Art. 6');
    // The intake source's category starts the clock too.
    expect(errors.join('\n')).toContain('retention.categories.other');
  });

  it('when retention covers every duty, then it loads; without `retention:` everything is kept', () => {
    expect(
      configWith(`  default_days: 730
  holds: [{ deadline: eu-tco-removal-order, days: 183, source: "Regulation (EU) 2021/784, Art. 6" }]
  may_redact: [U0LEGAL001]`),
    ).toEqual([]);
    expect(purgeDueAt(undefined, { category: 'other', closedAt: new Date(0) })).toBeNull();
  });

  it('when may_hold and may_redact name Slack user groups, then they load as group ids; anything else is refused at its path', () => {
    const parsed = parseMeridianConfig(
      'retention:\n  may_hold: [U0LEGAL001, S0LEGALGRP, { usergroup: S0COUNSEL1 }]\n  may_redact: [{ user: U0PRIV0001 }]\n',
      'yaml',
    );
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    expect(parsed.config.retention?.mayHold).toEqual(['U0LEGAL001', 'S0LEGALGRP', 'S0COUNSEL1']);
    expect(parsed.config.retention?.mayRedact).toEqual(['U0PRIV0001']);
    expect(configWith('  may_redact: [legal-team]').join('\n')).toContain('retention.may_redact');
    expect(configWith('  may_hold: [{ usergroup: U0LEGAL001 }]').join('\n')).toContain('retention.may_hold');
  });

  it('when retention names an unknown category or a non-positive period, then each is refused at its path', () => {
    const errors = configWith(`  default_days: 0
  categories: { nowhere: 10 }`).join('\n');
    expect(errors).toContain('retention.default_days');
    expect(errors).toContain('retention.categories.nowhere');
  });
});

describe('legal holds and the purge schedule', () => {
  const config: RetentionConfig = { defaultDays: 30, categories: { other: 10 }, holds: [TCO], mayRedact: [], mayHold: [] };
  const t0 = new Date('2027-01-04T10:00:00Z');

  it('when a TCO clock started, then a duty hold runs 183 days from its start; a released or ended manual hold holds nothing', () => {
    const clocks = [
      { kindId: 'eu-tco-removal-order', startedAt: t0 },
      { kindId: 'other-kind', startedAt: t0 },
    ];
    const manual = [
      { reason: 'litigation', heldBy: 'U1', heldAt: t0, until: null, releasedAt: new Date(t0.getTime() + DAY) },
      { reason: 'short', heldBy: 'U1', heldAt: t0, until: new Date(t0.getTime() + 5 * DAY), releasedAt: null },
    ];
    const at = (days: number) => new Date(t0.getTime() + days * DAY);
    expect(activeHolds(manual, clocks, [TCO], at(2)).map((h) => h.kind)).toEqual(['manual', 'duty']);
    expect(activeHolds(manual, clocks, [TCO], at(6)).map((h) => [h.kind, h.until?.toISOString()])).toEqual([
      ['duty', at(183).toISOString()],
    ]);
    expect(activeHolds(manual, clocks, [TCO], at(183))).toEqual([]);
  });

  it('when a duty clock was answered or cleared, then its hold runs from that act; a stored hold outlives its clock and is not counted twice', () => {
    const at = (days: number) => new Date(t0.getTime() + days * DAY);
    expect(dutyHoldUntil(TCO, t0)).toEqual(at(183));
    expect(dutyHoldUntil(TCO, t0, at(2))).toEqual(at(185));
    expect(dutyHoldUntil(TCO, t0, at(-1))).toEqual(at(183));
    const stored = [{ clockId: 'c1', source: TCO.source, since: t0, until: at(185) }];
    // The clock itself is gone (cleared): the stored hold still holds.
    expect(activeHolds([], [], [TCO], at(184), stored).map((h) => [h.kind, h.until?.toISOString()])).toEqual([
      ['duty', at(185).toISOString()],
    ]);
    // Still there: one hold, the stored one.
    const clock = { id: 'c1', kindId: TCO.deadlineId, startedAt: t0, respondedAt: null };
    expect(activeHolds([], [clock], [TCO], at(1), stored)).toHaveLength(1);
    expect(activeHolds([], [clock], [TCO], at(186), stored)).toEqual([]);
  });

  it('when an incident closed, then its purge is due after its category’s days (or the default); the daily run is at 03:00 UTC', () => {
    expect(purgeDueAt(config, { category: 'other', closedAt: t0 })).toEqual(new Date(t0.getTime() + 10 * DAY));
    expect(purgeDueAt(config, { category: 'media', closedAt: t0 })).toEqual(new Date(t0.getTime() + 30 * DAY));
    expect(purgeDueAt(config, { category: 'media', closedAt: null })).toBeNull();
    expect(nextPurgeRun(t0).toISOString()).toBe('2027-01-05T03:00:00.000Z');
    expect(nextPurgeRun(new Date('2027-01-05T02:59:59Z')).toISOString()).toBe('2027-01-05T03:00:00.000Z');
  });

  it('when a hold is typed, then it needs a reason and takes an optional real date', () => {
    expect(parseHoldRequest('counsel asked until 2027-06-30')).toEqual({
      reason: 'counsel asked',
      until: new Date('2027-06-30T00:00:00Z'),
    });
    expect(parseHoldRequest('counsel asked')).toEqual({ reason: 'counsel asked', until: null });
    expect(parseHoldRequest('  ')).toHaveProperty('error');
    expect(parseHoldRequest('until 2027-06-30')).toHaveProperty('error');
    expect(parseHoldRequest('x until 2027-02-30')).toHaveProperty('error');
  });
});

describe('redaction targets and the placeholder', () => {
  const id = '0b7c6a52-3f7e-4a55-9a51-6f0a2b1c9d10';
  it('when a Redact button comes back, then its value names an entry, an incident text or a report, and anything else is refused', () => {
    expect(parseRedactTarget(id)).toEqual({ kind: 'entry', id });
    expect(parseRedactTarget(`summary:${id}`)).toEqual({ kind: 'summary', id });
    expect(parseRedactTarget(`report:${id}`)).toEqual({ kind: 'report', id });
    expect(parseRedactTarget(redactTargetValue({ kind: 'resolution_summary', id }))).toEqual({ kind: 'resolution_summary', id });
    expect(parseRedactTarget(`title:${id}`)).toBeUndefined();
    expect(parseRedactTarget('summary:not-a-uuid')).toBeUndefined();
  });

  it('when someone redacts, then the placeholder names them as Slack shows them with their id, never as a mention', () => {
    const at = new Date('2027-01-04T10:00:00Z');
    expect(redactedText({ userId: 'U0LEGAL001', name: 'Dana [Legal]' }, at, 'names a child')).toBe(
      '[redacted by Dana  Legal (U0LEGAL001) on 2027-01-04: names a child]',
    );
    expect(redactedText({ userId: 'U0LEGAL001' }, at, 'x')).toBe('[redacted by U0LEGAL001 on 2027-01-04: x]');
  });
});
