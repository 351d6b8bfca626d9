/** What `/incident <text>` asks for; anything not understood gets the help. */
export type ParsedIncidentCommand =
  | { kind: 'declare'; title: string }
  | { kind: 'list'; page: number }
  | { kind: 'ack' }
  | { kind: 'status'; target?: string }
  | { kind: 'modal'; modal: IncidentModal }
  | { kind: 'transition'; target: 'mitigated' | 'closed' | 'cancelled' | 'investigating' }
  | { kind: 'role'; args: string }
  | { kind: 'timeline' }
  | { kind: 'note'; text: string }
  | { kind: 'review'; status?: string }
  | { kind: 'intake' }
  | { kind: 'deadline'; command: DeadlineCommand }
  | { kind: 'responded'; note: string }
  | { kind: 'deadlines' }
  | { kind: 'export'; args: string }
  | { kind: 'report'; args: string }
  | { kind: 'audit'; ref: string }
  | { kind: 'follow-up'; title: string }
  | { kind: 'follow-ups'; args: string }
  | { kind: 'order' }
  | { kind: 'ncmec' }
  | { kind: 'art18' }
  | { kind: 'crisis'; args: string }
  | { kind: 'basis'; args: string }
  | { kind: 'transparency'; args: string }
  | { kind: 'hold'; text: string }
  | { kind: 'release-hold'; text: string }
  | { kind: 'holds' }
  | { kind: 'held'; ref: string }
  | { kind: 'similar'; text: string }
  | { kind: 'link'; args: string }
  | { kind: 'help'; unknown?: string };

import type { DeadlineCommand } from '../../domain/clock-command.js';
import { plainFromSlack } from '../../domain/slack-markup.js';
import { decodeSlackEntities } from '../../domain/text.js';
import { parseDeadlineCommand } from './deadline-command.js';
import type { IncidentModal } from '../../services/incident/index.js';

/**
 * Free text as the person saw it: the manifest escapes mentions, channels and links
 * (`should_escape: true`), so a picked `@maya` arrives as `<@U123|maya>` and is read as `@maya`;
 * then the entities of what was typed are decoded. Only `role` reads the id (see roles.ts).
 */
const words = (args: string): string => plainFromSlack(args);

const ALIASES: Readonly<Record<string, (args: string) => ParsedIncidentCommand>> = {
  declare: (args) => ({ kind: 'declare', title: words(args) }),
  new: (args) => ({ kind: 'declare', title: words(args) }),
  list: listPage,
  ls: listPage,
  ack: () => ({ kind: 'ack' }),
  acknowledge: () => ({ kind: 'ack' }),
  status: (args) => (args ? { kind: 'status', target: words(args).toLowerCase() } : { kind: 'status' }),
  sev: () => ({ kind: 'modal', modal: 'severity' }),
  severity: () => ({ kind: 'modal', modal: 'severity' }),
  update: () => ({ kind: 'modal', modal: 'update' }),
  role: (args) => (args ? { kind: 'role', args: decodeSlackEntities(args) } : { kind: 'modal', modal: 'role' }),
  roles: () => ({ kind: 'modal', modal: 'role' }),
  resolve: () => ({ kind: 'modal', modal: 'resolve' }),
  mitigate: () => ({ kind: 'transition', target: 'mitigated' }),
  mitigated: () => ({ kind: 'transition', target: 'mitigated' }),
  close: () => ({ kind: 'transition', target: 'closed' }),
  cancel: () => ({ kind: 'transition', target: 'cancelled' }),
  reopen: () => ({ kind: 'transition', target: 'investigating' }),
  timeline: () => ({ kind: 'timeline' }),
  note: (args) => (args ? { kind: 'note', text: words(args) } : { kind: 'help', unknown: 'note (with nothing to note)' }),
  review: (args) => (/^status(\s|$)/i.test(args) ? { kind: 'review', status: words(args).replace(/^status\s*/i, '') } : { kind: 'review' }),
  intake: () => ({ kind: 'intake' }),
  deadline: (args) => ({ kind: 'deadline', command: parseDeadlineCommand(words(args)) }),
  responded: (args) => ({ kind: 'responded', note: words(args) }),
  deadlines: () => ({ kind: 'deadlines' }),
  triage: () => ({ kind: 'intake' }),
  export: (args) => ({ kind: 'export', args: words(args) }),
  report: (args) => ({ kind: 'report', args: words(args) }),
  digest: (args) => ({ kind: 'report', args: words(args) }),
  audit: (args) => ({ kind: 'audit', ref: words(args) }),
  help: () => ({ kind: 'help' }),
  'follow-up': (args) => ({ kind: 'follow-up', title: words(args) }),
  followup: (args) => ({ kind: 'follow-up', title: words(args) }),
  'follow-ups': (args) => ({ kind: 'follow-ups', args: words(args) }),
  followups: (args) => ({ kind: 'follow-ups', args: words(args) }),
  order: () => ({ kind: 'order' }),
  ncmec: () => ({ kind: 'ncmec' }),
  art18: () => ({ kind: 'art18' }),
  crisis: (args) => ({ kind: 'crisis', args: words(args) }),
  basis: (args) => ({ kind: 'basis', args: words(args) }),
  transparency: (args) => ({ kind: 'transparency', args: words(args) }),
  hold: (args) => ({ kind: 'hold', text: words(args) }),
  'release-hold': (args) => ({ kind: 'release-hold', text: words(args) }),
  holds: () => ({ kind: 'holds' }),
  held: (args) => ({ kind: 'held', ref: words(args) }),
  similar: (args) => ({ kind: 'similar', text: words(args) }),
  link: (args) => ({ kind: 'link', args: words(args) }),
};

/** `/incident list` is page 1; `/incident list 2` the next page; anything else after `list` gets the help. */
function listPage(args: string): ParsedIncidentCommand {
  if (args === '') return { kind: 'list', page: 1 };
  const page = /^\d{1,4}$/.test(args) ? Number(args) : 0;
  return page >= 1 ? { kind: 'list', page } : { kind: 'help', unknown: `list ${args}` };
}

/** Parses `/incident` text as Slack sends it (see {@link commandText}): `/incident` alone declares; the first word picks the subcommand. */
export function parseIncidentCommand(text: string): ParsedIncidentCommand {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'declare', title: '' };
  const [first = ''] = trimmed.split(/\s+/);
  const args = trimmed.slice(first.length).trim();
  const parse = ALIASES[first.toLowerCase()];
  return parse ? parse(args) : { kind: 'help', unknown: words(first) };
}
