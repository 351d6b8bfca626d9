import { describe, expect, it } from 'vitest';
import { stakeholdersFor } from '../../src/domain/incident-policy.js';

const config = {
  categories: [
    {
      id: 'child-safety',
      name: 'Child safety',
      defaultSeverity: 'sev1',
      policyId: null,
      private: true,
      sensitive: true,
      invite: [{ kind: 'user', user: { kind: 'user', userId: 'U0LEGAL01' } }],
    },
    { id: 'outage', name: 'Outage', defaultSeverity: 'sev2', policyId: null, private: false, sensitive: false, invite: [] },
  ],
  severities: { sev1: { invite: [{ kind: 'usergroup', usergroupId: 'S0LEADS01' }] } },
} as unknown as Parameters<typeof stakeholdersFor>[0];

describe('stakeholdersFor', () => {
  it('when the category is sensitive, then only the people the category names are invited, not the severity group', () => {
    expect(stakeholdersFor(config, { severity: 'sev1', category: 'child-safety' })).toEqual([
      { kind: 'user', user: { kind: 'user', userId: 'U0LEGAL01' } },
    ]);
  });

  it('when the category does not restrict access, then the category and severity stakeholders are both invited', () => {
    expect(stakeholdersFor(config, { severity: 'sev1', category: 'outage' })).toEqual([{ kind: 'usergroup', usergroupId: 'S0LEADS01' }]);
  });
});
