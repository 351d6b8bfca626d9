import { describe, expect, it } from 'vitest';
import { CONTRIBUTING_FACTOR_PROMPTS, renderReviewMarkdown, type ReviewInput } from '../../src/domain/review.js';

const at = (iso: string) => new Date(iso);

/** A SEV1 declared late on Saturday 28 March 2026 UTC, across Dublin's change to summer time. */
const base: ReviewInput = {
  number: 42,
  title: 'Self-harm challenge trending in SEA',
  severity: 'sev1',
  severityLabel: 'SEV1 Critical',
  category: 'Harmful trend or challenge',
  status: 'resolved',
  isPrivate: false,
  summary: 'A challenge video is spreading in ID and MY.\nSearch suggestions amplify it.',
  declaredBy: 'U0MAYA001',
  declaredAt: at('2026-03-28T23:50:00Z'),
  acknowledgedAt: at('2026-03-28T23:53:12Z'),
  mitigatedAt: at('2026-03-29T00:54:00Z'),
  resolvedAt: at('2026-03-31T02:50:00Z'),
  closedAt: null,
  resolutionSummary: 'Classifier retrained; reports back to baseline for 24 h.',
  mitigation: 'Blocked the hashtag and its search suggestions.',
  timeline: [
    { at: at('2026-03-29T00:54:00Z'), text: 'Hashtag blocked', actorId: 'U0SAM0001' },
    { at: at('2026-03-28T23:50:00Z'), text: 'Declared SEV1', actorId: 'U0MAYA001' },
    { at: at('2026-03-29T01:10:00Z'), text: 'Handed over to EMEA' },
    { at: at('2026-03-28T23:50:00Z'), text: 'Paged APAC on-call' },
  ],
  roles: [
    { role: 'scribe', userId: 'U0LEE0001' },
    { role: 'commander', userId: 'U0MAYA001' },
    { role: 'liaison_legal', userId: 'U0NOOR001' },
    { role: 'commander', userId: 'U0MAYA001' },
    { role: 'commander', userId: 'U0SAM0001' },
  ],
  followUps: [
    { text: 'Add the challenge audio to the hash bank', ownerId: 'U0LEE0001' },
    { text: 'Write a playbook for search suggestion blocks' },
    { text: 'Tell partners', ownerId: 'U0NOOR001', done: true },
  ],
  hubs: [
    { name: 'APAC', timeZone: 'Asia/Singapore' },
    { name: 'EMEA', timeZone: 'Europe/Dublin' },
    { name: 'AMER', timeZone: 'America/Los_Angeles' },
  ],
  people: { U0MAYA001: 'Maya Tan', U0SAM0001: 'Sam Okafor', U0NOOR001: 'Noor' },
};

function render(overrides: Partial<ReviewInput> = {}): { text: string; lines: string[] } {
  const text = renderReviewMarkdown({ ...base, ...overrides });
  return { text, lines: text.split('\n') };
}

/** The body of a `## name` section, without its heading. */
function sectionOf(text: string, name: string): string {
  const start = text.indexOf(`\n## ${name}\n`);
  expect(start, `section ${name}`).toBeGreaterThan(-1);
  const rest = text.slice(start + name.length + 5);
  const end = rest.indexOf('\n## ');
  return (end === -1 ? rest : rest.slice(0, end)).trim();
}

describe('renderReviewMarkdown', () => {
  it('starts with the incident number and title as the only top-level heading', () => {
    const { lines } = render();
    expect(lines[0]).toBe('# INC-42: Self-harm challenge trending in SEA');
    expect(lines.filter((line) => line.startsWith('# '))).toHaveLength(1);
  });

  it('lists the sections in review order', () => {
    const headings = render().lines.filter((line) => line.startsWith('## '));
    expect(headings).toEqual([
      '## Summary',
      '## Impact',
      '## Key times',
      '## Response times',
      '## Deadlines',
      '## Severity history',
      '## Timeline',
      '## Roles',
      '## Resolution',
      '## Follow-up actions',
      '## Contributing factors',
    ]);
  });

  it('states severity, category, status and declarer in the facts table', () => {
    const { lines } = render();
    expect(lines).toContain('| Incident | INC-42 |');
    expect(lines).toContain('| Severity | SEV1 Critical |');
    expect(lines).toContain('| Category | Harmful trend or challenge |');
    expect(lines).toContain('| Status | Resolved |');
    expect(lines).toContain('| Declared by | Maya Tan |');
    expect(lines).toContain('| Declared | 2026-03-28 23:50 UTC |');
  });

  it('writes the severity id in capitals when no label is given', () => {
    expect(render({ severityLabel: undefined, severity: 'sev3' }).lines).toContain('| Severity | SEV3 |');
  });

  it('keeps the summary as typed, line by line', () => {
    expect(sectionOf(render().text, 'Summary')).toBe('A challenge video is spreading in ID and MY.\\\nSearch suggestions amplify it.');
  });

  it('says so when there is no summary', () => {
    expect(sectionOf(render({ summary: '  ' }).text, 'Summary')).toBe('_No summary was written at declaration._');
  });

  it('asks about impact', () => {
    expect(sectionOf(render().text, 'Impact')).toMatch(/^_Who or what was harmed/);
  });

  it('gives key times in UTC and in every hub, across a daylight saving change', () => {
    const { lines } = render();
    expect(lines).toContain('| Milestone | UTC | APAC (Asia/Singapore) | EMEA (Europe/Dublin) | AMER (America/Los_Angeles) |');
    expect(lines).toContain('| Declared | 2026-03-28 23:50 | 2026-03-29 07:50 | 2026-03-28 23:50 | 2026-03-28 16:50 |');
    expect(lines).toContain('| Mitigated | 2026-03-29 00:54 | 2026-03-29 08:54 | 2026-03-29 00:54 | 2026-03-28 17:54 |');
    expect(lines).toContain('| Resolved | 2026-03-31 02:50 | 2026-03-31 10:50 | 2026-03-31 03:50 | 2026-03-30 19:50 |');
    expect(lines).toContain('| Closed | — | — | — | — |');
  });

  it('gives times to acknowledge, mitigate and resolve', () => {
    expect(sectionOf(render().text, 'Response times').split('\n')).toEqual([
      '- Time to acknowledge: 3 min 12 s',
      '- Time to mitigate: 1 h 04 min',
      '- Time to resolve: 2 d 3 h',
    ]);
  });

  it('says which response times are still missing', () => {
    const open = render({ status: 'investigating', acknowledgedAt: null, mitigatedAt: null, resolvedAt: null });
    expect(sectionOf(open.text, 'Response times').split('\n')).toEqual([
      '- Time to acknowledge: not recorded',
      '- Time to mitigate: not mitigated yet',
      '- Time to resolve: not resolved yet',
    ]);
  });

  it('counts a resolution without mitigation as the mitigation, and says so', () => {
    const { lines } = render({ mitigatedAt: null, resolvedAt: at('2026-03-29T00:35:00Z') });
    expect(lines).toContain('- Time to mitigate: 45 min (resolved without a separate mitigation)');
    expect(lines).toContain('- Time to resolve: 45 min');
  });

  it('orders the timeline by time, keeping the recorded order of simultaneous entries', () => {
    const rows = sectionOf(render().text, 'Timeline').split('\n');
    expect(rows[0]).toBe('| UTC | APAC (Asia/Singapore) | EMEA (Europe/Dublin) | AMER (America/Los_Angeles) | Event |');
    expect(rows.slice(2)).toEqual([
      '| 2026-03-28 23:50 | 2026-03-29 07:50 | 2026-03-28 23:50 | 2026-03-28 16:50 | Declared SEV1 (Maya Tan) |',
      '| 2026-03-28 23:50 | 2026-03-29 07:50 | 2026-03-28 23:50 | 2026-03-28 16:50 | Paged APAC on-call |',
      '| 2026-03-29 00:54 | 2026-03-29 08:54 | 2026-03-29 00:54 | 2026-03-28 17:54 | Hashtag blocked (Sam Okafor) |',
      '| 2026-03-29 01:10 | 2026-03-29 09:10 | 2026-03-29 02:10 | 2026-03-28 18:10 | Handed over to EMEA |',
    ]);
  });

  it('shows only UTC when no hubs are configured', () => {
    const rows = sectionOf(render({ hubs: [] }).text, 'Timeline').split('\n');
    expect(rows[0]).toBe('| UTC | Event |');
    expect(rows[2]).toBe('| 2026-03-28 23:50 | Declared SEV1 (Maya Tan) |');
  });

  it('says so when the timeline is empty', () => {
    expect(sectionOf(render({ timeline: [] }).text, 'Timeline')).toBe('_No timeline entries were recorded._');
  });

  it('lists who held each role, in role order, naming successive holders once each', () => {
    expect(sectionOf(render().text, 'Roles').split('\n')).toEqual([
      '- **Commander:** Maya Tan, then Sam Okafor',
      '- **Scribe:** U0LEE0001',
      '- **Legal liaison:** Noor',
    ]);
  });

  it('says so when nobody held a role', () => {
    expect(sectionOf(render({ roles: [] }).text, 'Roles')).toBe('_No roles were assigned._');
  });

  it('says what mitigated the incident and how it was resolved', () => {
    expect(sectionOf(render().text, 'Resolution')).toBe(
      [
        '### What mitigated it',
        '',
        'Blocked the hashtag and its search suggestions.',
        '',
        '### How it was resolved',
        '',
        'Classifier retrained; reports back to baseline for 24 h.',
      ].join('\n'),
    );
  });

  it('asks for the resolution when the record has none', () => {
    const resolution = sectionOf(render({ mitigation: null, resolutionSummary: '' }).text, 'Resolution');
    expect(resolution).toContain('_What stopped the harm, and when?_');
    expect(resolution).toContain('_How was the incident resolved, and how do we know it is over?_');
  });

  it('lists follow-up actions as a checklist with owners', () => {
    expect(sectionOf(render().text, 'Follow-up actions').split('\n')).toEqual([
      '- [ ] Add the challenge audio to the hash bank (owner: U0LEE0001)',
      '- [ ] Write a playbook for search suggestion blocks (owner: _to assign_)',
      '- [x] Tell partners (owner: Noor)',
    ]);
  });

  it('leaves an empty checklist item when there are no follow-up actions', () => {
    expect(sectionOf(render({ followUps: [] }).text, 'Follow-up actions')).toBe('- [ ] _Add follow-up actions, each with an owner._');
  });

  it('asks about contributing factors, starting with detection', () => {
    const prompts = sectionOf(render().text, 'Contributing factors').split('\n');
    expect(prompts[0]).toBe('- What made this harder to detect?');
    expect(prompts).toEqual(CONTRIBUTING_FACTOR_PROMPTS.map((q) => `- ${q}`));
  });

  it('warns that a private incident’s review must stay private', () => {
    expect(render({ isPrivate: true }).lines).toContain(
      '> **Private incident.** Share this review only with people who were in the incident channel.',
    );
    expect(render().text).not.toContain('Private incident');
  });

  it('keeps a title with line breaks and Markdown on the heading line', () => {
    const { lines } = render({ title: 'Leak\n# of *names* | <b>list</b>\n---' });
    expect(lines[0]).toBe('# INC-42: Leak # of \\*names\\* \\| \\<b\\>list\\</b\\> ---');
    expect(lines[1]).toBe('');
  });

  it('keeps pipes and line breaks in user text inside their table cell', () => {
    const { lines } = render({ timeline: [{ at: base.declaredAt, text: 'a | b\n| c |' }], hubs: [] });
    expect(lines).toContain('| 2026-03-28 23:50 | a \\| b \\| c \\| |');
  });

  it('cannot open a heading, code fence or HTML comment from the summary', () => {
    const summary = sectionOf(render({ summary: '## Injected\n```\n<!--' }).text, 'Summary');
    expect(summary).toBe('\\## Injected\\\n\\`\\`\\`\\\n\\<!--');
  });

  it('names people by id when their name is unknown or unsafe to look up', () => {
    const { lines } = render({ declaredBy: 'constructor', people: { U0MAYA001: '  ' } });
    expect(lines).toContain('| Declared by | constructor |');
    expect(lines).toContain('- **Commander:** U0MAYA001, then U0SAM0001');
  });

  it('escapes display names like any user text', () => {
    const { lines } = render({ people: { U0MAYA001: 'Maya | *admin*' } });
    expect(lines).toContain('| Declared by | Maya \\| \\*admin\\* |');
  });

  it('calls an untitled incident untitled', () => {
    expect(render({ title: ' \n ' }).lines[0]).toBe('# INC-42: (untitled)');
  });

  it('refuses a hub with an unknown time zone, naming it', () => {
    expect(() => render({ hubs: [{ name: 'Mars', timeZone: 'Mars/Olympus' }] })).toThrow(
      /Hub "Mars" has an unknown time zone: "Mars\/Olympus"/,
    );
  });

  it('gives the same text for the same input, ending with one newline', () => {
    const first = render().text;
    expect(render().text).toBe(first);
    expect(first.endsWith('?\n')).toBe(true);
    expect(first).not.toMatch(/\n{3,}/);
  });

  it('does not depend on the process time zone', () => {
    // The suite runs under TZ=UTC and TZ=America/New_York; this line is the same in both.
    expect(render().lines).toContain('| Acknowledged | 2026-03-28 23:53 | 2026-03-29 07:53 | 2026-03-28 23:53 | 2026-03-28 16:53 |');
  });

  it('when the incident had response clocks, then a Deadlines section gives kind, source, received, due, responded, by whom and met or missed by how much', () => {
    const text = render({
      people: { U0LEGAL001: 'Lena Fischer' },
      deadlines: [
        {
          name: 'TCO removal order',
          source: 'BKA',
          startKind: 'received',
          startedAt: at('2026-03-28T22:15:00Z'),
          dueAt: at('2026-03-28T23:15:00Z'),
          state: 'missed',
          respondedAt: at('2026-03-28T23:27:00Z'),
          respondedBy: 'U0LEGAL001',
          missedAt: at('2026-03-28T23:15:00Z'),
        },
        {
          name: 'Partner SLA',
          source: '',
          startKind: 'declared',
          startedAt: at('2026-03-28T23:50:00Z'),
          dueAt: at('2026-03-29T03:50:00Z'),
          state: 'met',
          respondedAt: at('2026-03-29T01:50:00Z'),
          respondedBy: 'U0SAM0001',
          missedAt: null,
        },
      ],
    }).text;
    const body = sectionOf(text, 'Deadlines');
    expect(body).toContain('| Deadline | Source | Received | Due | Responded | By | Outcome |');
    expect(body).toContain(
      '| TCO removal order | BKA | 2026-03-28 22:15 UTC | 2026-03-28 23:15 UTC | 2026-03-28 23:27 UTC | Lena Fischer | missed by 12 min |',
    );
    expect(body).toMatch(
      /\| Partner SLA \| — \| — \| 2026-03-29 03:50 UTC \| 2026-03-29 01:50 UTC \| U0SAM0001 \| met, 2 h[^|]* to spare \|/,
    );
  });

  it('when there were no clocks, then the Deadlines section says so', () => {
    expect(sectionOf(render().text, 'Deadlines')).toContain('_No response deadlines were recorded._');
  });

  it('when the severity was raised and lowered, then the severity history lists each change with its direction and who made it', () => {
    const body = sectionOf(
      render({
        declaredSeverityLabel: 'SEV2 Major',
        severityHistory: [
          { at: at('2026-03-29T00:10:00Z'), fromLabel: 'SEV2 Major', toLabel: 'SEV1 Critical', raised: true, actorId: 'U0SAM0001' },
          { at: at('2026-03-30T10:00:00Z'), fromLabel: 'SEV1 Critical', toLabel: 'SEV2 Major', raised: false, actorId: 'U0MAYA001' },
        ],
      }).text,
      'Severity history',
    );
    expect(body.split('\n').slice(2)).toEqual([
      '| 2026-03-28 23:50 UTC | SEV2 Major | declared | Maya Tan |',
      '| 2026-03-29 00:10 UTC | SEV1 Critical | raised from SEV2 Major | Sam Okafor |',
      '| 2026-03-30 10:00 UTC | SEV2 Major | lowered from SEV1 Critical | Maya Tan |',
    ]);
  });
});
