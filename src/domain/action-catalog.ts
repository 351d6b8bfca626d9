/**
 * Every kind of future action (a `scheduled_actions` row), in one place: the data its row
 * carries (a zod schema; ids, numbers and instants only, never incident text) and how urgent it
 * is. `src/jobs` derives BullMQ's priority, attempts and backoff from the urgency and parses a
 * row's data with the schema before its handler runs; writers plan rows through the same schema's
 * type. A new kind is one line here and one handler file in its feature folder.
 */
import { z } from 'zod';

/**
 * How a kind is served: `urgent` (a page, a missed deadline: first in line, retried sooner and
 * longer), `soon` (a reminder with a time in it), `normal`, `bulk` (digests: after everything).
 */
export type ActionUrgency = 'urgent' | 'soon' | 'normal' | 'bulk';

export interface ActionDefinition<D> {
  readonly data: z.ZodType<D>;
  readonly urgency: ActionUrgency;
  /** Fails until the incident's channel is open (its set-up may still be running): retried longer. */
  readonly waitsForChannel?: true;
}

const uuid = z.uuid();
const instant = z.iso.datetime();
const slackId = z.string().min(1);

/** What a `handoff-notice` row carries: ids, an instant and a zone. */
const handoffNoticeData = z.object({
  scheduleId: z.string(),
  at: instant,
  fromUser: z.string().nullable(),
  toUser: z.string(),
  layerName: z.string().nullable(),
  timeZone: z.string().nullable(),
});

const clockData = z.object({ clockId: uuid, version: z.number().int() });

/** What a `digest` row carries; `postedTs` and `chartFileId` are its progress, written by the run. */
const digestActionData = z.object({
  cadence: z.enum(['weekly', 'monthly']),
  from: instant,
  to: instant,
  previousFrom: instant,
  previousTo: instant,
  timeZone: z.string(),
  postedTs: z.string().optional(),
  chartFileId: z.string().optional(),
});

const catalog = {
  /** Opens the incident's channel, posts its card, invites its people. */
  'set-up-channel': { data: z.object({}), urgency: 'normal' },
  /** Pages the people one step of an escalation names, then plans the next step (or the alert). */
  'escalation-step': { data: z.object({ escalationId: uuid, stepNumber: z.number().int().min(0) }), urgency: 'urgent' },
  /** Tells the incoming (and outgoing) on-call person of a handoff. */
  'handoff-notice': { data: handoffNoticeData, urgency: 'normal' },
  /** Nudges the commander for a status update; `plannedAt` is when the cadence was last set (older rows lack it). */
  'update-reminder': { data: z.object({ plannedAt: instant.optional() }), urgency: 'normal' },
  /** A deadline's reminder, for the clock's version it was planned for. */
  'clock-reminder': { data: clockData.extend({ beforeMinutes: z.number().optional() }), urgency: 'soon' },
  /** A deadline passed unanswered: must be heard, retried like a page. */
  'clock-miss': { data: clockData, urgency: 'urgent' },
  /** Intake: post (or bring up to date) a report's triage message. */
  'triage-post': { data: z.object({ reportId: uuid }), urgency: 'normal' },
  /** Intake: a report still pending when its time is up nudges the on-call. */
  'triage-nudge': { data: z.object({ reportId: uuid }), urgency: 'normal' },
  /** Intake: the report, or the message, an incident was declared from, in the incident's channel. */
  'incident-origin': {
    data: z.union([z.object({ reportId: uuid }), z.object({ channelId: slackId, ts: z.string().min(1) })]),
    urgency: 'normal',
    waitsForChannel: true,
  },
  /** A weekly or monthly digest in the reports channel. */
  digest: { data: digestActionData, urgency: 'bulk' },
  /** Wellbeing: has a person spent too long on sensitive incidents today (a private nudge to hand over)? */
  'exposure-check': { data: z.object({ userId: slackId }), urgency: 'normal' },
  /** Wellbeing: a hub's coverage ends in 30 minutes; its commanders are offered a hand-over. */
  'coverage-end-offer': {
    data: z.object({ scheduleId: z.string().min(1), layerName: z.string().min(1), timeZone: z.string().min(1), endsAt: instant }),
    urgency: 'normal',
  },
  /** On-call user groups: sets a group's members to who is on call now (planned at every handoff and override). */
  'user-group-sync': {
    data: z.object({ scheduleId: z.string().min(1), layerName: z.string().min(1).nullable(), groupId: slackId, at: instant }),
    urgency: 'soon',
  },
  /** Follow-ups: the owner is told they own one (a DM). */
  'follow-up-notice': { data: z.object({ followUpId: uuid }), urgency: 'normal' },
  /** Follow-ups: the owner is reminded before the due date, and when it is overdue, for the version it was planned for. */
  'follow-up-reminder': {
    data: z.object({ followUpId: uuid, version: z.number().int(), stage: z.enum(['before', 'overdue']) }),
    urgency: 'soon',
  },
  /** Follow-ups: creates its issue in the team's Jira project, once (a retry first searches for the issue by its label). */
  'follow-up-export': { data: z.object({ followUpId: uuid }), urgency: 'normal' },
  /** Follow-ups: reads its Jira issue's status back; done in Jira is done in Meridian. Re-planned while open. */
  'follow-up-sync': { data: z.object({ followUpId: uuid }), urgency: 'bulk' },
  /** A page's SMS, call or email by the paged person's rule `ruleIndex`; stops once the page is acknowledged. */
  'page-notification': { data: z.object({ pageId: uuid, ruleIndex: z.number().int().min(0) }), urgency: 'urgent' },
  /** Retention: the daily purge of closed incidents' text past their retention (issue 24). */
  'retention-purge': { data: z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }), urgency: 'bulk' },
  /** Seen before: earlier incidents alike, in the new incident's channel (private ones only to a declarer who is their member, ephemerally). */
  'seen-before': { data: z.object({}), urgency: 'normal', waitsForChannel: true },
  /** The review's owner: it is due tomorrow (`before`) or now (`due`), unless published. */
  'review-reminder': { data: z.object({ when: z.enum(['before', 'due']) }), urgency: 'soon' },
  /** The review's canvas Slack refused (a missing scope, Slack down): written, and the channel told, once Slack allows. */
  'review-canvas': { data: z.object({ requestedBy: z.string().nullable() }), urgency: 'normal' },
  /** Follow-ups: the signed outgoing webhook, on creation and on closing. */
  'follow-up-webhook': { data: z.object({ followUpId: uuid, event: z.enum(['created', 'closed']) }), urgency: 'normal' },
} as const;

export type ActionKind = keyof typeof catalog;
/** The data of a row of kind `K`, as its handler receives it and its writer plans it. */
export type ActionData<K extends ActionKind> = z.output<(typeof catalog)[K]['data']>;

/** The catalog, typed per kind: indexing it with a kind `K` gives that kind's schema. */
export const ACTION_CATALOG: { readonly [K in ActionKind]: ActionDefinition<ActionData<K>> } = catalog;

export function isActionKind(kind: string): kind is ActionKind {
  return Object.hasOwn(catalog, kind);
}

/** Reads a row's data with its kind's schema: the only way a handler sees it. */
export function parseActionData<K extends ActionKind>(
  kind: K,
  raw: unknown,
): { ok: true; data: ActionData<K> } | { ok: false; problem: string } {
  const parsed = ACTION_CATALOG[kind].data.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  // Paths and codes only: the row's values stay out of logs and last_error.
  const problem = parsed.error.issues.map((i) => `${i.path.join('.') || '(data)'}: ${i.code}`).join('; ');
  return { ok: false, problem };
}
