import { describe, expect, it } from 'vitest';
import {
  INCIDENT_ROLES,
  isIncidentRole,
  parseRoleAssignment,
  parseRoleName,
  ROLE_CHOICES,
  ROLE_LABEL,
  type IncidentRole,
} from '../../src/domain/roles.js';
import { isSlackUserId, mentionOf } from '../../src/domain/slack-user.js';

const CHOICES = '`commander`, `comms lead`, `scribe`, `legal`, `policy`, `comms liaison`, `engineering`';

describe('roles', () => {
  it('labels every role for people', () => {
    expect(INCIDENT_ROLES.map((role) => ROLE_LABEL[role])).toEqual([
      'Commander',
      'Communications lead',
      'Scribe',
      'Legal liaison',
      'Public policy liaison',
      'Communications liaison',
      'Engineering liaison',
    ]);
  });

  it('suggests one typed name per role, in the listed order', () => {
    expect(ROLE_CHOICES).toBe(CHOICES);
  });

  it('recognises role ids read from the database', () => {
    for (const role of INCIDENT_ROLES) expect(isIncidentRole(role)).toBe(true);
    for (const other of ['Commander', 'comms', 'liaison', '', null, 1]) expect(isIncidentRole(other)).toBe(false);
  });
});

describe('parseRoleName', () => {
  const typed: [string, IncidentRole][] = [
    ['commander', 'commander'],
    ['Commander', 'commander'],
    ['incident commander', 'commander'],
    ['IC', 'commander'],
    ['comms', 'comms_lead'],
    ['comms lead', 'comms_lead'],
    ['comms_lead', 'comms_lead'],
    ['Communications Lead', 'comms_lead'],
    ['communications', 'comms_lead'],
    ['scribe', 'scribe'],
    ['note-taker', 'scribe'],
    ['legal', 'liaison_legal'],
    ['Legal liaison', 'liaison_legal'],
    ['liaison_legal', 'liaison_legal'],
    ['policy', 'liaison_policy'],
    ['public policy', 'liaison_policy'],
    ['Public Policy Liaison', 'liaison_policy'],
    ['comms liaison', 'liaison_comms'],
    ['communications liaison', 'liaison_comms'],
    ['liaison_comms', 'liaison_comms'],
    ['engineering', 'liaison_engineering'],
    ['eng', 'liaison_engineering'],
    ['engineering liaison', 'liaison_engineering'],
    ['  LEGAL   liaison ', 'liaison_legal'],
  ];

  it.each(typed)('reads %j as %s', (text, role) => {
    expect(parseRoleName(text)).toBe(role);
  });

  it('reads every role id as itself', () => {
    for (const role of INCIDENT_ROLES) expect(parseRoleName(role)).toBe(role);
  });

  it('reads every suggested name as a role', () => {
    for (const name of CHOICES.replace(/`/g, '').split(', ')) expect(parseRoleName(name)).not.toBeNull();
  });

  it.each(['', '   ', 'lead', 'liaison', 'admin', 'commanderx', 'legal legal', 'product'])('answers null for %j', (text) => {
    expect(parseRoleName(text)).toBeNull();
  });
});

describe('parseRoleAssignment', () => {
  it('reads a mention with a name and a role', () => {
    expect(parseRoleAssignment('<@U0ALICE01|alice> comms lead')).toEqual({ ok: true, userId: 'U0ALICE01', role: 'comms_lead' });
  });

  it('reads a mention without a name', () => {
    expect(parseRoleAssignment('<@U0ALICE01> scribe')).toEqual({ ok: true, userId: 'U0ALICE01', role: 'scribe' });
  });

  it('reads the role before the mention too', () => {
    expect(parseRoleAssignment('legal liaison <@W0GRID001|bo>')).toEqual({ ok: true, userId: 'W0GRID001', role: 'liaison_legal' });
  });

  it('accepts "as" between the person and the role', () => {
    expect(parseRoleAssignment('<@U0ALICE01> as Commander')).toEqual({ ok: true, userId: 'U0ALICE01', role: 'commander' });
  });

  it('ignores extra spaces and case', () => {
    expect(parseRoleAssignment('   <@U0ALICE01|Alice Smith>    PUBLIC   policy  ')).toEqual({
      ok: true,
      userId: 'U0ALICE01',
      role: 'liaison_policy',
    });
  });

  it('explains the command when nothing was typed', () => {
    expect(parseRoleAssignment('  ')).toEqual({
      ok: false,
      error: `Say who gets which role: \`/incident role @person <role>\`. Roles: ${CHOICES}.`,
    });
  });

  it('asks for a mention when there is none', () => {
    expect(parseRoleAssignment('scribe')).toEqual({
      ok: false,
      error: 'Mention the person who gets the role: `/incident role @person <role>`.',
    });
  });

  it('explains how to mention when the @ reached us as plain text', () => {
    const result = parseRoleAssignment('@alice scribe');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^I could not tell who that @ is\./);
  });

  it('refuses a user group', () => {
    expect(parseRoleAssignment('<!subteam^S0LEGAL01|@legal> legal')).toEqual({
      ok: false,
      error: 'Give a role to one person, not a user group: `/incident role @person <role>`.',
    });
  });

  it('refuses two people at once', () => {
    expect(parseRoleAssignment('<@U0ALICE01> <@U0BOB0001> scribe')).toEqual({
      ok: false,
      error: 'Give a role to one person at a time: `/incident role @person <role>`.',
    });
  });

  it('refuses a mention whose id is not a user id', () => {
    expect(parseRoleAssignment('<@hello|x> scribe')).toEqual({
      ok: false,
      error: 'Mention a person with @: `/incident role @person <role>`.',
    });
  });

  it('asks for the role, naming the person, when only a mention was given', () => {
    expect(parseRoleAssignment('<@U0ALICE01|alice>')).toEqual({
      ok: false,
      error: `Say which role to give <@U0ALICE01>. Roles: ${CHOICES}.`,
    });
  });

  it('quotes an unknown role and lists the valid ones', () => {
    expect(parseRoleAssignment('<@U0ALICE01> Janitor')).toEqual({
      ok: false,
      error: `“janitor” is not a role. Roles: ${CHOICES}.`,
    });
  });

  it('does not quote an unknown role holding markup', () => {
    expect(parseRoleAssignment('<@U0ALICE01> <!channel> *boss*')).toEqual({
      ok: false,
      error: `That is not a role. Roles: ${CHOICES}.`,
    });
  });

  it('does not quote a very long unknown role', () => {
    const result = parseRoleAssignment(`<@U0ALICE01> ${'a'.repeat(41)}`);
    expect(result).toEqual({ ok: false, error: `That is not a role. Roles: ${CHOICES}.` });
  });
});

describe('Slack user ids', () => {
  it('builds mentions only from user ids', () => {
    expect(mentionOf('U0ALICE01')).toBe('<@U0ALICE01>');
    expect(mentionOf('W0GRID001')).toBe('<@W0GRID001>');
    for (const bad of ['', 'u0alice01', 'C0CHANNEL', 'U0A>|<!channel', null, undefined]) expect(mentionOf(bad)).toBeNull();
    expect(isSlackUserId(42)).toBe(false);
  });
});
