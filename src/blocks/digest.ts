/**
 * The digest as a Slack message. Private incidents appear in every count and as "a private
 * incident" in the lists: never a title, a number or a link.
 */
import type { FollowUpTeam } from '../domain/follow-ups.js';
import type { FollowUpTeamFigures } from '../domain/digest.js';
import type { KnownBlock } from '@slack/types';
import type { Compared, ComparedSpread, Digest, DigestIncidentLine } from '../domain/digest.js';
import { periodLastDay, periodSpan } from '../domain/digest-period.js';
import { formatDuration } from '../domain/duration.js';
import { escapeMrkdwn, userMention } from '../slack-api/mrkdwn.js';
import { categoryName, type Catalog, severityLabel } from './catalog.js';
import { contextOf, section } from './kit.js';
import { CONTENT_TYPES } from '../domain/orders.js';
import { OTHER_JURISDICTION, type OrderDigestFigures } from '../domain/order-digest.js';

export interface DigestMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

/** `5 (▲2 from 3)`, `3 (▼1 from 4)`, `4 (= last week)`. */
export function trend(now: number, before: number, unit: string): string {
  if (now === before) return `${now} (same as ${unit})`;
  const arrow = now > before ? '▲' : '▼';
  return `${now} (${arrow}${Math.abs(now - before)} from ${before})`;
}

function lines(rows: readonly Compared[], name: (key: string) => string, unit: string): string {
  const shown = rows.filter((r) => r.now > 0 || r.before > 0);
  return shown.length === 0 ? '_none_' : shown.map((r) => `• ${escapeMrkdwn(name(r.key))}: ${trend(r.now, r.before, unit)}`).join('\n');
}

/** `• EMEA: 2.5 h (▲1.0 from 1.5)`: hours with one decimal, per hub (never per person). */
function hourLines(rows: readonly Compared[], unit: string): string {
  const shown = rows.filter((r) => r.now > 0 || r.before > 0);
  if (shown.length === 0) return '_none_';
  const h = (n: number) => `${n.toFixed(1)} h`;
  return shown
    .map((r) => {
      if (r.now === r.before) return `• ${escapeMrkdwn(r.key)}: ${h(r.now)} (same as ${unit})`;
      const arrow = r.now > r.before ? '▲' : '▼';
      return `• ${escapeMrkdwn(r.key)}: ${h(r.now)} (${arrow}${Math.abs(r.now - r.before).toFixed(1)} from ${r.before.toFixed(1)})`;
    })
    .join('\n');
}

const seconds = (s: number | null) => (s === null ? '–' : formatDuration(s * 1000));

function timeLine(label: string, t: ComparedSpread): string {
  const change =
    t.now.median !== null && t.before.median !== null && t.now.median !== t.before.median
      ? t.now.median < t.before.median
        ? ' ▼ faster'
        : ' ▲ slower'
      : '';
  return `• ${label}: median ${seconds(t.now.median)}, p90 ${seconds(t.now.p90)} (before: ${seconds(t.before.median)}, ${seconds(t.before.p90)})${change}`;
}

function incidentLine(line: DigestIncidentLine, catalog: Catalog): string {
  const what = line.private ? '_a private incident_' : `*INC-${line.number}* ${escapeMrkdwn(line.title ?? '')}`;
  return `• ${what} (${escapeMrkdwn(severityLabel(catalog, line.severity))}, ${line.status}): ${formatDuration(line.durationS * 1000)}`;
}

export function digestTitle(digest: Digest): string {
  if (digest.cadence === 'weekly') return 'Weekly incident digest';
  if (digest.cadence === 'monthly') return 'Monthly incident digest';
  return 'Incident digest';
}

/** Incidents declared after the period (today's, for a digest typed on its run day): not counted here, and said so. */
function sinceNote(digest: Digest): KnownBlock[] {
  const n = digest.declaredSince ?? 0;
  if (n === 0) return [];
  const next =
    digest.cadence === 'weekly' ? 'the next weekly digest' : digest.cadence === 'monthly' ? 'the next monthly digest' : 'a later range';
  return [
    contextOf(
      `:information_source: ${n} incident${n === 1 ? ' was' : 's were'} declared after ${periodLastDay(digest.period, digest.timeZone)}, the period's last day, so ${n === 1 ? 'it is' : 'they are'} not counted here; ${next} counts them.`,
    ),
  ];
}

export function digestMessage(digest: Digest, catalog: Catalog, followUpTeams: readonly FollowUpTeam[] = []): DigestMessage {
  const unit = digest.cadence === 'weekly' ? 'last week' : digest.cadence === 'monthly' ? 'last month' : 'the period before';
  // The digest's own days in its own zone: a reader-zoned <!date> showed 1-7 Dec as "Dec 1 to Dec 8" east of it.
  const span = periodSpan(digest.period, digest.timeZone);
  const title = digestTitle(digest);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `:bar_chart: ${title}` } },
    contextOf(`${span} (${escapeMrkdwn(digest.timeZone)}), compared with the period before. Private incidents are counted, never named.`),
    section(`*Incidents:* ${trend(digest.total.now, digest.total.before, unit)}`),
    ...sinceNote(digest),
    // Declared severity, so lowering one later never takes it out of its count; the peak beside it.
    section(`*By severity declared*\n${lines(digest.bySeverity, (k) => severityLabel(catalog, k), unit)}`),
    section(`*By peak severity*\n${lines(digest.byPeakSeverity, (k) => severityLabel(catalog, k), unit)}`),
    section(`*By category*\n${lines(digest.byCategory, (k) => categoryName(catalog, k), unit)}`),
    section(`*By hub*\n${lines(digest.byHub, (k) => k, unit)}`),
    section(
      `*Response times*\n${timeLine('Acknowledge', digest.times.acknowledge)}\n${timeLine('Mitigate', digest.times.mitigate)}\n${timeLine('Resolve', digest.times.resolve)}`,
    ),
  ];
  if (digest.clocks.length > 0) {
    // The kind's name, not its id; clocks still running said as such, not as "met 0, missed 0".
    const clockLines = digest.clocks.map((c) => {
      const parts = [
        c.met.now > 0 || c.met.before > 0 ? `met ${trend(c.met.now, c.met.before, unit)}` : undefined,
        c.missed.now > 0 || c.missed.before > 0 ? `missed ${trend(c.missed.now, c.missed.before, unit)}` : undefined,
        c.running.now > 0 ? `${c.running.now} still running` : undefined,
      ].filter(Boolean);
      return `• ${escapeMrkdwn(c.name)}: ${parts.length > 0 ? parts.join(', ') : 'none this period'}`;
    });
    blocks.push(section(`*Clocks*\n${clockLines.join('\n')}`));
  }
  const pages = digest.pagesPerResponder.slice(0, 15).map((p) => `• ${userMention(p.userId)}: ${p.pages} (${p.outOfHours} out of hours)`);
  blocks.push(section(`*Pages per responder*\n${pages.length ? pages.join('\n') : '_none_'}`));
  blocks.push(section(`*Out-of-hours pages per hub*\n${lines(digest.outOfHoursByHub, (k) => k, unit)}`));
  blocks.push(section(`*Time on sensitive incidents per hub*\n${hourLines(digest.exposureHoursByHub, unit)}`));
  const longest = digest.longest.map((l) => incidentLine(l, catalog));
  blocks.push(section(`*Longest incidents*\n${longest.length ? longest.join('\n') : '_none_'}`));
  const old = digest.openOld.slice(0, 15).map((l) => incidentLine(l, catalog));
  blocks.push(section(`*Open for more than a week*\n${old.length ? old.join('\n') : '_none_'}`));
  if (digest.followUps) blocks.push(section(followUpSection(digest.followUps, followUpTeams)));
  if (digest.orders) blocks.push(section(orderSection(digest.orders)));
  const text = `${title}, ${span}: ${digest.total.now} incident${digest.total.now === 1 ? '' : 's'} (${digest.total.before} before).`;
  return { text, blocks };
}

/** Follow-ups opened, done, overdue and the median time to done, in all and per team. */
function followUpSection(f: NonNullable<Digest['followUps']>, teams: readonly FollowUpTeam[]): string {
  const figures = (x: FollowUpTeamFigures) =>
    `${x.opened} opened, ${x.done} done, ${x.overdue} overdue${x.medianToDoneS === null ? '' : `, median ${formatDuration(x.medianToDoneS * 1000)} to done`}`;
  const name = (id: string | null) => (id === null ? 'No team' : escapeMrkdwn(teams.find((t) => t.id === id)?.name ?? id));
  const perTeam = f.teams.map((t) => `• ${name(t.teamId)}: ${figures(t)}`);
  return `*Follow-ups:* ${figures(f.total)}${perTeam.length ? `\n${perTeam.join('\n')}` : ''}`;
}

/** Authority orders: counts by jurisdiction and by content type, and the two medians (as the transparency report). */
function orderSection(o: OrderDigestFigures): string {
  const ms = (x: number | null) => (x === null ? '–' : formatDuration(Math.round(x)));
  const place = (key: string) => (key === OTHER_JURISDICTION ? 'Outside the EU' : key);
  const content = (key: keyof typeof CONTENT_TYPES) => CONTENT_TYPES[key] ?? key;
  return [
    `*Authority orders:* ${o.total} (median ${ms(o.medianReceiptMs)} to confirm receipt, ${ms(o.medianEffectMs)} to give effect)`,
    `By jurisdiction: ${o.byJurisdiction.map((j) => `${place(j.key)} ${j.count}`).join(', ')}`,
    `By content type: ${o.byContentType.map((c) => `${escapeMrkdwn(content(c.key))} ${c.count}`).join(', ')}`,
  ].join('\n');
}
