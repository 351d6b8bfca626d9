import type { AuditAction } from '../../domain/audit-actions.js';
/** What the deadline changes share: their result, the clock a name picks, the record, and telling the channel after commit. */
import type { StoredClock } from '../../db/repos/clocks.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import type { Incident } from '../../db/repos/incidents.js';
import type { Transaction } from '../../db/client.js';
import { clockLabelOf, MAIN_CLOCK_LABEL } from '../../domain/clocks.js';
import { NotFound, UserError } from '../../errors.js';
import { slackDate } from '../../slack-api/mrkdwn.js';
import { refreshIncidentCard } from '../incident-card.js';
import type { ClockDeps } from './deps.js';

export type Changed = { clock: StoredClock | null; reply: string; channelLine?: string };

export const by = (at: Date) => slackDate(at, '{date_short_pretty} at {time}');

/** With no name: the only open clock, else the one called "response"; undefined means create "response". */
export function mainLabel(open: readonly StoredClock[]): string {
  if (open.length === 1) return (open[0] as StoredClock).label;
  return MAIN_CLOCK_LABEL;
}

export function nameAtFront(clocks: readonly StoredClock[], text: string): { clock: StoredClock; rest: string } | undefined {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  const label = clockLabelOf(first);
  const clock = label ? clocks.find((c) => c.label === label || c.kindId === label) : undefined;
  return clock ? { clock, rest: rest.join(' ') } : undefined;
}

export function severalClocks(clocks: readonly StoredClock[], usage: string): UserError {
  return new UserError(
    'several_clocks',
    `This incident runs several clocks: ${clocks.map((c) => `\`${c.label}\``).join(', ')}. Name one: \`${usage}\`.`,
  );
}

export function pick(clocks: readonly StoredClock[], text: string, usage: string): { clock: StoredClock; rest: string } {
  const named = nameAtFront(clocks, text);
  if (named) return named;
  if (clocks.length === 1) return { clock: clocks[0] as StoredClock, rest: text.trim() };
  if (clocks.length === 0) throw new NotFound('This incident has no running clock.');
  throw severalClocks(clocks, usage);
}

/** A clock change in the timeline and the audit log, in the change's transaction. */
export async function record(
  tx: Transaction,
  incident: Incident,
  {
    actorId,
    at,
    kind,
    text,
    action,
    details,
  }: { actorId: string; at: Date; kind: string; text: string; action: AuditAction; details: Record<string, unknown> },
): Promise<void> {
  await addTimelineEntry(tx, { incidentId: incident.id, at, kind, actorId, text, data: details });
  await addAuditRecord(tx, { incidentId: incident.id, at, actorId, action, details });
}

/**
 * After commit (the old plan left the queue and the new one joined it): tell the channel, refresh
 * the card. Returns what the caller still needs to hear: nothing when the channel has the line
 * (the command was typed there, the line is the record), the reply when the channel could not be told.
 */
export async function afterChange(deps: ClockDeps, incident: Incident, changed: Changed): Promise<string> {
  let told = false;
  if (incident.channelId && changed.channelLine) {
    told = await deps.slack
      .postMessage({ channel: incident.channelId, text: changed.channelLine })
      .then(() => true)
      .catch((err: unknown) => {
        deps.logger.warn({ err, incidentId: incident.id }, 'clock change not posted');
        return false;
      });
  }
  await refreshIncidentCard(deps, incident.id).catch((err: unknown) => deps.logger.warn({ err }, 'card not refreshed'));
  return told ? '' : changed.reply;
}
