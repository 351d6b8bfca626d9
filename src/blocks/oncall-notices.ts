/** DMs about on-call changes: a handoff to the incoming and outgoing person, an override saved. */
import type { IncidentClock } from '../domain/clocks.js';
import type { Incident } from '../domain/incident.js';
import { nextDeadlineText } from './clock-messages.js';
import { channelLink, escapeMrkdwn } from '../slack-api/mrkdwn.js';
import { severityEmoji, type Catalog } from './catalog.js';
import { dmSubject } from './page-messages.js';
import { incidentRef } from './incident-messages.js';
import { cityOf, hubClock, messageOf, person, when, type OncallMessage } from './oncall-format.js';

interface HandoffFacts {
  scheduleName: string;
  /** The hub taking over; null for an override. */
  layerName: string | null;
  /** Zone to state the end of the shift in; the hub's, else the incoming person's own. */
  timeZone: string;
  at: Date;
  /** The next change of person; null when none is planned within the horizon. */
  until: Date | null;
}

function scheduleLabel(facts: Pick<HandoffFacts, 'scheduleName' | 'layerName'>): string {
  const hub = facts.layerName ? ` (${escapeMrkdwn(facts.layerName)})` : ' (override)';
  return `*${escapeMrkdwn(facts.scheduleName)}*${hub}`;
}

/** A DM's line for an incident: a sensitive category's title stays in its channel (a lock screen shows the DM). */
function incidentLine(incident: Incident, catalog: Pick<Catalog, 'categories'>): string {
  const lock = incident.isPrivate ? ':lock: ' : '';
  const where = incident.channelId ? ` in ${channelLink(incident.channelId)}` : '';
  return `• ${severityEmoji(incident.severity)} ${lock}*${incidentRef(incident)}* ${dmSubject(incident, catalog)}${where}`;
}

/** To the person taking over: until when (hub time and reader's time), and what they inherit. */
export function incomingHandoffMessage(
  facts: HandoffFacts & {
    fromUser: string | null;
    incidents: readonly Incident[];
    /** Which categories are sensitive: their incidents are listed without their titles. */
    catalog: Pick<Catalog, 'categories'>;
    /** The clocks of those incidents still asking for an answer, soonest first: the next hub inherits them. */
    clocks?: readonly IncidentClock[];
  },
): OncallMessage {
  const until = facts.until
    ? `until ${hubClock(facts.until, facts.timeZone)} ${escapeMrkdwn(cityOf(facts.timeZone))} time (${when(facts.until)})`
    : 'with no handoff planned in the next 8 days';
  const from = facts.fromUser ? `You take over from ${person(facts.fromUser)}.` : 'Nobody was on call before you.';
  const head = `:pager: You are on call for ${scheduleLabel(facts)} ${until}. ${from}`;
  const open =
    facts.incidents.length === 0
      ? ':sunny: No open incidents right now.'
      : `*${facts.incidents.length} open incident${facts.incidents.length === 1 ? '' : 's'}* you inherit:\n${facts.incidents
          .slice(0, 20)
          .map((i) => incidentLine(i, facts.catalog))
          .join('\n')}${facts.incidents.length > 20 ? `\n…and ${facts.incidents.length - 20} more (\`/incident list\`)` : ''}`;
  const clocks = facts.clocks ?? [];
  const refOf = new Map(facts.incidents.map((i) => [i.id, incidentRef(i)]));
  const running =
    clocks.length === 0
      ? []
      : [
          `*${clocks.length} running clock${clocks.length === 1 ? '' : 's'}* you inherit:\n${clocks
            .slice(0, 20)
            .map((c) => `• *${refOf.get(c.incidentId) ?? 'An incident'}* ${nextDeadlineText(c, facts.at)}`)
            .join('\n')}${clocks.length > 20 ? `\n…and ${clocks.length - 20} more (\`/incident deadlines\`)` : ''}`,
        ];
  return messageOf([head, open, ...running]);
}

/** To the person handing over: who took over, and when. */
export function outgoingHandoffMessage(facts: Pick<HandoffFacts, 'scheduleName' | 'layerName' | 'at'> & { toUser: string }): OncallMessage {
  return messageOf([
    `:wave: ${person(facts.toUser)} took over ${scheduleLabel(facts)} from you at ${when(facts.at)}. You are off call for it now. Thank you!`,
  ]);
}

/** To whoever saved an override, and to the person covering when that is someone else. */
export function overrideSavedMessage(input: {
  scheduleName: string;
  coverUser: string;
  savedBy: string;
  from: Date;
  to: Date;
  reason: string | null;
  forCover: boolean;
}): OncallMessage {
  const span = `from ${when(input.from)} to ${when(input.to)}`;
  const reason = input.reason ? `\nReason: ${escapeMrkdwn(input.reason)}` : '';
  const head = input.forCover
    ? `:arrows_counterclockwise: ${person(input.savedBy)} set you to cover *${escapeMrkdwn(input.scheduleName)}* ${span}.`
    : `:white_check_mark: Override saved: ${person(input.coverUser)} covers *${escapeMrkdwn(input.scheduleName)}* ${span}.`;
  return messageOf([`${head}${reason}`]);
}
