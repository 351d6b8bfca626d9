/** The subcommands `/oncall` understands; anything else gets the help. */
import { parseWhen, type WhenInput } from './parse-when.js';

export type OncallCommand =
  | { readonly kind: 'now' }
  | { readonly kind: 'next'; readonly hours: number }
  | { readonly kind: 'gaps' }
  | { readonly kind: 'at'; readonly when: WhenInput }
  | { readonly kind: 'bad-when'; readonly error: string }
  | { readonly kind: 'load' }
  | { readonly kind: 'override' }
  | { readonly kind: 'help'; readonly unknown?: string };

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
      const parsed = parseWhen(args);
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
