import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { oncallHelpMessage } from '../../src/blocks/oncall-help.js';
import { gapsMessage, loadMessage, nextHandoffsMessage } from '../../src/blocks/oncall-outlook.js';
import { incomingHandoffMessage } from '../../src/blocks/oncall-notices.js';
import { whoIsOnCallMessage, whoLine } from '../../src/blocks/oncall-who.js';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import type { Incident } from '../../src/db/repos/incidents.js';
import { resolveSchedule, type Schedule } from '../../src/domain/schedule.js';
import { loadByPerson, scheduleStatus, upcomingGaps, upcomingHandoffs } from '../../src/domain/schedule-status.js';

function exampleSchedule(): Schedule {
  const parsed = parseMeridianConfig(readFileSync('config/meridian.example.yaml', 'utf8'), 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const resolved = resolveSchedule(parsed.config.schedules[0]!, new Map());
  if (!resolved.ok) throw new Error('example names e-mails');
  return resolved.schedule;
}

const schedule = exampleSchedule();
const epoch = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

describe('rendering who is on call', () => {
  it('names the person, the hub with its local time, and the end of the shift as a date each reader sees in their own zone', () => {
    const at = new Date('2026-03-02T10:30:00Z');
    const line = whoLine(scheduleStatus(schedule, at), at);
    expect(line).toContain('<@U0DUC0003>');
    expect(line).toContain('EMEA (Europe/Dublin, 10:30 Mon)');
    expect(line).toContain(`until <!date^${epoch('2026-03-02T18:00:00Z')}^`);
    expect(line).toContain('then <@U0LAA0001> (AMER)');
  });

  it('shows every hub with its own local time, on duty or not', () => {
    const at = new Date('2026-03-02T10:30:00Z');
    const message = whoIsOnCallMessage({ statuses: [scheduleStatus(schedule, at)], at, now: at });
    const context = JSON.stringify(message.blocks.filter((b) => b.type === 'context'));
    expect(context).toContain('APAC (Asia/Singapore, 18:30 Mon): off duty');
    expect(context).toContain('EMEA (Europe/Dublin, 10:30 Mon): <@U0DUC0003>');
    expect(context).toContain('AMER (America/Los_Angeles, 02:30 Mon): off duty');
    expect(message.text).toContain('*On call now*');
    expect(message.text).toContain('Trust &amp; Safety follow-the-sun');
  });

  it('flags nobody on call, and says when coverage resumes and with whom', () => {
    const at = new Date('2026-03-02T00:30:00Z');
    const line = whoLine(scheduleStatus(schedule, at), at);
    expect(line).toMatch(/^:rotating_light: \*Nobody is on call\* until <!date\^/);
    expect(line).toContain(`<!date^${epoch('2026-03-02T01:00:00Z')}^`);
    expect(line).toContain('then <@U0SGA0001> (APAC)');
  });

  it('shows an override as such', () => {
    const at = new Date('2026-12-25T12:00:00Z');
    const line = whoLine(scheduleStatus(schedule, at), at);
    expect(line).toContain('<@U0OVR0001> by *override*');
    expect(line).toContain(`until <!date^${epoch('2026-12-27T09:00:00Z')}^`);
  });

  it('when an override holds, then the line and the hubs (as App Home shows them) name the hub it covers and the cover in it, not the rotation person', () => {
    // Friday 25 December 12:00 UTC: EMEA's hours, overridden by U0OVR0001.
    const at = new Date('2026-12-25T12:00:00Z');
    const status = scheduleStatus(schedule, at);
    expect(whoLine(status, at)).toContain('<@U0OVR0001> by *override*, for EMEA (Europe/Dublin, 12:00 Fri)');
    const message = whoIsOnCallMessage({ statuses: [status], at, now: at });
    const context = JSON.stringify(message.blocks.filter((b) => b.type === 'context'));
    expect(context).toMatch(/EMEA \(Europe\/Dublin, 12:00 Fri\): <@U0OVR0001> by override \(for <@U0DU.0\d{3}>\)/);
  });

  it('uses the past tense for a past instant and shows how a typed local time was read', () => {
    const at = new Date('2026-03-29T01:30:00Z');
    const message = whoIsOnCallMessage({
      statuses: [scheduleStatus(schedule, at)],
      at,
      now: new Date('2026-04-01T00:00:00Z'),
      asked: '2026-03-29 01:30 Europe/Dublin',
      note: '01:30 does not exist',
    });
    expect(message.text).toContain('*Who was on call at');
    expect(message.text).toContain('_01:30 does not exist_');
  });

  it('escapes a schedule name so it cannot ping or format', () => {
    const at = new Date('2026-03-02T10:30:00Z');
    const hostile = { ...schedule, name: '<!channel> *x*' };
    const message = whoIsOnCallMessage({ statuses: [scheduleStatus(hostile, at)], at, now: at });
    expect(message.text).not.toContain('<!channel>');
    expect(message.text).toContain('&lt;!channel&gt;');
  });
});

describe('rendering what is coming', () => {
  const now = new Date('2026-03-02T10:30:00Z');

  it('lists handoffs with the reader-zone date, the hub local time, and from whom to whom', () => {
    const message = nextHandoffsMessage({
      schedules: [{ scheduleName: schedule.name, handoffs: upcomingHandoffs(schedule, now, 48) }],
      hoursAhead: 48,
    });
    expect(message.text).toContain('*Handoffs in the next 48 hours*');
    expect(message.text).toContain(`<!date^${epoch('2026-03-02T18:00:00Z')}^`);
    expect(message.text).toContain('(AMER, 10:00 Mon America/Los_Angeles): <@U0DUC0003> → <@U0LAA0001>');
    expect(message.text).toContain('(APAC, 09:00 Tue Asia/Singapore): <@U0LAA0001> → <@U0SGA0001>');
  });

  it('lists each gap with its length, or says there are none', () => {
    const gaps = upcomingGaps(schedule, now, 14);
    const message = gapsMessage({
      schedules: [
        { scheduleName: schedule.name, gaps },
        { scheduleName: 'Full', gaps: [] },
      ],
      days: 14,
    });
    expect(message.text).toContain('nobody on call in 2 gaps, 2 h in all');
    expect(message.text).toContain(`<!date^${epoch('2026-03-09T00:00:00Z')}^`);
    expect(message.text).toContain('(1 h)');
    expect(message.text).toContain('*Full*\n:white_check_mark: No gaps');
  });

  it('sorts the load heaviest first and states the spread', () => {
    const from = new Date('2026-03-02T00:00:00Z');
    const entries = loadByPerson(schedule, from, 28);
    const hours = entries.map((e) => e.hours);
    expect(hours).toEqual([...hours].sort((a, b) => b - a));
    const sga = entries.find((e) => e.userId === 'U0SGA0001');
    expect(sga).toMatchObject({ shifts: 10, hours: 90, outOfHoursHours: 0 });
    const message = loadMessage({ schedules: [{ scheduleName: schedule.name, entries }], from, to: new Date('2026-03-30T00:00:00Z') });
    expect(message.text).toContain('• <@U0SGA0001>: *90 h* in 10 shifts, 0 h out of hours');
    expect(JSON.stringify(message.blocks)).toContain('Spread:');
  });
});

describe('rendering help and handoff notices', () => {
  it('names the unknown subcommand and every form of /oncall at', () => {
    const help = oncallHelpMessage('swap');
    expect(help.text).toContain("I don't know `swap`");
    for (const sub of ['/oncall now', '/oncall next', '/oncall gaps', '/oncall at', '/oncall load', '/oncall override', '/oncall help'])
      expect(help.text).toContain(sub);
    expect(help.text).toContain('2026-03-29 01:30 Europe/Dublin');
  });

  it('tells the incoming person the end of the shift in hub time and reader time, with the incidents they inherit', () => {
    const incident = { number: 7, title: 'Spam *wave*', severity: 'sev2', isPrivate: true, channelId: 'C0INC00007' } as Incident;
    const message = incomingHandoffMessage({
      scheduleName: 'EMEA',
      layerName: 'EMEA',
      timeZone: 'Europe/Dublin',
      at: new Date('2026-03-02T09:00:00Z'),
      until: new Date('2026-03-02T18:00:00Z'),
      fromUser: 'U0DUB0002',
      incidents: [incident],
      catalog: { categories: [] },
    });
    expect(message.text).toContain('You are on call for *EMEA* (EMEA) until 18:00 Mon Dublin time (<!date^');
    expect(message.text).toContain('You take over from <@U0DUB0002>');
    expect(message.text).toContain(':lock: *INC-7* Spam `*wave*` in <#C0INC00007>');
  });

  it("lists a sensitive category's incident to the incoming person by number and category, never its title (issue 19: a lock screen shows the DM)", () => {
    const incident = {
      number: 8,
      title: 'CSAM ring trading via @kidz_swap',
      category: 'child-safety',
      severity: 'sev1',
      isPrivate: false,
      channelId: 'C0INC00008',
    } as Incident;
    const message = incomingHandoffMessage({
      scheduleName: 'EMEA',
      layerName: 'EMEA',
      timeZone: 'Europe/Dublin',
      at: new Date('2026-03-02T09:00:00Z'),
      until: new Date('2026-03-02T18:00:00Z'),
      fromUser: 'U0DUB0002',
      incidents: [incident],
      catalog: {
        categories: [{ id: 'child-safety', name: 'Child safety', defaultSeverity: 'sev1', private: false, runbook: [], sensitive: true }],
      },
    });
    expect(message.text).toContain('*INC-8* Child safety (details in the channel) in <#C0INC00008>');
    expect(JSON.stringify(message)).not.toContain('CSAM');
    expect(JSON.stringify(message)).not.toContain('kidz');
  });
});
