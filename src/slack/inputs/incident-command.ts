/** The subcommands `/incident` understands; anything else gets the help. */
export const INCIDENT_SUBCOMMANDS = ['declare', 'list', 'ack', 'help'] as const;
export type IncidentSubcommand = (typeof INCIDENT_SUBCOMMANDS)[number];

export type ParsedIncidentCommand =
  | { kind: 'declare'; title: string }
  | { kind: 'list' }
  | { kind: 'ack' }
  | { kind: 'help'; unknown?: string };

/**
 * `/incident` alone or `/incident declare <title>` declares; `list`; `ack` (in the incident
 * channel); `help`. Unknown words get
 * the help, naming what was not understood.
 */
export function parseIncidentCommand(text: string): ParsedIncidentCommand {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'declare', title: '' };
  const [first = ''] = trimmed.split(/\s+/);
  const sub = first.toLowerCase();
  const args = trimmed.slice(first.length).trim();
  switch (sub) {
    case 'declare':
    case 'new':
      return { kind: 'declare', title: args };
    case 'list':
    case 'ls':
      return { kind: 'list' };
    case 'ack':
    case 'acknowledge':
      return { kind: 'ack' };
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'help', unknown: first };
  }
}
