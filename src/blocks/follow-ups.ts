/**
 * How follow-ups read in Slack: the "Add follow-up" modal, the owner's notice and reminders, the
 * lists (`/incident follow-ups`, App Home) and the card's line. Due dates are Slack date tokens.
 */
import type { KnownBlock, View } from '@slack/types';
import { followUpRef, type FollowUp, type FollowUpTeam } from '../domain/follow-ups.js';
import { escapeMrkdwn, slackDate, userMention } from '../slack-api/mrkdwn.js';
import { contextOf, fitText, plainText, section } from './kit.js';
import { SLACK_LIMITS } from './slack-limits.js';

export const FOLLOW_UP_CALLBACK_ID = 'follow_up_create';
/** Block ids double as field names (the domain's problems), so inline errors land on the right input. */
export const FOLLOW_UP_BLOCKS = { title: 'title', owner: 'owner', team: 'team', due: 'due' } as const;
export const FOLLOW_UP_ACTION_ID = 'value';
/** The card's "Add follow-up" button; its value is the incident id. */
export const CARD_FOLLOW_UP_ACTION = 'card_follow_up';
/** "Done" on the owner's notice and reminders; its value is the follow-up id. */
export const FOLLOW_UP_DONE_ACTION = 'follow_up_done';
/** The edit modal (owner, team, due date, title of an open one); its metadata carries the follow-up id. */
export const FOLLOW_UP_EDIT_CALLBACK_ID = 'follow_up_edit';
/** "Edit" on the owner's notice and reminders; its value is the follow-up id. */
export const FOLLOW_UP_EDIT_ACTION = 'follow_up_edit';
/** The message shortcut's callback id (manifest: "Add follow-up"). */
export const FOLLOW_UP_SHORTCUT = 'add_follow_up';

export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}

interface IncidentLabel {
  number: number;
  title: string;
}

const due = (at: Date) => slackDate(at, '{date_short_pretty}', at.toISOString().slice(0, 10));
const ref = (i: Pick<IncidentLabel, 'number'>) => `INC-${i.number}`;

export function followUpModal(input: {
  incidentId: string;
  incident: IncidentLabel;
  title: string;
  teams: readonly FollowUpTeam[];
  defaultDueDay: string;
  ownerId?: string;
  teamId?: string | null;
  /** Editing this one (its id and FU-n) rather than adding one. */
  edit?: { followUpId: string; ref: string };
}): View {
  const blocks: KnownBlock[] = [
    section(fitText(`For *${ref(input.incident)}: ${escapeMrkdwn(input.incident.title)}*`, SLACK_LIMITS.sectionText)),
    {
      type: 'input',
      block_id: FOLLOW_UP_BLOCKS.title,
      label: plainText('What is to be done'),
      element: {
        type: 'plain_text_input',
        action_id: FOLLOW_UP_ACTION_ID,
        max_length: 250,
        ...(input.title ? { initial_value: input.title.slice(0, 250) } : {}),
      },
    },
    {
      type: 'input',
      block_id: FOLLOW_UP_BLOCKS.owner,
      label: plainText('Owner'),
      element: { type: 'users_select', action_id: FOLLOW_UP_ACTION_ID, ...(input.ownerId ? { initial_user: input.ownerId } : {}) },
    },
  ];
  if (input.teams.length)
    blocks.push({
      type: 'input',
      block_id: FOLLOW_UP_BLOCKS.team,
      optional: true,
      label: plainText('Team'),
      element: {
        type: 'static_select',
        action_id: FOLLOW_UP_ACTION_ID,
        options: input.teams.slice(0, 100).map((t) => ({ text: plainText(t.name, 75), value: t.id })),
        ...teamOption(input.teams, input.teamId),
      },
    });
  blocks.push({
    type: 'input',
    block_id: FOLLOW_UP_BLOCKS.due,
    label: plainText('Due'),
    element: { type: 'datepicker', action_id: FOLLOW_UP_ACTION_ID, initial_date: input.defaultDueDay },
  });
  const edit = input.edit;
  return {
    type: 'modal',
    callback_id: edit ? FOLLOW_UP_EDIT_CALLBACK_ID : FOLLOW_UP_CALLBACK_ID,
    private_metadata: JSON.stringify(edit ? { followUpId: edit.followUpId } : { incidentId: input.incidentId }),
    title: plainText(edit ? `Edit ${edit.ref}` : 'Add follow-up', 24),
    submit: plainText(edit ? 'Save' : 'Add', 24),
    close: plainText('Cancel', 24),
    blocks,
  };
}

function teamOption(teams: readonly FollowUpTeam[], teamId: string | null | undefined) {
  const team = teamId ? teams.slice(0, 100).find((t) => t.id === teamId) : undefined;
  return team ? { initial_option: { text: plainText(team.name, 75), value: team.id } } : {};
}

function teamName(teams: readonly FollowUpTeam[], teamId: string | null): string {
  if (!teamId) return '';
  return ` · ${escapeMrkdwn(teams.find((t) => t.id === teamId)?.name ?? teamId)}`;
}

function trackerLink(f: FollowUp): string {
  return f.trackerKey && f.trackerUrl ? ` · <${f.trackerUrl}|${escapeMrkdwn(f.trackerKey)}>` : '';
}

/** One line of a list: ref, title, owner, team, due (or done), tracker link, incident. */
export function followUpLine(f: FollowUp, teams: readonly FollowUpTeam[], now: Date, incident?: IncidentLabel): string {
  const state =
    f.status === 'done'
      ? ':white_check_mark: done'
      : f.status === 'wont_do'
        ? `:no_entry_sign: won't do${f.reason ? ` (${escapeMrkdwn(f.reason)})` : ''}`
        : f.dueAt.getTime() <= now.getTime()
          ? `:warning: overdue since ${due(f.dueAt)}`
          : `due ${due(f.dueAt)}`;
  const of = incident ? ` · ${ref(incident)}` : '';
  return `*${followUpRef(f)}* ${escapeMrkdwn(f.title)} · ${userMention(f.ownerId)}${teamName(teams, f.teamId)} · ${state}${trackerLink(f)}${of}`;
}

/** The DM telling the owner they own it, with a Done button. */
export function followUpAssignedDm(
  f: FollowUp,
  incident: IncidentLabel,
  createdBy: string,
  teams: readonly FollowUpTeam[],
): RenderedMessage {
  const text = `${userMention(createdBy)} gave you a follow-up of ${ref(incident)} (${escapeMrkdwn(incident.title)}): *${escapeMrkdwn(f.title)}*${teamName(teams, f.teamId)}, due ${due(f.dueAt)}.`;
  return withDone(f, `:memo: ${text}`, `${followUpRef(f)} is yours: ${f.title}`);
}

export function followUpReminderDm(f: FollowUp, incident: IncidentLabel, stage: 'before' | 'overdue'): RenderedMessage {
  const what =
    stage === 'overdue'
      ? `:warning: Your follow-up *${followUpRef(f)}* of ${ref(incident)} is overdue (it was due ${due(f.dueAt)}): *${escapeMrkdwn(f.title)}*.`
      : `:hourglass_flowing_sand: Your follow-up *${followUpRef(f)}* of ${ref(incident)} is due ${due(f.dueAt)}: *${escapeMrkdwn(f.title)}*.`;
  return withDone(f, `${what}${trackerLink(f)}`, `${followUpRef(f)} ${stage === 'overdue' ? 'is overdue' : 'is due soon'}`);
}

function withDone(f: FollowUp, mrkdwn: string, text: string): RenderedMessage {
  return {
    text,
    blocks: [
      section(fitText(mrkdwn, SLACK_LIMITS.sectionText)),
      {
        type: 'actions',
        block_id: 'follow_up',
        elements: [
          { type: 'button', action_id: FOLLOW_UP_DONE_ACTION, value: f.id, text: plainText('Mark done'), style: 'primary' },
          { type: 'button', action_id: FOLLOW_UP_EDIT_ACTION, value: f.id, text: plainText('Edit') },
        ],
      },
    ],
  };
}

/** The channel's line when one is edited: what changed, from what to what. */
export function followUpEditedLine(
  before: FollowUp,
  after: FollowUp,
  changed: ReadonlyArray<'title' | 'owner' | 'team' | 'due'>,
  teams: readonly FollowUpTeam[],
  by: string,
): string {
  const team = (id: string | null) => (id ? escapeMrkdwn(teams.find((t) => t.id === id)?.name ?? id) : 'no team');
  const said: Record<(typeof changed)[number], () => string> = {
    title: () => `title: ${escapeMrkdwn(after.title)}`,
    owner: () => `owner ${userMention(before.ownerId)} → ${userMention(after.ownerId)}`,
    team: () => `team ${team(before.teamId)} → ${team(after.teamId)}`,
    due: () => `due ${due(before.dueAt)} → ${due(after.dueAt)}`,
  };
  const parts = changed.map((c) => said[c]());
  return `:pencil2: ${userMention(by)} changed follow-up *${followUpRef(after)}*: ${parts.join(', ')}.`;
}

/** The channel's line when one is added or closed. */
export function followUpChannelLine(f: FollowUp, teams: readonly FollowUpTeam[], change: 'added' | 'done', by: string | null): string {
  if (change === 'added')
    return `:memo: ${by ? userMention(by) : 'Someone'} added follow-up *${followUpRef(f)}*: ${escapeMrkdwn(f.title)}, owned by ${userMention(f.ownerId)}${teamName(teams, f.teamId)}, due ${due(f.dueAt)}.`;
  return `:white_check_mark: Follow-up *${followUpRef(f)}* is done${by ? ` (${by})` : ''}: ${escapeMrkdwn(f.title)}.`;
}

/** `/incident follow-ups …` and App Home's list. */
export function followUpListMessage(
  heading: string,
  rows: ReadonlyArray<{ followUp: FollowUp; incident: IncidentLabel }>,
  teams: readonly FollowUpTeam[],
  now: Date,
): RenderedMessage {
  if (rows.length === 0) return { text: `${heading}: none.`, blocks: [section(`*${escapeMrkdwn(heading)}*: none.`)] };
  const lines = rows.map((r) => `• ${followUpLine(r.followUp, teams, now, r.incident)}`);
  const body = fitText(`*${escapeMrkdwn(heading)}*\n${lines.join('\n')}`, SLACK_LIMITS.sectionText);
  return { text: `${heading}: ${rows.length}`, blocks: [section(body)] };
}

/** The card's follow-ups line: how many are open (and overdue), the commander's cue. */
export function cardFollowUpLine(list: readonly FollowUp[], now: Date): KnownBlock | undefined {
  if (list.length === 0) return undefined;
  const open = list.filter((f) => f.status === 'open');
  const overdue = open.filter((f) => f.dueAt.getTime() <= now.getTime()).length;
  const done = list.filter((f) => f.status === 'done').length;
  const late = overdue ? `, ${overdue} overdue` : '';
  return contextOf(`:memo: Follow-ups: ${open.length} open${late}, ${done} done · \`/incident follow-ups\``);
}
