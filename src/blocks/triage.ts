/**
 * The triage queue: a report from outside Slack as posted in the intake channel, its decision,
 * the nudge, `/incident intake`, and the report as posted in an incident's channel.
 * A report's text is the sender's, never trusted: every piece goes through escapeMrkdwn, and a
 * link is a link only when it is plain http(s) (else it is shown as text).
 */
import type { KnownBlock } from '@slack/types';
import { formatSpan } from '../domain/duration.js';
import { isSafeLink, type IntakeReport, type ReportDecision } from '../domain/intake.js';
import { escapeControlCharacters, escapeMrkdwn, slackDate, userMention } from '../slack-api/mrkdwn.js';
import { categoryName, severityLabel, type Catalog } from './catalog.js';
import { contextOf, fitText, section, sectionsOf } from './kit.js';
import { redactButton } from './timeline-message.js';
import { redactTargetValue } from '../domain/retention.js';

/** A body redacted already: the placeholder alone, no reporter, no links. */
const isRedacted = (report: IntakeReport) => /^\[redacted /.test(report.summary) && !report.reporter && report.links.length === 0;

export const TRIAGE_ACTIONS = { declare: 'triage_declare', merge: 'triage_merge', dismiss: 'triage_dismiss' } as const;

/** A rendered message: `text` is the notification fallback. */
export interface TriageMessage {
  text: string;
  blocks: KnownBlock[];
}

/** A link the reader can click only when it cannot pretend to be something else. */
export function reportLink(url: string): string {
  return isSafeLink(url) ? `<${url.replace(/&/g, '&amp;')}|${escapeControlCharacters(url)}>` : escapeMrkdwn(url);
}

function deadlineText(deadline: Date, now: Date): string {
  const left = deadline.getTime() - now.getTime();
  const when = left >= 0 ? `${formatSpan(left)} left` : `${formatSpan(-left)} overdue`;
  return `${slackDate(deadline)} (${when})`;
}

/** The report's facts, one per line, each escaped. */
function reportFacts(report: IntakeReport, catalog: Catalog, now: Date, sourceName?: string): string[] {
  const source =
    sourceName && sourceName !== report.source
      ? `${escapeMrkdwn(sourceName)} (${escapeMrkdwn(report.source)})`
      : escapeMrkdwn(report.source);
  const lines = [`*Source:* ${source}`, `*External id:* ${escapeMrkdwn(report.externalId)}`];
  if (report.reporter) lines.push(`*Reporter:* ${escapeMrkdwn(report.reporter)}`);
  if (report.category) lines.push(`*Category:* ${escapeMrkdwn(categoryName(catalog, report.category))}`);
  if (report.severity) lines.push(`*Severity:* ${escapeMrkdwn(severityLabel(catalog, report.severity))}`);
  if (report.deadline) lines.push(`*Respond by:* ${deadlineText(report.deadline, now)}`);
  return lines;
}

function detailBlocks(report: IntakeReport, catalog: Catalog, now: Date, sourceName?: string): KnownBlock[] {
  const blocks: KnownBlock[] = [
    section(`*${fitText(escapeMrkdwn(report.title), 500)}*`),
    section(reportFacts(report, catalog, now, sourceName).join('\n')),
  ];
  if (report.summary) blocks.push(...sectionsOf(escapeMrkdwn(report.summary)));
  if (report.links.length) blocks.push(section(`*Links:*\n${report.links.map((l) => `• ${reportLink(l)}`).join('\n')}`));
  return blocks;
}

function decisionLine(decision: ReportDecision): string {
  const by = userMention(decision.by);
  // The triage channel is wider than a private incident's channel: its number is not said there.
  const inc = decision.incidentPrivate
    ? 'a private incident'
    : decision.incidentNumber === undefined
      ? 'an incident'
      : `INC-${decision.incidentNumber}`;
  switch (decision.status) {
    case 'declared':
      return `Declared as ${inc} by ${by}`;
    case 'merged':
      return `Merged into ${inc} by ${by}`;
    case 'dismissed':
      return `Dismissed by ${by}: ${escapeMrkdwn(decision.reason ?? '')}`;
  }
}

/** The triage post: a pending report with Declare, Merge and Dismiss, or a decided one without buttons. */
export function triagePost(
  report: IntakeReport,
  catalog: Catalog,
  opts: { now: Date; sourceName?: string; onCall?: readonly string[]; decision?: ReportDecision },
): TriageMessage {
  const blocks: KnownBlock[] = [];
  if (report.priority) {
    // The flagger is named, and the on-call asked on a line of its own: a mention right after "trusted flagger" read as if they were it.
    const flagger = escapeMrkdwn(opts.sourceName ?? report.source);
    const ping =
      opts.onCall?.length && !opts.decision ? `\nOn call, please triage this first: ${opts.onCall.map(userMention).join(' ')}` : '';
    blocks.push(section(`:rotating_light: *Priority report from a trusted flagger: ${flagger}*${ping}`));
  }
  blocks.push(...detailBlocks(report, catalog, opts.now, opts.sourceName));
  if (opts.decision) {
    blocks.push(section(`:white_check_mark: ${decisionLine(opts.decision)}`));
    // A dismissed report belongs to no incident: its body is redacted from here (a declared or merged one, from its incident's timeline).
    if (!report.incidentId && !isRedacted(report))
      blocks.push({ type: 'actions', block_id: 'triage', elements: [redactButton(redactTargetValue({ kind: 'report', id: report.id }))] });
  } else {
    blocks.push({
      type: 'actions',
      block_id: 'triage',
      elements: [
        {
          type: 'button',
          action_id: TRIAGE_ACTIONS.declare,
          text: { type: 'plain_text', text: 'Declare' },
          style: 'primary',
          value: report.id,
        },
        { type: 'button', action_id: TRIAGE_ACTIONS.merge, text: { type: 'plain_text', text: 'Merge' }, value: report.id },
        { type: 'button', action_id: TRIAGE_ACTIONS.dismiss, text: { type: 'plain_text', text: 'Dismiss' }, value: report.id },
        // Issue 24: a report's body can be redacted while it waits (admins and `retention.may_redact`; others are refused at submit).
        ...(isRedacted(report) ? [] : [redactButton(redactTargetValue({ kind: 'report', id: report.id }))]),
      ],
    });
  }
  const lead = opts.decision
    ? decisionLine(opts.decision)
    : `${report.priority ? 'Priority report' : 'New report'} from ${escapeMrkdwn(report.source)}`;
  return { text: `${lead}: ${fitText(escapeMrkdwn(report.title), 300)}`, blocks };
}

/** What a person is told when the report was decided before them. */
export function alreadyDecidedText(decision: ReportDecision): string {
  return `This report was already decided: ${decisionLine(decision)}.`;
}

/** The nudge for a report nobody picked up. */
export function triageNudge(report: IntakeReport, onCall: readonly string[], waitedMs: number, waiting?: number): TriageMessage {
  const who = onCall.length ? `${onCall.map(userMention).join(' ')} ` : '';
  // The summary of a flood: one nudge for all the reports waiting, not one each.
  const all = waiting !== undefined && waiting > 1 ? ` *${waiting} reports are waiting for triage* in all; see \`/incident intake\`.` : '';
  const text = `:hourglass: ${who}A report has waited ${formatSpan(waitedMs)} with nobody on it: *${fitText(escapeMrkdwn(report.title), 300)}* (from ${escapeMrkdwn(report.source)}).${all}`;
  return { text, blocks: [section(text)] };
}

/** `/incident intake`: pending reports, oldest first, with age and deadline. */
export function pendingReportsMessage(reports: readonly IntakeReport[], total: number, now: Date): TriageMessage {
  if (reports.length === 0) return { text: 'No reports are waiting for triage.', blocks: [section('No reports are waiting for triage.')] };
  const lines = reports.map((r) => {
    const age = formatSpan(now.getTime() - r.receivedAt.getTime());
    const deadline = r.deadline ? `, respond by ${deadlineText(r.deadline, now)}` : '';
    const flag = r.priority ? ':rotating_light: ' : '';
    return `• ${flag}*${fitText(escapeMrkdwn(r.title), 200)}* from ${escapeMrkdwn(r.source)}: waiting ${age}${deadline}`;
  });
  const hidden = Math.max(0, total - reports.length);
  const more = hidden > 0 ? ` (the ${reports.length} oldest shown, ${hidden} more not shown)` : '';
  const head = `*${total} report${total === 1 ? '' : 's'} waiting for triage*, oldest first${more}:`;
  return { text: head, blocks: sectionsOf([head, ...lines].join('\n')) };
}

/** The report as posted in its incident's channel (declared from it, or merged into it). */
export function reportInIncident(report: IntakeReport, catalog: Catalog, how: 'declared' | 'merged', now: Date): TriageMessage {
  const lead =
    how === 'declared' ? ':inbox_tray: This incident was declared from a report' : ':inbox_tray: A report was merged into this incident';
  return {
    text: `${lead}: ${fitText(escapeMrkdwn(report.title), 300)}`,
    blocks: [section(lead), ...detailBlocks(report, catalog, now), contextOf(`Report id ${report.id}`)],
  };
}

/** The message an incident was declared from, linked in its channel. */
export function sourceMessageInIncident(permalink: string): TriageMessage {
  const text = `:link: Declared from <${permalink.replace(/&/g, '&amp;')}|this message>.`;
  return { text, blocks: [section(text)] };
}
