import { describe, expect, it } from 'vitest';
import { clockLine, deadlinesListMessage } from '../../src/blocks/clock-messages.js';
import type { Incident } from '../../src/domain/incident.js';
import type { IncidentClock } from '../../src/domain/clocks.js';

const startedAt = new Date('2026-12-07T22:15:00Z');
const paused: IncidentClock = {
  id: 'clk-1',
  incidentId: 'inc-1',
  label: 'tco',
  kindId: 'tco',
  name: 'EU TCO removal order',
  source: 'Regulation (EU) 2021/784, Art. 3(3)',
  task: '',
  startKind: 'received',
  startedAt,
  dueAt: new Date('2026-12-07T23:15:00Z'),
  ownerId: null,
  state: 'paused',
  pausedAt: new Date('2026-12-07T22:40:00Z'),
  pauseReason: 'waiting for the authority',
  version: 2,
  remindBeforeMinutes: [30],
  escalateTo: [],
  respondedAt: null,
  respondedBy: null,
  responseNote: null,
  responseEvidence: null,
  missedAt: null,
};
const kinds = [
  { id: 'tco', effectiveFrom: null, internalTarget: false },
  { id: 'partner-sla', effectiveFrom: null, internalTarget: true },
];
const now = new Date('2026-12-07T22:50:00Z');
const NOTE = 'Statutory deadline: the law does not pause.';

describe("the card's line for a paused clock (issue 19)", () => {
  it("when a statutory kind's clock is paused, then the card says the law does not pause and by when the authority still expects the answer", () => {
    const line = clockLine(paused, { commanderId: null }, now, kinds);
    expect(line).toContain('paused with 35 min left (waiting for the authority)');
    expect(line).toContain(NOTE);
    expect(line).toContain('still expects the response by <!date^');
    expect(line).toContain('2026-12-07 23:15 UTC');
  });

  it("when the paused clock is the organisation's own target or was typed by hand, then no statutory note", () => {
    expect(clockLine({ ...paused, kindId: 'partner-sla' }, { commanderId: null }, now, kinds)).not.toContain(NOTE);
    expect(clockLine({ ...paused, kindId: null, startKind: 'typed' }, { commanderId: null }, now, kinds)).not.toContain(NOTE);
  });

  it('when a statutory clock is running, then the card shows its due instant with no pause note', () => {
    expect(clockLine({ ...paused, state: 'running', pausedAt: null, pauseReason: null }, { commanderId: null }, now, kinds)).not.toContain(
      NOTE,
    );
  });
});

describe('the names extend and pause need (issue 19)', () => {
  it('when the card or /incident deadlines shows a clock, then it names the label `/incident deadline extend|pause <name>` takes', () => {
    const running = { ...paused, state: 'running' as const, pausedAt: null, pauseReason: null };
    expect(clockLine(running, { commanderId: null }, now, kinds)).toContain('· `tco` in commands');
    const list = deadlinesListMessage([{ clock: running, incident: { number: 4, channelId: 'C0INC00004' } as Incident }], 1, now);
    expect(JSON.stringify(list.blocks)).toContain('EU TCO removal order (`tco`)');
  });
});

describe('a response and its evidence (issue 19)', () => {
  it('when a response was recorded with an evidence link, then the card shows the note and the link apart', () => {
    const answered = {
      ...paused,
      state: 'met' as const,
      pausedAt: null,
      respondedAt: new Date('2026-12-07T22:45:00Z'),
      respondedBy: 'U0LEGAL001',
      responseNote: 'Video removed in all member states',
      responseEvidence: 'https://evidence.example/orders/1',
    };
    const line = clockLine(answered, { commanderId: null }, now, kinds);
    expect(line).toContain('(met): Video removed in all member states · <https://evidence.example/orders/1|evidence>');
  });
});
