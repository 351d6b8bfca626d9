import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { configFormatOf, defaultMeridianConfig, loadMeridianConfig, parseMeridianConfig } from '../../src/config-file/load.js';

const EXAMPLE_PATH = 'config/meridian.example.yaml';

async function exampleText(): Promise<string> {
  return readFile(EXAMPLE_PATH, 'utf8');
}

/** The example as plain data, changed by `edit`, then validated as JSON. */
async function errorsAfter(edit: (file: any) => void): Promise<string[]> {
  const file = parseYaml(await exampleText());
  edit(file);
  const result = parseMeridianConfig(JSON.stringify(file), 'json');
  return result.ok ? [] : result.errors;
}

describe('the example config', () => {
  it('loads cleanly from the repository', async () => {
    const result = await loadMeridianConfig(EXAMPLE_PATH);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('comes out camelCase with times, dates and people parsed', async () => {
    const result = await loadMeridianConfig(EXAMPLE_PATH);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const { config } = result;
    const apac = config.schedules[0]?.layers[0];
    expect(apac?.timeZone).toBe('Asia/Singapore');
    expect(apac?.coverage).toEqual({
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      from: { hour: 9, minute: 0 },
      to: { hour: 18, minute: 0 },
    });
    expect(apac?.rotation.every).toEqual({ count: 1, unit: 'week' });
    expect(apac?.rotation.starts).toEqual({ year: 2026, month: 1, day: 5 });
    expect(apac?.rotation.members[0]).toEqual({ kind: 'user', userId: 'U0SGA0001' });
    expect(config.schedules[0]?.overrides[0]?.from).toEqual(new Date('2026-12-24T17:00:00Z'));
    expect(config.escalationPolicies[0]?.steps[1]).toEqual({
      targets: [
        { kind: 'user', user: { kind: 'user', userId: 'U0LEAD0001' } },
        { kind: 'usergroup', usergroupId: 'S0TNSLEAD1' },
      ],
      waitMinutes: 10,
    });
    expect(config.escalationPolicies[0]?.repeat).toBe(2);
    expect(config.escalationPolicies[1]?.name).toBe('standard');
    expect(config.severities.sev4).toEqual({ label: 'SEV4 Low', policyId: 'standard', updateEveryMinutes: null, invite: [] });
    expect(config.categories.find((category) => category.id === 'child-safety')?.private).toBe(true);
    expect(config.categories.find((category) => category.id === 'regulator-request')?.policyId).toBe('urgent');
  });

  it('reads the same config from JSON with the same shape', async () => {
    const fromYaml = parseMeridianConfig(await exampleText(), 'yaml');
    const fromJson = parseMeridianConfig(JSON.stringify(parseYaml(await exampleText())), 'json');
    expect(fromJson).toEqual(fromYaml);
  });
});

describe('defaults', () => {
  it('fills in severities and the built-in categories when the file leaves them out', () => {
    const result = parseMeridianConfig('admins: [U0ADMIN001]\n', 'yaml');
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.config.severities.sev1).toEqual({ label: 'SEV1 Critical', policyId: null, updateEveryMinutes: 30, invite: [] });
    expect(result.config.severities.sev3.updateEveryMinutes).toBe(240);
    expect(result.config.severities.sev4.updateEveryMinutes).toBeNull();
    expect(result.config.categories.map((category) => category.id)).toEqual([
      'harmful-trend',
      'regulator-request',
      'media-inquiry',
      'partner-escalation',
      'child-safety',
      'self-harm',
      'account-search-safety',
      'tooling-outage',
      'other',
    ]);
    expect(result.config.categories.filter((category) => category.private).map((category) => category.id)).toEqual([
      'child-safety',
      'self-harm',
    ]);
  });

  it('keeps the defaults of a severity key the file does not set', () => {
    const result = parseMeridianConfig('severities:\n  sev2: { label: "SEV2 High" }\n', 'yaml');
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.config.severities.sev2).toEqual({ label: 'SEV2 High', policyId: null, updateEveryMinutes: 60, invite: [] });
  });

  it('treats an empty file like no file, and offers the same config without one', () => {
    const empty = parseMeridianConfig('', 'yaml');
    expect(empty).toEqual({ ok: true, config: defaultMeridianConfig() });
    expect(defaultMeridianConfig().schedules).toEqual([]);
  });
});

describe('errors name the exact path', () => {
  it('reports a bad handoff time at its path', async () => {
    expect(
      await errorsAfter((f) => {
        f.schedules[0].layers[2].rotation.handoff = '9am';
      }),
    ).toEqual(['schedules[0].layers[2].rotation.handoff: expected HH:MM']);
  });

  it('reports an unknown time zone', async () => {
    expect(
      await errorsAfter((f) => {
        f.schedules[0].layers[1].timezone = 'Europe/Atlantis';
      }),
    ).toEqual(['schedules[0].layers[1].timezone: expected an IANA time zone such as Europe/Dublin']);
  });

  it('when reports.weekly.timezone is UTC, as a schedule layer may say, then it is accepted; an abbreviation is still refused', async () => {
    expect(
      await errorsAfter((f) => {
        f.reports.weekly.timezone = 'UTC';
        f.schedules[0].layers[1].timezone = 'UTC';
      }),
    ).toEqual([]);
    expect(
      await errorsAfter((f) => {
        f.reports.monthly.timezone = 'EST';
      }),
    ).toEqual(['reports.monthly.timezone: expected an IANA time zone such as Europe/Dublin']);
  });

  it('reports a member that is neither a Slack user id nor an e-mail', async () => {
    expect(
      await errorsAfter((f) => {
        f.schedules[0].layers[0].rotation.members[1] = 'alice';
      }),
    ).toEqual(['schedules[0].layers[0].rotation.members[1]: expected a Slack user id (U... or W...) or an e-mail']);
  });

  it('accepts a member given by e-mail', async () => {
    expect(
      await errorsAfter((f) => {
        f.schedules[0].layers[0].rotation.members[1] = 'alice@example.com';
      }),
    ).toEqual([]);
  });

  it('reports a bad user group id and a bad rotation length', async () => {
    expect(
      await errorsAfter((f) => {
        f.escalation_policies[0].steps[1].notify[1].usergroup = 'G0TNS';
        f.schedules[0].layers[3].rotation.every = '1 fortnight';
      }),
    ).toEqual([
      'schedules[0].layers[3].rotation.every: expected "N day(s)" or "N week(s)" with N at least 1',
      'escalation_policies[0].steps[1].notify[1].usergroup: expected a Slack user group id (S...)',
    ]);
  });

  it('reports references to a schedule or policy that does not exist', async () => {
    expect(
      await errorsAfter((f) => {
        f.escalation_policies[1].steps[0].notify[0].schedule = 'tns-moon';
        f.severities.sev3.policy = 'gentle';
        f.categories[1].policy = 'loud';
      }),
    ).toEqual([
      'escalation_policies[1].steps[0].notify[0].schedule: unknown schedule "tns-moon"',
      'severities.sev3.policy: unknown escalation policy "gentle"',
      'categories[1].policy: unknown escalation policy "loud"',
    ]);
  });

  it('reports an intake source naming a category or a deadline kind that does not exist', async () => {
    expect(
      await errorsAfter((f) => {
        f.intake.sources[0].deadline = 'eu-tco-removal-ordr';
        f.intake.sources[1].category = 'partner';
        f.intake.sources[1].deadline = 'eu-tco-removal-order';
      }),
    ).toEqual([
      'intake.sources[0].deadline: unknown deadline "eu-tco-removal-ordr"',
      'intake.sources[1].category: unknown category "partner"',
    ]);
  });

  it('checks an intake source against the built-in categories when the file lists none', async () => {
    const ok = parseMeridianConfig('intake:\n  sources:\n    - { id: crm, category: child-safety }\n', 'yaml');
    expect(ok.ok ? [] : ok.errors).toEqual([]);
    const bad = parseMeridianConfig('intake:\n  sources:\n    - { id: crm, category: childsafety, deadline: ncmec }\n', 'yaml');
    expect(bad.ok ? [] : bad.errors).toEqual([
      'intake.sources[0].category: unknown category "childsafety"',
      'intake.sources[0].deadline: unknown deadline "ncmec"',
    ]);
  });

  it('reports duplicate ids at the second occurrence', async () => {
    expect(
      await errorsAfter((f) => {
        f.escalation_policies.push({ ...f.escalation_policies[1], id: 'urgent' });
        f.categories[8].id = 'media-inquiry';
        f.schedules[0].layers[3].name = 'APAC';
      }),
    ).toEqual([
      'escalation_policies[2].id: duplicate escalation policy id "urgent"',
      'categories[8].id: duplicate category id "media-inquiry"',
      'schedules[0].layers[3].name: duplicate layer name "APAC"',
    ]);
  });

  it('reports a misspelt key, a missing key and an override that ends before it starts', async () => {
    expect(
      await errorsAfter((f) => {
        f.escalation_policies[0].steps[0].wait_minute = 5;
        delete f.escalation_policies[0].steps[0].wait_minutes;
        f.schedules[0].overrides[0].to = '2026-12-24T16:00:00Z';
      }),
    ).toEqual([
      'schedules[0].overrides[0].to: expected to be after from',
      'escalation_policies[0].steps[0].wait_minutes: required',
      'escalation_policies[0].steps[0].wait_minute: unknown key',
    ]);
  });

  it('reports a target naming two things, and fractional waits are fine', async () => {
    expect(
      await errorsAfter((f) => {
        f.escalation_policies[0].steps[0].notify[0] = { schedule: 'tns-follow-the-sun', user: 'U0LEAD0001' };
        f.escalation_policies[0].steps[1].wait_minutes = 0.05;
      }),
    ).toEqual(['escalation_policies[0].steps[0].notify[0]: expected exactly one of schedule, user, usergroup']);
  });

  it('reports every error of a file at once, shape and references together', async () => {
    const errors = await errorsAfter((f) => {
      f.admins = ['root'];
      f.schedules[0].layers[0].coverage.days = ['mon', 'someday'];
      f.schedules[0].layers[2].coverage.to = '24:00';
      f.schedules[0].layers[3].rotation.starts = '2026-02-30';
      f.escalation_policies[0].repeat = -1;
      f.severities.sev1.policy = 'nope';
      f.categories[0].default_severity = 'sev9';
    });
    expect(errors).toEqual([
      'admins[0]: expected a Slack user id (U... or W...)',
      'schedules[0].layers[0].coverage.days[1]: expected one of sun, mon, tue, wed, thu, fri, sat',
      'schedules[0].layers[2].coverage.to: expected HH:MM',
      'schedules[0].layers[3].rotation.starts: expected YYYY-MM-DD',
      'escalation_policies[0].repeat: expected a whole number, 0 or more',
      'categories[0].default_severity: expected one of sev1, sev2, sev3, sev4',
      'severities.sev1.policy: unknown escalation policy "nope"',
    ]);
  });

  it('reports a YAML syntax error with its line and column', () => {
    const result = parseMeridianConfig('schedules:\n  - id: a\n    layers: [\n', 'yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/^line \d+, column \d+: invalid YAML: /);
  });

  it('reports a file whose top level is not a mapping', () => {
    expect(parseMeridianConfig('[1, 2]', 'json')).toEqual({ ok: false, errors: ['(top level): expected object, received array'] });
  });
});

describe('loading a file', () => {
  it('tells YAML from JSON by extension, else by content', () => {
    expect(configFormatOf('meridian.json', 'a: 1')).toBe('json');
    expect(configFormatOf('meridian.yml', '{}')).toBe('yaml');
    expect(configFormatOf('meridian.conf', '  {"admins": []}')).toBe('json');
    expect(configFormatOf('meridian.conf', 'admins: []')).toBe('yaml');
  });

  it('loads a JSON file and reports a file that cannot be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meridian-config-'));
    const path = join(dir, 'meridian.json');
    await writeFile(path, JSON.stringify({ admins: ['U0ADMIN001'] }));
    const loaded = await loadMeridianConfig(path);
    expect(loaded.ok && loaded.config.admins).toEqual(['U0ADMIN001']);
    const missing = await loadMeridianConfig(join(dir, 'absent.yaml'));
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.errors[0]).toContain('cannot read the config file');
  });
});

describe('stakeholder invites', () => {
  it('reads invite lists on severities and categories, users by id or e-mail and user groups', () => {
    const result = parseMeridianConfig(
      [
        'severities:',
        '  sev1: { invite: [{ usergroup: S0LEGAL001 }, { user: comms@example.org }] }',
        'categories:',
        '  - { id: regulator-request, name: Regulator, invite: [{ user: U0POLICY01 }] }',
      ].join('\n'),
      'yaml',
    );
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.config.severities.sev1.invite).toEqual([
      { kind: 'usergroup', usergroupId: 'S0LEGAL001' },
      { kind: 'user', user: { kind: 'email', email: 'comms@example.org' } },
    ]);
    expect(result.config.categories[0]?.invite).toEqual([{ kind: 'user', user: { kind: 'user', userId: 'U0POLICY01' } }]);
  });

  it('refuses an invite naming a schedule, with the exact path', () => {
    const result = parseMeridianConfig('severities:\n  sev1: { invite: [{ schedule: tns }] }\n', 'yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.join('\n')).toContain('severities.sev1.invite[0]');
  });
});
