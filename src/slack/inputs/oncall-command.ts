/** The subcommands `/oncall` understands; anything else gets the help. */
import type { RelativeWhen, WhenInput } from '../../domain/when-input.js';
import { plainFromSlack } from '../../domain/slack-markup.js';
import { UserError } from '../../errors.js';
import type { OncallRequest } from '../../services/oncall/deps.js';
import { parseRelativeWhen, parseWhen } from './oncall-when.js';

/** What the text says; a time that cannot be read is kept as its error, for the edge to show. */
export type OncallCommand =
  | Exclude<OncallRequest, { kind: 'at' }>
  | { readonly kind: 'at'; readonly when: WhenInput | RelativeWhen }
  | { readonly kind: 'bad-when'; readonly error: string };

/** How far `/oncall next` looks unless told otherwise, and at most. */
export const NEXT_DEFAULT_HOURS = 48;
export const NEXT_MAX_HOURS = 14 * 24;

function parseHours(args: string): number | null {
  const match = /^(\d{1,3})\s*(h|hours?|d|days?)?$/i.exec(args);
  if (!match) return null;
  const count = Number(match[1]);
  const hours = /^d/i.test(match[2] ?? 'h') ? count * 24 : count;
  return hours >= 1 && hours <= NEXT_MAX_HOURS ? hours : null;
}

/**
 * `/oncall` or `/oncall now`; `next [48h|2d]`; `gaps`; `at <when>`; `load`; `override`; `help`.
 * Unknown words get the help, naming what was not understood.
 */
export function parseOncallCommand(text: string): OncallCommand {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'now' };
  const [first = ''] = trimmed.split(/\s+/);
  const args = trimmed.slice(first.length).trim();
  switch (first.toLowerCase()) {
    case 'now':
    case 'who':
      return { kind: 'now' };
    case 'next':
    case 'handoffs': {
      if (args === '') return { kind: 'next', hours: NEXT_DEFAULT_HOURS };
      const hours = parseHours(args);
      return hours === null ? { kind: 'help', unknown: trimmed } : { kind: 'next', hours };
    }
    case 'gaps':
      return { kind: 'gaps' };
    case 'at': {
      const parsed = parseRelativeWhen(args) ?? parseWhen(args);
      return parsed.ok ? { kind: 'at', when: parsed.when } : { kind: 'bad-when', error: parsed.error };
    }
    case 'load':
      return { kind: 'load' };
    case 'override':
    case 'cover':
      return { kind: 'override' };
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'help', unknown: first };
  }
}

/**
 * The request `/oncall <text>` makes of the on-call service. Throws UserError when the time of
 * `at <when>` cannot be read; the error names the accepted forms.
 */
export function readOncallRequest(escaped: string): OncallRequest {
  // `should_escape: true`: a channel or person in the text arrives as `<#C1|name>` / `<@U1|name>`.
  const text = plainFromSlack(escaped);
  const command = parseOncallCommand(text);
  if (command.kind === 'bad-when') throw new UserError('oncall_bad_time', command.error);
  if (command.kind === 'at') return { ...command, asked: text.trim().replace(/^at\s+/i, '') };
  return command;
}
