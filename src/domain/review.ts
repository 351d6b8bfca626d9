/**
 * The post-incident review draft: a Markdown file built from the incident record, with the
 * facts filled in (times in UTC and in every hub's zone, response times, roles, follow-ups)
 * and prompts for what only people can write. The same input always gives the same text.
 */
import { answerOutcome, type ClockStart, type ClockState } from './clocks.js';
import { formatDuration } from './duration.js';
import { responseTimes } from './incident-metrics.js';
import { STATUS_LABEL, type IncidentStatus } from './lifecycle.js';
import { markdownBlock, markdownInline } from './markdown-text.js';
import { INCIDENT_ROLES, ROLE_LABEL, type IncidentRole } from './roles.js';
import type { Severity } from './severity.js';
import { formatInZone, isKnownTimeZone, utcText } from './zoned-format.js';
import { REVIEW_STATUS_LABEL, sectionFact, type ReviewStatus } from './review-template.js';

/** A follow-the-sun hub whose local times the review shows. */
export interface ReviewHub {
  readonly name: string;
  /** IANA zone, e.g. `Asia/Singapore`. */
  readonly timeZone: string;
}

export interface ReviewTimelineEntry {
  readonly at: Date;
  readonly text: string;
  readonly actorId?: string | null;
}

/** Someone given a role; list them in the order the roles were given. */
export interface ReviewRoleHolder {
  readonly role: IncidentRole;
  readonly userId: string;
}

export interface ReviewFollowUp {
  readonly text: string;
  readonly ownerId?: string | null;
  readonly done?: boolean;
}

/** A runbook step and who ticked it (null when not done). */
export interface ReviewRunbookStep {
  readonly text: string;
  readonly doneBy: string | null;
  readonly doneAt: Date | null;
}

/** A response clock (deadline) as the record holds it. */
export interface ReviewDeadline {
  /** The kind's or the typed name, e.g. "TCO removal order". */
  readonly name: string;
  /** Who asked: an authority, a partner, a law; empty when not given. */
  readonly source: string;
  readonly startKind: ClockStart;
  readonly startedAt: Date;
  readonly dueAt: Date;
  readonly state: ClockState;
  readonly respondedAt: Date | null;
  readonly respondedBy: string | null;
  readonly missedAt: Date | null;
}

/** A severity change: labels as the config names them. */
export interface ReviewSeverityChange {
  readonly at: Date;
  readonly fromLabel: string;
  readonly toLabel: string;
  /** True when the change made the incident more severe. */
  readonly raised: boolean;
  readonly actorId: string | null;
}

/** What the review is drawn from: the incident row and the records around it. */
export interface ReviewInput {
  readonly number: number;
  readonly title: string;
  readonly severity: Severity;
  /** The config's label, e.g. "SEV1 Critical"; defaults to "SEV1". */
  readonly severityLabel?: string;
  /** Labels of the severity it was declared at and the worst it reached; shown when not the current one. */
  readonly declaredSeverityLabel?: string;
  readonly peakSeverityLabel?: string;
  /** The category's display name. */
  readonly category: string;
  readonly status: IncidentStatus;
  readonly isPrivate: boolean;
  readonly summary: string;
  readonly declaredBy: string;
  readonly declaredAt: Date;
  readonly acknowledgedAt: Date | null;
  readonly mitigatedAt: Date | null;
  readonly resolvedAt: Date | null;
  readonly closedAt: Date | null;
  readonly resolutionSummary: string | null;
  /** What stopped the harm. */
  readonly mitigation: string | null;
  readonly timeline: readonly ReviewTimelineEntry[];
  readonly roles: readonly ReviewRoleHolder[];
  readonly followUps: readonly ReviewFollowUp[];
  /** The category's runbook as ticked; the section is left out when empty or absent. */
  readonly runbook?: readonly ReviewRunbookStep[];
  readonly hubs: readonly ReviewHub[];
  /** The incident's response clocks; the Deadlines section says when there were none. */
  readonly deadlines?: readonly ReviewDeadline[];
  /** Severity changes, oldest first. */
  readonly severityHistory?: readonly ReviewSeverityChange[];
  /** Display names by Slack user id; a person without one is shown by id. */
  readonly people?: Readonly<Record<string, string>>;
  /** Other incidents linked to this one (`/incident link`), e.g. "duplicate of"; the section is left out when none. */
  readonly links?: readonly ReviewLink[];
  /** The category's template (`reviews:` in the config): its required sections come first, facts filled in where the record has them. */
  readonly template?: { readonly sections: readonly string[] };
  /** Who writes the review, by when, and where it stands. */
  readonly review?: { readonly ownerId: string; readonly dueAt: Date | null; readonly status: ReviewStatus };
}

/** A link to another incident, worded from this one ("caused by", "related to"). */
export interface ReviewLink {
  readonly label: string;
  readonly number: number;
  readonly title: string;
}

/** Questions about contributing factors, asked in every review. */
export const CONTRIBUTING_FACTOR_PROMPTS: readonly string[] = [
  'What made this harder to detect?',
  'What made this harder to respond to or mitigate?',
  'Did a handoff between hubs lose information or time?',
  'Were the right people and stakeholders involved early enough?',
  'Did our tooling, policies or playbooks help or get in the way?',
  'What went well that we should keep doing?',
  'Where did we get lucky?',
];

const DASH = '—';

/** The review draft as Markdown. Throws a RangeError naming a hub whose zone is unknown. */
export function renderReviewMarkdown(input: ReviewInput): string {
  for (const hub of input.hubs) {
    if (!isKnownTimeZone(hub.timeZone)) {
      throw new RangeError(`Hub ${JSON.stringify(hub.name)} has an unknown time zone: ${JSON.stringify(hub.timeZone)}`);
    }
  }
  const sections = [
    header(input),
    section('Summary', markdownBlock(input.summary) || '_No summary was written at declaration._'),
    ...(input.template?.sections ?? []).map((title) => section(markdownInline(title), templateSection(input, title))),
    section(
      'Impact',
      '_Who or what was harmed or put at risk, how many people, in which markets and languages, and for how long? Was there a legal, regulatory, partner or press deadline?_',
    ),
    section('Key times', keyTimes(input)),
    section('Response times', responseTimeLines(input)),
    section('Deadlines', deadlines(input)),
    section('Severity history', severityHistory(input)),
    section('Timeline', timeline(input)),
    section('Roles', roles(input)),
    ...(input.runbook?.length ? [section('Runbook', runbook(input, input.runbook))] : []),
    section('Resolution', resolution(input)),
    section('Follow-up actions', followUps(input)),
    ...(input.links?.length ? [section('Linked incidents', linkedIncidents(input.links))] : []),
    section('Contributing factors', CONTRIBUTING_FACTOR_PROMPTS.map((q) => `- ${q}`).join('\n')),
  ];
  return `${sections.join('\n\n')}\n`;
}

/** A template's section: the record's facts where it has them (deadlines, follow-ups), then room for the answer. */
function templateSection(input: ReviewInput, title: string): string {
  switch (sectionFact(title)) {
    case 'deadlines':
      return `${deadlines(input)}\n\n_For each deadline missed or met late: why, and what would have met it?_`;
    case 'follow-ups':
      return followUps(input);
    default:
      return '_To answer (required for this kind of incident)._';
  }
}

function runbook(input: ReviewInput, steps: readonly ReviewRunbookStep[]): string {
  return steps
    .map((s) =>
      s.doneAt
        ? `- [x] ${markdownInline(s.text)} (${s.doneBy ? person(input, s.doneBy) : 'someone'}, ${utcText(s.doneAt)})`
        : `- [ ] ${markdownInline(s.text)}`,
    )
    .join('\n');
}

function header(input: ReviewInput): string {
  const title = markdownInline(input.title) || '(untitled)';
  const lines = [
    `# INC-${input.number}: ${title}`,
    '',
    '_Post-incident review draft, generated by Meridian from the incident record. Answer the prompts, correct what the record got wrong, and delete this line._',
  ];
  if (input.isPrivate) {
    lines.push('', '> **Private incident.** Share this review only with people who were in the incident channel.');
  }
  lines.push(
    '',
    table(
      ['Field', 'Value'],
      [
        ['Incident', `INC-${input.number}`],
        ['Severity', markdownInline(severityLine(input))],
        ['Category', markdownInline(input.category)],
        ['Status', STATUS_LABEL[input.status]],
        ['Declared by', person(input, input.declaredBy)],
        ['Declared', utcText(input.declaredAt)],
        ...(input.review
          ? [
              ['Review owner', person(input, input.review.ownerId)],
              ['Review due', input.review.dueAt ? utc(input.review.dueAt) : 'once resolved'],
              ['Review status', REVIEW_STATUS_LABEL[input.review.status]],
            ]
          : []),
      ],
    ),
  );
  return lines.join('\n');
}

/** The current severity, and what it was declared at and at its worst when either differs. */
function severityLine(input: ReviewInput): string {
  const current = input.severityLabel ?? input.severity.toUpperCase();
  const declared = input.declaredSeverityLabel ?? current;
  const peak = input.peakSeverityLabel ?? current;
  if (declared === current && peak === current) return current;
  return `${current} (declared ${declared}, peak ${peak})`;
}

function keyTimes(input: ReviewInput): string {
  const milestones: [string, Date | null][] = [
    ['Declared', input.declaredAt],
    ['Acknowledged', input.acknowledgedAt],
    ['Mitigated', input.mitigatedAt],
    ['Resolved', input.resolvedAt],
    ['Closed', input.closedAt],
  ];
  return table(
    ['Milestone', ...timeColumns(input)],
    milestones.map(([name, at]) => [name, ...(at ? timeCells(input, at) : timeColumns(input).map(() => DASH))]),
  );
}

function responseTimeLines(input: ReviewInput): string {
  const times = responseTimes(input);
  const show = (ms: number | null, missing: string) => (ms === null ? missing : formatDuration(ms));
  const mitigatedByResolution = input.mitigatedAt === null && input.resolvedAt !== null;
  return [
    `- Time to acknowledge: ${show(times.timeToAcknowledgeMs, 'not recorded')}`,
    `- Time to mitigate: ${show(times.timeToMitigateMs, 'not mitigated yet')}${mitigatedByResolution ? ' (resolved without a separate mitigation)' : ''}`,
    `- Time to resolve: ${show(times.timeToResolveMs, 'not resolved yet')}`,
  ].join('\n');
}

function utc(at: Date): string {
  return utcText(at);
}

function deadlines(input: ReviewInput): string {
  const clocks = [...(input.deadlines ?? [])].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  if (clocks.length === 0) return '_No response deadlines were recorded._';
  return table(
    ['Deadline', 'Source', 'Received', 'Due', 'Responded', 'By', 'Outcome'],
    clocks.map((c) => [
      markdownInline(c.name) || DASH,
      markdownInline(c.source) || DASH,
      c.startKind === 'received' ? utc(c.startedAt) : DASH,
      utc(c.dueAt),
      c.respondedAt ? utc(c.respondedAt) : DASH,
      c.respondedAt && c.respondedBy ? person(input, c.respondedBy) : DASH,
      deadlineOutcome(c),
    ]),
  );
}

function deadlineOutcome(c: ReviewDeadline): string {
  if (c.respondedAt) {
    const { met, lateMs } = answerOutcome(c, c.respondedAt);
    if (met) {
      const spare = c.dueAt.getTime() - c.respondedAt.getTime();
      return spare > 0 ? `met, ${formatDuration(spare)} to spare` : 'met, on the due time';
    }
    return `missed by ${formatDuration(lateMs)}`;
  }
  if (c.state === 'missed' || c.missedAt) return 'missed, no response recorded';
  if (c.state === 'paused') return 'paused, not answered yet';
  if (c.state === 'met') return 'met';
  return 'running, not answered yet';
}

function severityHistory(input: ReviewInput): string {
  const declared = input.declaredSeverityLabel ?? input.severityLabel ?? input.severity.toUpperCase();
  const rows: string[][] = [[utc(input.declaredAt), markdownInline(declared), 'declared', person(input, input.declaredBy)]];
  const changes = [...(input.severityHistory ?? [])].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const change of changes) {
    rows.push([
      utc(change.at),
      markdownInline(change.toLabel),
      `${change.raised ? 'raised' : 'lowered'} from ${markdownInline(change.fromLabel)}`,
      change.actorId ? person(input, change.actorId) : DASH,
    ]);
  }
  return table(['When', 'Severity', 'Change', 'By'], rows);
}

function timeline(input: ReviewInput): string {
  if (input.timeline.length === 0) return '_No timeline entries were recorded._';
  // Stable sort: entries at the same instant keep the order they were recorded in.
  const entries = [...input.timeline].sort((a, b) => a.at.getTime() - b.at.getTime());
  return table(
    [...timeColumns(input), 'Event'],
    entries.map((entry) => {
      const actor = entry.actorId ? ` (${person(input, entry.actorId)})` : '';
      return [...timeCells(input, entry.at), `${markdownInline(entry.text) || DASH}${actor}`];
    }),
  );
}

function roles(input: ReviewInput): string {
  const lines = INCIDENT_ROLES.flatMap((role) => {
    const holders = input.roles.filter((r) => r.role === role).map((r) => r.userId);
    const distinct = holders.filter((id, i) => i === 0 || id !== holders[i - 1]);
    return distinct.length ? [`- **${ROLE_LABEL[role]}:** ${distinct.map((id) => person(input, id)).join(', then ')}`] : [];
  });
  return lines.length ? lines.join('\n') : '_No roles were assigned._';
}

function resolution(input: ReviewInput): string {
  const mitigation = markdownBlock(input.mitigation ?? '') || '_What stopped the harm, and when?_';
  const resolved = markdownBlock(input.resolutionSummary ?? '') || '_How was the incident resolved, and how do we know it is over?_';
  return `### What mitigated it\n\n${mitigation}\n\n### How it was resolved\n\n${resolved}`;
}

function followUps(input: ReviewInput): string {
  if (input.followUps.length === 0) return '- [ ] _Add follow-up actions, each with an owner._';
  return input.followUps
    .map((item) => {
      const owner = item.ownerId ? ` (owner: ${person(input, item.ownerId)})` : item.done ? '' : ' (owner: _to assign_)';
      return `- [${item.done ? 'x' : ' '}] ${markdownInline(item.text) || DASH}${owner}`;
    })
    .join('\n');
}

function linkedIncidents(links: readonly ReviewLink[]): string {
  return links.map((l) => `- ${markdownInline(l.label)} INC-${l.number}: ${markdownInline(l.title) || DASH}`).join('\n');
}

function timeColumns(input: ReviewInput): string[] {
  // Zone names are checked against the runtime's zones, so they hold nothing to escape.
  return ['UTC', ...input.hubs.map((hub) => `${markdownInline(hub.name)} (${hub.timeZone})`)];
}

function timeCells(input: ReviewInput, at: Date): string[] {
  return [formatInZone(at, 'UTC'), ...input.hubs.map((hub) => formatInZone(at, hub.timeZone))];
}

function person(input: ReviewInput, userId: string): string {
  const people = input.people ?? {};
  const name = Object.hasOwn(people, userId) ? people[userId] : undefined;
  return markdownInline(typeof name === 'string' && name.trim() ? name : userId);
}

function section(title: string, body: string): string {
  return `## ${title}\n\n${body}`;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}
