import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import { startHarness, type Harness } from '../support/meridian-harness.js';

/** Monday 2 March 2026, 10:30 in Dublin: EMEA's U0DUC0003 is on call (week 8 of the rotation). */
const NOW = new Date('2026-03-02T10:30:00Z');

let h: Harness;

function exampleConfig(): MeridianConfig {
  const parsed = parseMeridianConfig(readFileSync('config/meridian.example.yaml', 'utf8'), 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

const epoch = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

async function oncall(text: string, userId = 'U0DECL001'): Promise<{ response_type?: string; text: string; blocks?: unknown[] }> {
  const reply = await h.command(text, { command: '/oncall', userId });
  expect(reply.status).toBe(200);
  return reply.json as { response_type?: string; text: string; blocks?: unknown[] };
}

beforeAll(async () => {
  h = await startHarness(import.meta.url, { meridian: exampleConfig(), clock: () => NOW });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.fake.reset();
});

describe('/oncall views of the follow-the-sun schedule', () => {
  it('when /oncall is typed, then only the caller sees who is on call, the hub with its local time and the end of the shift', async () => {
    const reply = await oncall('');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('*On call now*');
    expect(reply.text).toContain('Trust &amp; Safety follow-the-sun');
    expect(reply.text).toContain('<@U0DUC0003>, EMEA (Europe/Dublin, 10:30 Mon)');
    expect(reply.text).toContain(`until <!date^${epoch('2026-03-02T18:00:00Z')}^`);
    expect(JSON.stringify(reply.blocks)).toContain('APAC (Asia/Singapore, 18:30 Mon): off duty');
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('when /oncall now is typed, then it answers like bare /oncall', async () => {
    const reply = await oncall('now');
    expect(reply.text).toContain('<@U0DUC0003>, EMEA (Europe/Dublin, 10:30 Mon)');
  });

  it('when /oncall next is typed, then the coming handoffs show when, the hub local time, and from whom to whom', async () => {
    const reply = await oncall('next');
    expect(reply.text).toContain('*Handoffs in the next 48 hours*');
    expect(reply.text).toContain(`<!date^${epoch('2026-03-02T18:00:00Z')}^`);
    expect(reply.text).toContain('(AMER, 10:00 Mon America/Los_Angeles): <@U0DUC0003> → <@U0LAA0001>');
    expect(reply.text).toContain('(APAC, 09:00 Tue Asia/Singapore): <@U0LAA0001> → <@U0SGA0001>');
  });

  it('when /oncall gaps is typed, then the Monday-morning holes of the next 14 days are listed', async () => {
    const reply = await oncall('gaps');
    expect(reply.text).toContain('*Coverage gaps in the next 14 days*');
    expect(reply.text).toContain('nobody on call in 2 gaps, 2 h in all');
    expect(reply.text).toContain(`<!date^${epoch('2026-03-09T00:00:00Z')}^`);
    expect(reply.text).toContain(`<!date^${epoch('2026-03-16T01:00:00Z')}^`);
  });

  it('when /oncall at is given an ISO instant, then it says who will be on call then', async () => {
    const reply = await oncall('at 2026-03-03T18:30Z');
    expect(reply.text).toContain('*Who will be on call at');
    expect(reply.text).toContain('<@U0LAA0001>, AMER (America/Los_Angeles, 10:30 Tue)');
  });

  it("when /oncall at is given 'tomorrow 03:00', then it is read as tomorrow in the caller's Slack zone, not refused", async () => {
    // Monday 10:30 UTC; U0DECL001 is in Europe/Dublin: tomorrow 03:00 there is Tuesday 03:00Z.
    const reply = await oncall('at tomorrow 03:00');
    expect(reply.text).not.toContain("I can't read");
    expect(reply.text).toContain(`<!date^${epoch('2026-03-03T03:00:00Z')}^`);
    expect(reply.text).toContain('read in your time zone, Europe/Dublin');
  });

  it('when /oncall at is given a day word with a zone or "in 8 hours", then it says who will be on call then', async () => {
    // Monday 02:30 in Los Angeles: tomorrow 10:30 there is Tuesday 18:30Z, as in the ISO case above.
    const tomorrow = await oncall('at tomorrow 10:30 America/Los_Angeles');
    expect(tomorrow.text).toContain('<@U0LAA0001>, AMER (America/Los_Angeles, 10:30 Tue)');
    const later = await oncall('at in 8 hours');
    expect(later.text).toContain(`<!date^${epoch('2026-03-02T18:30:00Z')}^`);
  });

  it('when /oncall at is given a local time in the spring-forward gap, then it reads it forward and says so', async () => {
    const reply = await oncall('at 2026-03-29 01:30 Europe/Dublin');
    expect(reply.text).toContain(`<!date^${epoch('2026-03-29T01:30:00Z')}^`);
    expect(reply.text).toContain('does not exist in Europe/Dublin');
    expect(reply.text).toContain('<@U0WEA0001>, Weekend (Europe/Dublin, 02:30 Sun)');
  });

  it("when /oncall at is given a local time without a zone, then it is read in the caller's Slack zone", async () => {
    // U0DECL001 is in Europe/Dublin in the fake workspace; 09:30 there is 09:30Z in March: APAC still wins.
    const reply = await oncall('at 2026-03-02 09:30');
    expect(reply.text).toContain('read in your time zone, Europe/Dublin');
    expect(reply.text).toContain('<@U0SGA0001>, APAC (Asia/Singapore, 17:30 Mon)');
    expect(reply.text).toContain('*Who was on call at');
  });

  it('when Slack does not answer users.info in time, then a local time without a zone is read in UTC and the reply says so', async () => {
    h.fake.fail('users.info', { kind: 'hang' });
    const started = Date.now();
    const reply = await oncall('at 2026-03-02 09:30');
    expect(Date.now() - started).toBeLessThan(2500);
    expect(reply.text).toContain('read in UTC, as Slack did not tell me your time zone');
    h.fake.clearFaults();
  });

  it('when /oncall at is given something else, then the caller is told the accepted forms', async () => {
    const reply = await oncall('at next tuesday');
    expect(reply.text).toMatch(/^:warning: I can't read `next tuesday` as a time/);
    expect(reply.text).toContain('2026-03-29 01:30 Europe/Dublin');
  });

  it('when /oncall load is typed, then people are listed heaviest first with shifts, hours and out-of-hours hours', async () => {
    const reply = await oncall('load');
    const lines = reply.text.split('\n').filter((l) => l.startsWith('• <@'));
    expect(lines.length).toBe(9);
    const hours = lines.map((l) => Number(/\*([\d.]+) h\*/.exec(l)?.[1]));
    expect(hours).toEqual([...hours].sort((a, b) => b - a));
    expect(reply.text).toMatch(/<@U0WEA0001>: \*[\d.]+ h\* in 2 shifts, [\d.]+ h out of hours/);
  });

  it('when /oncall help or an unknown subcommand is typed, then only the caller gets the help', async () => {
    const help = await oncall('help');
    expect(help.response_type).toBe('ephemeral');
    expect(help.text).toContain('/oncall override');
    const unknown = await oncall('swap me');
    expect(unknown.text).toContain("I don't know `swap`");
  });

  it('when /oncall override is typed, then the override modal opens with the schedule chosen and the caller as cover', async () => {
    const reply = await h.command('override', { command: '/oncall', userId: 'U0RESP001' });
    expect(reply.status).toBe(200);
    const open = await h.fake.waitForCall('views.open');
    const view = open.args.view as { callback_id: string; blocks: Array<{ block_id: string; element: Record<string, unknown> }> };
    expect(view.callback_id).toBe('oncall_override');
    const block = (id: string) => view.blocks.find((b) => b.block_id === id)?.element;
    expect(block('schedule')?.initial_option).toMatchObject({ value: 'tns-follow-the-sun' });
    expect(block('user')).toMatchObject({ type: 'users_select', initial_user: 'U0RESP001' });
    expect(block('from')).toMatchObject({ type: 'datetimepicker', initial_date_time: epoch('2026-03-02T11:00:00Z') });
    expect(block('to')).toMatchObject({ type: 'datetimepicker', initial_date_time: epoch('2026-03-02T19:00:00Z') });
  });
});
