import type { Incident, IncidentRoleAssignment } from '../domain/incident.js';
import { formatDuration } from '../domain/duration.js';
import { responseTimes } from '../domain/incident-metrics.js';
import { isIncidentRole, ROLE_LABEL } from '../domain/roles.js';
import { escapeMrkdwn, slackDate, userMention } from '../slack-api/mrkdwn.js';
import { severityEmoji, severityLabel, STATUS_LABEL, type Catalog } from './catalog.js';
import { incidentRef, type RenderedMessage } from './incident-messages.js';
import { section } from './kit.js';

/** `/incident status`: where the incident stands, for the person asking. */
export function incidentStatusMessage(incident: Incident, roles: readonly IncidentRoleAssignment[], catalog: Catalog): RenderedMessage {
  const times = responseTimes(incident);
  const t = (label: string, ms: number | null) => (ms === null ? `${label}: _not yet_` : `${label}: ${formatDuration(ms)}`);
  const who = roles.filter((r) => isIncidentRole(r.role)).map((r) => `${ROLE_LABEL[r.role]}: ${userMention(r.userId)}`);
  const lines = [
    `${severityEmoji(incident.severity)} *${incidentRef(incident)}: ${escapeMrkdwn(incident.title)}*`,
    `${escapeMrkdwn(severityLabel(catalog, incident.severity))} | *${STATUS_LABEL[incident.status] ?? incident.status}* | declared ${slackDate(incident.declaredAt)}`,
    [t('Time to acknowledge', times.timeToAcknowledgeMs), t('mitigate', times.timeToMitigateMs), t('resolve', times.timeToResolveMs)].join(
      ' | ',
    ),
    who.length ? who.join(' | ') : 'No roles assigned yet.',
    incident.lastUpdateAt && incident.lastUpdateAt > incident.declaredAt
      ? `Last update ${slackDate(incident.lastUpdateAt)}`
      : 'No status update yet.',
  ];
  const text = lines.join('\n');
  return { text, blocks: [section(text)] };
}
