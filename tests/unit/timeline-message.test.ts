import { describe, expect, it } from 'vitest';
import { appHomeView } from '../../src/blocks/app-home.js';
import { MAX_ENTRY_BLOCKS, timelineEntryText, timelineMessage } from '../../src/blocks/timeline-message.js';
import { DEFAULT_CATEGORIES, DEFAULT_SEVERITIES } from '../../src/config-file/defaults.js';
import type { Incident } from '../../src/db/repos/incidents.js';
import type { TimelineEntry } from '../../src/domain/incident.js';

const AT = new Date('2026-03-02T09:15:00Z');
const catalog = { severities: DEFAULT_SEVERITIES, categories: DEFAULT_CATEGORIES };

function entry(over: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    id: 'e1',
    incidentId: 'i1',
    at: AT,
    kind: 'pin',
    actorId: 'U0RESP001',
    text: 'Takedown sent',
    data: {},
    messageTs: '1772442900.000100',
    permalink: 'https://meridian-test.slack.com/archives/C01/p1772442900000100',
    createdAt: AT,
    ...over,
  };
}

function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'i1',
    number: 7,
    idempotencyKey: 'k',
    teamId: 'T1',
    title: 'Public spam wave',
    summary: '',
    severity: 'sev2',
    category: 'other',
    status: 'investigating',
    isPrivate: false,
    declaredBy: 'U0DECL001',
    commanderId: 'U0DECL001',
    declaredAt: new Date('2026-03-01T07:00:00Z'),
    originChannelId: null,
    acknowledgedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
    closedAt: null,
    channelId: 'C0INC0001',
    channelName: 'inc-7',
    cardTs: '1.1',
    feedAnnouncedAt: null,
    declarerToldAt: null,
    channelSetupFailedAt: null,
    lastUpdateAt: null,
    resolutionSummary: null,
    mitigation: null,
    followUps: [],
    createdAt: AT,
    updatedAt: AT,
    ...over,
  } as Incident;
}

describe('rendering a timeline entry', () => {
  it('dates it with a Slack date token (reader zone), names the author and links the message', () => {
    const text = timelineEntryText(entry());
    expect(text).toContain(`<!date^${AT.getTime() / 1000}^{date_short_pretty} {time}|2026-03-02 09:15 UTC>`);
    expect(text).toContain('<@U0RESP001> (pinned)');
    expect(text).toContain('>Takedown sent');
    expect(text).toContain('<https://meridian-test.slack.com/archives/C01/p1772442900000100|View message>');
  });

  it('keeps captured text literal: mentions, links and formatting cannot escape the quote', () => {
    const text = timelineEntryText(entry({ text: '<!channel> see <https://evil.example|bank>\n> fake quote *bold*' }));
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toContain('<https://evil.example');
    expect(text.split('\n').filter((l) => l.startsWith('>'))).toHaveLength(2);
    expect(text).toContain('>&gt; fake quote');
  });

  it('drops a permalink that is not a plain https URL', () => {
    expect(timelineEntryText(entry({ permalink: 'https://x|y' }))).not.toContain('View message');
    expect(timelineEntryText(entry({ permalink: 'javascript:alert(1)' }))).not.toContain('View message');
  });

  it('cuts a very long captured message so the section stays under 3000 characters', () => {
    expect(timelineEntryText(entry({ text: 'y'.repeat(10_000) })).length).toBeLessThan(3000);
  });
});

describe('rendering a long timeline', () => {
  it('shows the latest entries that fit in 50 blocks and says how many earlier ones are left out', () => {
    const entries = Array.from({ length: 60 }, (_, i) =>
      entry({ id: `e${i}`, kind: 'note', text: `note ${i}`, at: new Date(AT.getTime() + i * 60_000) }),
    );
    const message = timelineMessage({ number: 7, title: 'Spam *wave*' }, entries, 200);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    const sections = message.blocks.filter((b) => b.type === 'section');
    expect(sections).toHaveLength(MAX_ENTRY_BLOCKS + 1);
    expect(JSON.stringify(sections.at(-1))).toContain('note 59');
    expect(JSON.stringify(message.blocks.at(-1))).toContain(`${200 - MAX_ENTRY_BLOCKS} earlier entries are not shown`);
    expect(message.text).toContain('Spam `*wave*`');
  });

  it('says so when nothing is on the timeline', () => {
    expect(JSON.stringify(timelineMessage({ number: 1, title: 't' }, [], 0).blocks)).toContain('Nothing on the timeline yet');
  });
});

describe('rendering App Home', () => {
  it('shows incidents with severity, status, channel and age, and pages with an Acknowledge button carrying the page id', () => {
    const now = new Date('2026-03-02T09:00:00Z');
    const view = appHomeView({
      incidents: [incident()],
      schedules: [],
      pages: [{ pageId: 'p-1', pagedAt: now, incidentNumber: 9, incident: null }],
      now,
      catalog,
    });
    const json = JSON.stringify(view);
    expect(view.type).toBe('home');
    expect(json).toContain('INC-7: Public spam wave');
    expect(json).toContain('<#C0INC0001>');
    expect(json).toContain('SEV2');
    expect(json).toContain('Investigating');
    expect(json).toContain('open for 26 h');
    expect(json).toContain('*INC-9* (a private incident)');
    expect(json).toContain('"action_id":"page_ack","value":"p-1"');
    expect(json).toContain('No on-call schedules are set up yet');
  });

  it('when an incident is of a sensitive category, then App Home names it by number, severity and category, never its title', () => {
    const now = new Date('2026-03-02T09:00:00Z');
    const secret = incident({
      title: 'CSAM ring trading via @kidz_swap_ring',
      category: 'child-safety',
      severity: 'sev1',
      isPrivate: true,
    });
    const view = appHomeView({
      incidents: [secret],
      schedules: [],
      pages: [{ pageId: 'p-1', pagedAt: now, incidentNumber: 7, incident: secret }],
      now,
      catalog,
    });
    const json = JSON.stringify(view);
    expect(json).not.toContain('kidz');
    expect(json).toContain('INC-7: Child safety (details in the channel)');
    expect(json).toContain('*INC-7* (SEV1');
  });

  it('stays within 100 blocks however many incidents are open', () => {
    const many = Array.from({ length: 80 }, (_, i) => incident({ id: `i${i}`, number: i }));
    const pages = Array.from({ length: 30 }, (_, i) => ({ pageId: `p${i}`, pagedAt: new Date(), incidentNumber: i, incident: null }));
    const view = appHomeView({ incidents: many, schedules: [], pages, now: new Date(), catalog });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view)).toContain('and 60 more');
  });
});

describe('timeline entries that name people', () => {
  it('when a role is given, someone paged or stakeholders invited, then the entry mentions them instead of an id or a count', () => {
    const role = timelineEntryText(
      entry({ kind: 'role_assigned', text: 'Legal liaison: U0LEGAL001', data: { role: 'liaison_legal', userId: 'U0LEGAL001' } }),
    );
    expect(role).toContain('Legal liaison: <@U0LEGAL001> (<@U0RESP001>)');
    const paged = timelineEntryText(
      entry({
        kind: 'paged',
        actorId: null,
        text: 'Escalation step 2: paged 2',
        data: { stepNumber: 1, userIds: ['U0MEI0001', 'U0ALEX001'] },
      }),
    );
    expect(paged).toContain('Escalation step 2: paged <@U0MEI0001>, <@U0ALEX001>');
    expect(paged).not.toContain('paged 2');
    const repeat = timelineEntryText(
      entry({
        kind: 'paged',
        actorId: null,
        text: 'Escalation step 3: paged 1',
        data: { stepNumber: 2, round: 1, rounds: 3, stepIndex: 0, userIds: ['U0MEI0001'] },
      }),
    );
    expect(repeat).toContain('Escalation round 2 of 3 (nobody acknowledged round 1), step 1: paged <@U0MEI0001>');
    const invited = timelineEntryText(
      entry({ kind: 'stakeholders_invited', actorId: null, text: 'Stakeholders invited: 1', data: { userIds: ['U0STAKE01'] } }),
    );
    expect(invited).toContain('Stakeholders invited: <@U0STAKE01>');
  });

  it('when the severity was lowered, then the entry shows a downward chart, not an upward one', () => {
    const lowered = timelineEntryText(
      entry({ kind: 'severity_changed', text: 'Severity sev1 -> sev2: contained', data: { from: 'sev1', to: 'sev2' } }),
    );
    expect(lowered).toContain(':chart_with_downwards_trend:');
    const raised = timelineEntryText(
      entry({ kind: 'severity_changed', text: 'Severity sev2 -> sev1: worse', data: { from: 'sev2', to: 'sev1' } }),
    );
    expect(raised).toContain(':chart_with_upwards_trend:');
  });
});
