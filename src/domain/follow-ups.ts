/**
 * Follow-up actions: what an incident leaves to do, each with an owner, a team, a due date and a
 * status, tracked until done (or declined with a reason), and exported to the team's tracker.
 * Pure: the rules a new follow-up must pass, when its owner is reminded, who may see it.
 */

export type FollowUpStatus = 'open' | 'done' | 'wont_do';

/** Where its export to the team's issue tracker stands: `none` (no tracker for its team), `pending`, `created`, `failed` (the tracker refused it: a bad project, bad credentials). */
export type FollowUpExport = 'none' | 'pending' | 'created' | 'failed';

export interface FollowUp {
  id: string;
  /** Human number: FU-<number>. */
  number: number;
  incidentId: string;
  title: string;
  ownerId: string;
  /** A team id of `follow_ups.teams`; null: no team. */
  teamId: string | null;
  dueAt: Date;
  status: FollowUpStatus;
  /** Why it will not be done (status `wont_do`). */
  reason: string | null;
  createdBy: string;
  createdAt: Date;
  doneAt: Date | null;
  /** Bumped on every change of due date or status: planned reminders for an older version do nothing. */
  version: number;
  exportState: FollowUpExport;
  trackerKey: string | null;
  trackerUrl: string | null;
}

/** A team follow-ups are assigned to, and the Jira project its follow-ups go to. */
export interface FollowUpTeam {
  readonly id: string;
  readonly name: string;
  readonly jiraProject?: string;
  /** Categories whose resolve-modal follow-ups default to this team. */
  readonly categories?: readonly string[];
  /** Its people: a commander's team, when no team names the incident's category. */
  readonly members?: readonly string[];
}

/** `follow_ups:` in the config. */
export interface FollowUpsConfig {
  readonly teams: readonly FollowUpTeam[];
  /** How long before the due date the owner is reminded (fractions allowed, for tests). */
  readonly remindBeforeDays: number;
  /** Due date of follow-ups typed in the resolve modal, in days after resolution. */
  readonly defaultDueDays: number;
  /** How often an exported follow-up's Jira issue is read back. */
  readonly trackerPollMinutes: number;
  /** Whether a private incident's follow-up titles may leave Slack (Jira, the webhook); default no. */
  readonly exportPrivateTitles?: boolean;
}

export const DEFAULT_FOLLOW_UPS: FollowUpsConfig = { teams: [], remindBeforeDays: 2, defaultDueDays: 14, trackerPollMinutes: 15 };

/**
 * The team a follow-up typed without one (the resolve modal's lines) defaults to: the team that
 * names the incident's category, else the team the commander is a member of, else none.
 */
export function defaultFollowUpTeam(teams: readonly FollowUpTeam[], categoryId: string, commanderId: string | null): string | null {
  const byCategory = teams.find((t) => t.categories?.includes(categoryId));
  if (byCategory) return byCategory.id;
  const byCommander = commanderId ? teams.find((t) => t.members?.includes(commanderId)) : undefined;
  return byCommander?.id ?? null;
}

export const FOLLOW_UP_TITLE_MAX = 250;

export const followUpRef = (f: Pick<FollowUp, 'number'>): string => `FU-${f.number}`;

/** What a person typed to create one, before it is checked. */
export interface FollowUpDraft {
  title: string;
  ownerId: string | null;
  teamId: string | null;
  dueAt: Date | null;
}

/**
 * The problems of a draft, by field (title, owner, team, due): empty when it may be stored.
 * A due date is a day: due today is allowed (until the end of that day, in UTC).
 */
export function followUpDraftProblems(draft: FollowUpDraft, teams: readonly FollowUpTeam[], now: Date): Record<string, string> {
  const problems: Record<string, string> = {};
  const title = draft.title.trim();
  if (!title) problems.title = 'Say what is to be done.';
  else if (title.length > FOLLOW_UP_TITLE_MAX) problems.title = `At most ${FOLLOW_UP_TITLE_MAX} characters.`;
  if (!draft.ownerId) problems.owner = 'Pick the person who owns it: a follow-up without an owner is not done.';
  if (draft.teamId && !teams.some((t) => t.id === draft.teamId)) problems.team = `No team \`${draft.teamId.slice(0, 40)}\` in the config.`;
  if (!draft.dueAt) problems.due = 'Pick a due date.';
  else if (draft.dueAt.getTime() <= now.getTime()) problems.due = 'That date has passed: pick one still ahead.';
  return problems;
}

/** The instant a picked day is due: the end of that day in UTC (a datepicker gives YYYY-MM-DD). */
export function dueAtOfDay(day: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const at = new Date(`${day}T23:59:59.000Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}

export interface FollowUpReminderPlan {
  /** Before the due date; absent when that moment has passed already. */
  before?: Date;
  /** At the due date: it is overdue. */
  overdue: Date;
}

/** When the owner of an open follow-up is reminded. */
export function planFollowUpReminders(dueAt: Date, remindBeforeDays: number, now: Date): FollowUpReminderPlan {
  const before = new Date(dueAt.getTime() - remindBeforeDays * 86_400_000);
  return { ...(before.getTime() > now.getTime() ? { before } : {}), overdue: dueAt };
}

/** What `/incident follow-ups [mine|team <t>|overdue]` asks for. */
export type FollowUpFilter = { kind: 'incident' } | { kind: 'mine' } | { kind: 'team'; teamId: string } | { kind: 'overdue' };

export function parseFollowUpFilter(args: string): FollowUpFilter | { kind: 'bad'; text: string } {
  const [first = '', ...rest] = args.trim().split(/\s+/);
  switch (first.toLowerCase()) {
    case '':
      return { kind: 'incident' };
    case 'mine':
      return { kind: 'mine' };
    case 'overdue':
      return { kind: 'overdue' };
    case 'team':
      return rest.length ? { kind: 'team', teamId: rest.join(' ').toLowerCase() } : { kind: 'bad', text: args };
    default:
      return { kind: 'bad', text: args };
  }
}

/** `/incident follow-up done FU-3` or `/incident follow-up wontdo FU-3 <reason>`: closing one by its number. */
export type FollowUpCloseCommand = { op: 'done'; number: number } | { op: 'wont_do'; number: number; reason: string };

export function parseFollowUpClose(text: string): FollowUpCloseCommand | undefined {
  const m = /^(done|wontdo|won'?t-?do|wont)\s+(?:FU-)?(\d{1,9})\b\s*(.*)$/is.exec(text.trim());
  if (!m) return undefined;
  const number = Number(m[2]);
  return (m[1] as string).toLowerCase() === 'done' ? { op: 'done', number } : { op: 'wont_do', number, reason: (m[3] ?? '').trim() };
}

export const WONT_DO_REASON_MAX = 500;

/** `/incident follow-up edit FU-3`: the number of the follow-up to edit. */
export function parseFollowUpEdit(text: string): number | undefined {
  const m = /^edit\s+(?:FU-)?(\d{1,9})\s*$/i.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

/** What an edit changed, field by field (owner, team, due, title), for the record and the channel. */
export function followUpChanges(
  before: Pick<FollowUp, 'title' | 'ownerId' | 'teamId' | 'dueAt'>,
  after: Pick<FollowUp, 'title' | 'ownerId' | 'teamId' | 'dueAt'>,
): Array<'title' | 'owner' | 'team' | 'due'> {
  const changed: Array<'title' | 'owner' | 'team' | 'due'> = [];
  if (before.title !== after.title) changed.push('title');
  if (before.ownerId !== after.ownerId) changed.push('owner');
  if (before.teamId !== after.teamId) changed.push('team');
  if (before.dueAt.getTime() !== after.dueAt.getTime()) changed.push('due');
  return changed;
}

/** The Jira issue states Meridian reads as done (Jira's status category key). */
export function trackerSaysDone(statusCategoryKey: string | undefined): boolean {
  return statusCategoryKey === 'done';
}
