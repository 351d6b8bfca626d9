/** `/oncall next`, `/oncall gaps` and `/oncall load`: what is coming, per schedule. */
import type { TimeInterval } from '../domain/coverage-gaps.js';
import type { OnCallLoadEntry } from '../domain/on-call-load.js';
import type { UpcomingHandoff } from '../domain/schedule-status.js';
import { escapeMrkdwn } from '../slack-api/mrkdwn.js';
import { formatSpan } from '../domain/duration.js';
import { hours, hubClock, messageOf, person, when, zoneText, type OncallMessage } from './oncall-format.js';
import { NO_SCHEDULES_TEXT } from './oncall-who.js';

const MAX_LINES = 30;

interface Named {
  scheduleName: string;
}

function capped(lines: string[]): string {
  if (lines.length <= MAX_LINES) return lines.join('\n');
  return [...lines.slice(0, MAX_LINES), `…and ${lines.length - MAX_LINES} more`].join('\n');
}

/** One handoff: when (reader's zone, then the hub's), from whom to whom. */
export function handoffLine(handoff: UpcomingHandoff): string {
  const hub =
    handoff.layerName && handoff.timeZone
      ? ` (${escapeMrkdwn(handoff.layerName)}, ${hubClock(handoff.at, handoff.timeZone)} ${zoneText(handoff.timeZone)})`
      : '';
  const to = handoff.toUser
    ? `${person(handoff.toUser)}${handoff.byOverride ? ' by override' : ''}`
    : ':rotating_light: *nobody* (coverage gap)';
  return `• ${when(handoff.at)}${hub}: ${person(handoff.fromUser)} → ${to}`;
}

/** Handoffs per schedule over the next `hoursAhead` hours. */
export function nextHandoffsMessage(input: {
  schedules: ReadonlyArray<Named & { handoffs: UpcomingHandoff[] }>;
  hoursAhead: number;
}): OncallMessage {
  if (input.schedules.length === 0) return messageOf([NO_SCHEDULES_TEXT]);
  const sections = [`*Handoffs in the next ${input.hoursAhead} hours*`];
  for (const schedule of input.schedules.slice(0, 24)) {
    const body = schedule.handoffs.length === 0 ? 'No handoffs.' : capped(schedule.handoffs.map(handoffLine));
    sections.push(`*${escapeMrkdwn(schedule.scheduleName)}*\n${body}`);
  }
  return messageOf(sections);
}

/** Coverage gaps per schedule, or a clear "no gaps". */
export function gapsMessage(input: { schedules: ReadonlyArray<Named & { gaps: TimeInterval[] }>; days: number }): OncallMessage {
  if (input.schedules.length === 0) return messageOf([NO_SCHEDULES_TEXT]);
  const sections = [`*Coverage gaps in the next ${input.days} days*`];
  for (const schedule of input.schedules.slice(0, 24)) {
    const name = `*${escapeMrkdwn(schedule.scheduleName)}*`;
    if (schedule.gaps.length === 0) {
      sections.push(`${name}\n:white_check_mark: No gaps: someone is on call at every moment.`);
      continue;
    }
    const total = schedule.gaps.reduce((sum, gap) => sum + gap.to.getTime() - gap.from.getTime(), 0);
    const count = `${schedule.gaps.length} gap${schedule.gaps.length === 1 ? '' : 's'}, ${formatSpan(total)} in all`;
    const lines = schedule.gaps.map(
      (gap) => `• ${when(gap.from)} → ${when(gap.to)} (${formatSpan(gap.to.getTime() - gap.from.getTime())})`,
    );
    sections.push(`${name}: :rotating_light: nobody on call in ${count}\n${capped(lines)}`);
  }
  return messageOf(sections);
}

function loadLine(entry: OnCallLoadEntry): string {
  const shifts = `${entry.shifts} shift${entry.shifts === 1 ? '' : 's'}`;
  return `• ${person(entry.userId)}: *${hours(entry.hours)} h* in ${shifts}, ${hours(entry.outOfHoursHours)} h out of hours`;
}

function spreadLine(entries: readonly OnCallLoadEntry[]): string | null {
  const most = entries[0];
  const least = entries[entries.length - 1];
  const nights = [...entries].sort((a, b) => b.outOfHoursHours - a.outOfHoursHours)[0];
  if (entries.length < 2 || !most || !least || !nights) return null;
  const ratio = least.hours > 0 ? ` (×${hours(most.hours / least.hours)})` : '';
  const nightsText = nights.outOfHoursHours > 0 ? `; most out of hours: ${person(nights.userId)}, ${hours(nights.outOfHoursHours)} h` : '';
  return `_Spread: ${hours(most.hours)} h to ${hours(least.hours)} h${ratio}${nightsText}. Out of hours: outside 09:00-18:00 Mon-Fri in the hub's zone._`;
}

/** On-call load per person, heaviest first, so a lead sees the imbalance at a glance. */
export function loadMessage(input: {
  schedules: ReadonlyArray<Named & { entries: OnCallLoadEntry[] }>;
  from: Date;
  to: Date;
}): OncallMessage {
  if (input.schedules.length === 0) return messageOf([NO_SCHEDULES_TEXT]);
  const sections = [`*On-call load, ${when(input.from)} to ${when(input.to)}*`];
  const contexts = new Map<number, string>();
  for (const schedule of input.schedules.slice(0, 24)) {
    const body = schedule.entries.length === 0 ? 'Nobody.' : capped(schedule.entries.map(loadLine));
    sections.push(`*${escapeMrkdwn(schedule.scheduleName)}*\n${body}`);
    const spread = spreadLine(schedule.entries);
    if (spread) contexts.set(sections.length - 1, spread);
  }
  return messageOf(sections, contexts);
}
