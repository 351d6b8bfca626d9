import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../src/domain/audit-actions.js';
import { describeAuditFilter, parseAuditFilter } from '../../src/domain/audit-filter.js';

const ok = (args: string) => {
  const result = parseAuditFilter(args);
  if (!result.ok) throw new Error(result.error);
  return result.filter;
};
const error = (args: string) => {
  const result = parseAuditFilter(args);
  if (result.ok) throw new Error(`accepted: ${args}`);
  return result.error;
};

describe('/incident audit filters', () => {
  it('reads an incident, a person, an action and a period in any order, both days included', () => {
    const filter = ok('from 2026-03-01 by <@U0DANA0001|dana> INC-12 to 2026-03-31 action clock.extend');
    expect(filter).toEqual({
      incidentNumber: 12,
      actorId: 'U0DANA0001',
      action: 'clock.extend',
      from: new Date('2026-03-01T00:00:00Z'),
      before: new Date('2026-04-01T00:00:00Z'),
    });
    expect(describeAuditFilter(filter)).toEqual({
      number: 12,
      by: 'U0DANA0001',
      action: 'clock.extend',
      from: '2026-03-01',
      to: '2026-03-31',
    });
    expect(ok('7')).toEqual({ incidentNumber: 7 });
    expect(ok('by U0DANA0001')).toEqual({ actorId: 'U0DANA0001' });
    expect(ok('to 2026-01-31')).toEqual({ before: new Date('2026-02-01T00:00:00Z') });
  });

  it('names the bad filter', () => {
    expect(error('')).toMatch(/^Ask for/);
    expect(error('by dana')).toMatch(/^`by`: `dana` is not a person/);
    expect(error('action clock.stretch')).toMatch(/^`action`: `clock.stretch` is not an audit action\. Known actions: audit_viewed, /);
    expect(error('from 2026-02-30')).toMatch(/^`from`: `2026-02-30` is not a date/);
    expect(error('to yesterday')).toMatch(/^`to`: `yesterday` is not a date/);
    expect(error('from 2026-03-02 to 2026-03-01')).toMatch(/^`to` \(2026-03-01\) is before `from` \(2026-03-02\)/);
    expect(error('INC-1 by')).toMatch(/^The `by` filter needs a value/);
    expect(error('action clock.clear action clock.extend')).toMatch(/^The `action` filter is given twice/);
    expect(error('INC-1 INC-2')).toMatch(/^I don't know the filter `INC-2`/);
    expect(error('since 2026-01-01')).toMatch(/^I don't know the filter `since`/);
    expect(error('action <!here>')).toMatch(/^`action`: `&lt;!here&gt;` is not an audit action/);
  });

  it('docs/retention.md lists exactly the audit actions the code may write', () => {
    const doc = readFileSync(new URL('../../docs/retention.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('### Audit actions'));
    const listed = [...section.matchAll(/^\| `([a-z0-9_.]+)` \|/gm)].map((m) => m[1]);
    expect(new Set(listed)).toEqual(new Set(AUDIT_ACTIONS));
    expect(listed).toHaveLength(AUDIT_ACTIONS.length);
  });
});
