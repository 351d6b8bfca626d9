/**
 * From the stored record to what the review renderer takes: which hubs get a time column,
 * which timeline entries belong in the review, who holds which role, which follow-ups exist.
 */
import { followUpRef } from '../../domain/follow-ups.js';
import { categoryName, categoryRunbook, severityLabel, type Catalog } from '../../blocks/catalog.js';
import { RUNBOOK_STEP_KIND, runbookState } from '../../domain/runbook.js';
import type { MeridianConfig } from '../../config-file/types.js';
import type { ReviewRecord } from '../../db/repos/review.js';
import { isIncidentStatus } from '../../domain/lifecycle.js';
import type {
  ReviewDeadline,
  ReviewFollowUp,
  ReviewHub,
  ReviewInput,
  ReviewRoleHolder,
  ReviewSeverityChange,
} from '../../domain/review.js';
import { isIncidentRole } from '../../domain/roles.js';
import { compareSeverity, isSeverity } from '../../domain/severity.js';
import { entryPeople } from '../../domain/timeline-people.js';
import { linkLabel } from '../../domain/similar-incidents.js';
import { isKnownTimeZone, utcText } from '../../domain/zoned-format.js';
import { mentionedUserIds, plainFromSlack } from '../../domain/slack-markup.js';

/** Timeline kinds about the review itself: a redrawn review would otherwise list its earlier drafts. */
const NOT_IN_REVIEW = new Set(['review_posted']);

/**
 * One hub per time zone of the schedules' layers, in the order the config lists them, named
 * after the first layer in that zone (a weekend layer in Dublin adds no second Dublin column).
 * UTC is always shown, so a UTC layer adds nothing; a zone the runtime does not know is skipped.
 */
export function reviewHubs(schedules: MeridianConfig['schedules']): ReviewHub[] {
  const byZone = new Map<string, ReviewHub>();
  for (const schedule of schedules) {
    for (const layer of schedule.layers) {
      const zone = layer.timeZone;
      if (byZone.has(zone) || zone === 'UTC' || zone === 'Etc/UTC' || !isKnownTimeZone(zone)) continue;
      byZone.set(zone, { name: layer.name, timeZone: zone });
    }
  }
  return [...byZone.values()];
}

/** Everyone the review names, for looking up display names. */
export function peopleInRecord(record: ReviewRecord): string[] {
  const { incident } = record;
  const ids = [
    incident.declaredBy,
    incident.commanderId,
    ...record.roles.map((r) => r.userId),
    ...reviewTimeline(record).flatMap((t) => [t.actorId, ...mentionedUserIds(t.text)]),
    ...reviewFollowUps(record).map((f) => f.ownerId),
    ...(record.clocks ?? []).map((c) => c.respondedBy),
  ];
  return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id !== ''))];
}

/** The renderer's input for this record. `people` maps user ids to display names. */
export function toReviewInput(
  record: ReviewRecord,
  ctx: { catalog: Catalog; hubs: readonly ReviewHub[]; people?: Readonly<Record<string, string>> },
): ReviewInput {
  const { incident } = record;
  return {
    number: incident.number,
    title: incident.title,
    severity: isSeverity(incident.severity) ? incident.severity : 'sev4',
    severityLabel: severityLabel(ctx.catalog, incident.severity),
    // A record built without them (a hand-made one) reads as declared at its current severity.
    declaredSeverityLabel: severityLabel(ctx.catalog, incident.declaredSeverity ?? incident.severity),
    peakSeverityLabel: severityLabel(ctx.catalog, incident.peakSeverity ?? incident.severity),
    category: categoryName(ctx.catalog, incident.category),
    status: isIncidentStatus(incident.status) ? incident.status : 'investigating',
    isPrivate: incident.isPrivate,
    summary: incident.summary,
    declaredBy: incident.declaredBy,
    declaredAt: incident.declaredAt,
    acknowledgedAt: incident.acknowledgedAt ?? record.firstAcknowledgedAt,
    mitigatedAt: incident.mitigatedAt,
    resolvedAt: incident.resolvedAt,
    closedAt: incident.closedAt,
    resolutionSummary: incident.resolutionSummary,
    mitigation: incident.mitigation,
    timeline: reviewTimeline(record).map((t) => ({ at: t.at, text: plainFromSlack(t.text, ctx.people), actorId: t.actorId })),
    roles: roleHolders(record),
    followUps: reviewFollowUps(record),
    runbook: runbookState(
      categoryRunbook(ctx.catalog, incident.category),
      record.timeline.filter((t) => t.kind === RUNBOOK_STEP_KIND),
    ),
    hubs: ctx.hubs,
    deadlines: deadlines(record),
    severityHistory: severityHistory(record, ctx.catalog),
    ...(ctx.people ? { people: ctx.people } : {}),
    // A private incident's number and title stay out of a review its non-members may be sent.
    links: (record.links ?? [])
      .filter((l) => !l.other.isPrivate)
      .map((l) => ({ label: linkLabel(l.kind, l.fromThisEnd), number: l.other.number, title: l.other.title })),
  };
}

function deadlines(record: ReviewRecord): ReviewDeadline[] {
  return (record.clocks ?? []).map((c) => ({
    name: c.name,
    source: c.source,
    startKind: c.startKind,
    startedAt: c.startedAt,
    dueAt: c.dueAt,
    state: c.state,
    respondedAt: c.respondedAt,
    respondedBy: c.respondedBy,
    missedAt: c.missedAt,
  }));
}

/** From the `severity_changed` entries, which carry `{ from, to }`. */
function severityHistory(record: ReviewRecord, catalog: Catalog): ReviewSeverityChange[] {
  return record.timeline.flatMap((t): ReviewSeverityChange[] => {
    if (t.kind !== 'severity_changed') return [];
    const { from, to } = (t.data ?? {}) as Record<string, unknown>;
    if (!isSeverity(from) || !isSeverity(to)) return [];
    return [
      {
        at: t.at,
        fromLabel: severityLabel(catalog, from),
        toLabel: severityLabel(catalog, to),
        raised: compareSeverity(to, from) < 0,
        actorId: t.actorId,
      },
    ];
  });
}

/** An instant as the record stores it in a clock line ("due 2026-12-07T23:54:00.000Z"). */
const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g;

/**
 * The entries the review lists, as a reader should read them: people named by the entry's data
 * as mentions (the renderer turns them into names), instants as "2026-12-07 23:54 UTC".
 */
function reviewTimeline(record: ReviewRecord) {
  return record.timeline
    .filter((t) => !NOT_IN_REVIEW.has(t.kind))
    .map((t) => {
      const people = entryPeople(t);
      const text = people ? `${people.prefix}${people.userIds.map((id) => `<@${id}>`).join(', ')}` : t.text;
      return { ...t, text: text.replace(ISO_INSTANT, (iso) => utcText(new Date(iso))) };
    });
}

/**
 * The current holder of each role. The commander is also kept on the incident itself, and
 * declaring sets it without a role row, so the incident's commander counts when no row names one.
 */
function roleHolders(record: ReviewRecord): ReviewRoleHolder[] {
  const holders: ReviewRoleHolder[] = record.roles.flatMap((r) => (isIncidentRole(r.role) ? [{ role: r.role, userId: r.userId }] : []));
  const commanderId = record.incident.commanderId;
  if (commanderId && !holders.some((h) => h.role === 'commander')) holders.unshift({ role: 'commander', userId: commanderId });
  return holders;
}

/**
 * The tracked follow-ups (number, title, due date, tracker key, owner, done); an incident from
 * before they were tracked has only the resolve modal's lines (`incidents.follow_ups`), read as before.
 */
function reviewFollowUps(record: ReviewRecord): ReviewFollowUp[] {
  const tracked = record.trackedFollowUps ?? [];
  if (tracked.length === 0) return followUps(record.incident.followUps);
  return tracked.map((f) => {
    const closed = f.status === 'wont_do' ? `; won't do${f.reason ? `: ${f.reason}` : ''}` : '';
    const key = f.trackerKey ? `, ${f.trackerKey}` : '';
    return {
      text: `${followUpRef(f)} ${f.title} (due ${f.dueAt.toISOString().slice(0, 10)}${key}${closed})`,
      ownerId: f.ownerId,
      done: f.status === 'done',
    };
  });
}

/** Follow-ups as stored: plain strings from the resolve modal, or `{ text, ownerId?, done? }` objects. */
function followUps(stored: unknown): ReviewFollowUp[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((item: unknown): ReviewFollowUp[] => {
    if (typeof item === 'string') return item.trim() ? [{ text: item }] : [];
    if (typeof item !== 'object' || item === null) return [];
    const { text, ownerId, done } = item as Record<string, unknown>;
    if (typeof text !== 'string' || !text.trim()) return [];
    return [{ text, ownerId: typeof ownerId === 'string' ? ownerId : null, done: done === true }];
  });
}
