/** `/oncall now` and `/oncall at <when>`: who is on call in every schedule, and in every hub. */
import type { ScheduleStatus } from '../domain/schedule-status.js';
import { escapeInCode, escapeMrkdwn } from '../slack-api/mrkdwn.js';
import { hubLabel, messageOf, person, when, type OncallMessage } from './oncall-format.js';

export const NO_SCHEDULES_TEXT =
  'No on-call schedules are set up yet. Add them to the Meridian config file (`schedules:`, see docs/config-and-rotation.md).';

function untilText(status: ScheduleStatus): string {
  const next = status.next;
  if (!next) return status.onCall ? 'with no change in the next 8 days' : 'and nobody is scheduled in the next 8 days';
  const hub = next.layerName && next.timeZone && next.toUser ? ` (${escapeMrkdwn(next.layerName)})` : '';
  const then = next.toUser ? `, then ${person(next.toUser)}${hub}` : ', then :rotating_light: *nobody*';
  return `until ${when(next.at)}${then}`;
}

/** The main line for one schedule: the person and why, or a clear "nobody". */
export function whoLine(status: ScheduleStatus, at: Date): string {
  const { onCall } = status;
  if (!onCall) return `:rotating_light: *Nobody is on call* ${untilText(status)}`;
  if (onCall.reason.kind === 'override') {
    // The hub is the one whose shift the override covers, not the cover's own.
    const covered = coveredHub(status);
    const hub = covered ? `, for ${hubLabel(covered.layerName, covered.timeZone, at)}` : '';
    return `:arrows_counterclockwise: ${person(onCall.userId)} by *override*${hub}, ${untilText(status)}`;
  }
  const { layerName, timeZone } = onCall.reason;
  return `:large_green_circle: ${person(onCall.userId)}, ${hubLabel(layerName, timeZone, at)}, ${untilText(status)}`;
}

/** Every hub's local time and who its rotation has on shift, so each hub sees the others. */
export function hubsLine(status: ScheduleStatus, at: Date): string {
  const covered = status.onCall?.reason.kind === 'override' ? coveredHub(status) : undefined;
  return status.hubs
    .map((hub) => {
      const who =
        hub === covered && status.onCall
          ? `${person(status.onCall.userId)} by override (for ${person(hub.userId as string)})`
          : hub.userId
            ? person(hub.userId)
            : 'off duty';
      return `${hubLabel(hub.layerName, hub.timeZone, at)}: ${who}`;
    })
    .join('  ·  ');
}

/** The hub an override stands in for: the first layer on shift, as the rotation would page without it. */
function coveredHub(status: ScheduleStatus): ScheduleStatus['hubs'][number] | undefined {
  return status.hubs.find((hub) => hub.userId !== null);
}

/**
 * Who is on call in every schedule at `at`. `now` decides the tense; `note` explains how a
 * typed local time was read (a DST gap or fold).
 */
export function whoIsOnCallMessage(input: {
  statuses: readonly ScheduleStatus[];
  at: Date;
  now: Date;
  asked?: string;
  note?: string;
}): OncallMessage {
  if (input.statuses.length === 0) return messageOf([NO_SCHEDULES_TEXT]);
  const { at, now } = input;
  const isNow = Math.abs(at.getTime() - now.getTime()) < 1000;
  const heading = isNow
    ? `*On call now* (${when(at)})`
    : `*Who ${at < now ? 'was' : 'will be'} on call at ${when(at)}*${input.asked ? ` (you asked for \`${escapeInCode(input.asked)}\`)` : ''}`;
  const sections = [input.note ? `${heading}\n_${escapeMrkdwn(input.note)}_` : heading];
  const contexts = new Map<number, string>();
  for (const status of input.statuses.slice(0, 24)) {
    sections.push(`*${escapeMrkdwn(status.scheduleName)}*\n${whoLine(status, at)}`);
    contexts.set(sections.length - 1, hubsLine(status, at));
  }
  return messageOf(sections, contexts);
}
