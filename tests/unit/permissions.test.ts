import { describe, expect, it } from 'vitest';
import { canChangeIncident, changeRefusalMessage } from '../../src/domain/permissions.js';

const incident = { commanderId: 'U0CMDR0001', declaredBy: 'U0DECL0001' };
const admins = ['U0ADMIN001', 'U0ADMIN002'];

describe('canChangeIncident', () => {
  it('lets the commander change the incident', () => {
    expect(canChangeIncident({ userId: 'U0CMDR0001', incident, admins })).toBe(true);
  });

  it('lets the declarer change the incident', () => {
    expect(canChangeIncident({ userId: 'U0DECL0001', incident, admins })).toBe(true);
  });

  it('lets every admin change the incident', () => {
    for (const admin of admins) expect(canChangeIncident({ userId: admin, incident, admins })).toBe(true);
  });

  it('refuses anyone else', () => {
    expect(canChangeIncident({ userId: 'U0OTHER001', incident, admins })).toBe(false);
  });

  it('lets the declarer change an incident that has no commander yet', () => {
    const noCommander = { commanderId: null, declaredBy: 'U0DECL0001' };
    expect(canChangeIncident({ userId: 'U0DECL0001', incident: noCommander, admins: [] })).toBe(true);
    expect(canChangeIncident({ userId: 'U0OTHER001', incident: noCommander, admins: [] })).toBe(false);
  });

  it('compares ids exactly, without case folding or trimming', () => {
    expect(canChangeIncident({ userId: 'u0cmdr0001', incident, admins })).toBe(false);
    expect(canChangeIncident({ userId: ' U0CMDR0001', incident, admins })).toBe(false);
  });

  it('treats an empty user id as nobody, even if a record holds an empty id', () => {
    expect(canChangeIncident({ userId: '', incident: { commanderId: '', declaredBy: '' }, admins: [''] })).toBe(false);
  });

  it('refuses everyone but the declarer when there are no admins', () => {
    expect(canChangeIncident({ userId: 'U0ADMIN001', incident, admins: [] })).toBe(false);
  });
});

describe('changeRefusalMessage', () => {
  it('names the commander and the declarer', () => {
    expect(changeRefusalMessage(incident)).toBe(
      'Only the commander (<@U0CMDR0001>), the declarer (<@U0DECL0001>) or an admin can change this incident.',
    );
  });

  it('names one person once when the declarer is also the commander', () => {
    expect(changeRefusalMessage({ commanderId: 'U0DECL0001', declaredBy: 'U0DECL0001' })).toBe(
      'Only the commander and declarer (<@U0DECL0001>) or an admin can change this incident.',
    );
  });

  it('names only the declarer when nobody is commander yet', () => {
    expect(changeRefusalMessage({ commanderId: null, declaredBy: 'U0DECL0001' })).toBe(
      'Only the declarer (<@U0DECL0001>) or an admin can change this incident.',
    );
  });

  it('never writes an id that is not a user id into a mention', () => {
    expect(changeRefusalMessage({ commanderId: '<!channel>', declaredBy: 'U0DECL0001|x' })).toBe(
      'Only the commander, the declarer or an admin can change this incident.',
    );
  });
});
