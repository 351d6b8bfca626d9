import type { View } from '@slack/types';
import type { Catalog } from '../blocks/catalog.js';
import type { Incident } from '../domain/incident.js';
import type { DeclareIncidentInput } from '../services/declare-incident.js';
import type { IncidentListPage } from '../services/list-incidents.js';
import type { OncallServices } from '../services/oncall/deps.js';
import type { PageServices } from '../services/escalation/index.js';
import type { IncidentServices } from '../services/incident/index.js';
import type { TimelineServices } from '../services/timeline/index.js';
import type { ClockServices } from '../services/clocks/index.js';
import type { RunbookServices } from '../services/runbook/index.js';
import type { HomeServices } from '../services/home/index.js';
import type { ReviewServices } from '../services/review/index.js';
import type { SimilarServices } from '../services/similar/index.js';
import type { IntakeServices } from '../services/intake/index.js';
import type { ReportServices } from '../services/reports/index.js';
import type { WellbeingServices } from '../services/wellbeing/index.js';
import type { Installations } from '../services/installations.js';
import type { FollowUpServices } from '../services/follow-ups/index.js';
import type { PagingServices } from '../services/paging/index.js';
import type { RegulatoryServices } from '../services/regulatory/index.js';
import type { RetentionServices } from '../services/retention/index.js';
import type { Logger } from '../log.js';
import type { Clock } from '../services/types.js';

/** The use cases the Slack edge may call; each is a service bound to its dependencies. */
export interface SlackEdgeServices {
  declareIncident(input: DeclareIncidentInput): Promise<{ incident: Incident; created: boolean }>;
  /** One page (1-based, default 1) of the open incidents the user may see, and their true count. */
  listOpenIncidents(input: { teamId: string; userId: string; page?: number }): Promise<IncidentListPage>;
  /** Opens a modal; must be called within 3 s of the request that carried `triggerId`. */
  openModal(triggerId: string, view: View): Promise<void>;
  /** Slack-formatted text as plain text (mentions as names), for a modal's inline errors. */
  plainText(text: string): Promise<string>;
  /**
   * Tells one person something, only visible to them: through `responseUrl` (the command's or
   * the click's) when given, which reaches them even outside the channel; else an ephemeral in
   * the channel; else a DM.
   */
  tellUser(channelId: string | undefined, userId: string, text: string, responseUrl?: string): Promise<void>;
  /** Acknowledge / escalate pages, from buttons and `/incident ack`. */
  pages: PageServices;
  oncall: OncallServices;
  incidents: IncidentServices;
  timeline: TimelineServices;
  home: HomeServices;
  review: ReviewServices;
  /** Response clocks: `/incident deadline`, `responded`, `deadlines`, the card's "Mark responded". */
  clocks: ClockServices;
  /** The runbook checklist's ticks. */
  runbook: RunbookServices;
  /** Reports from outside Slack: Declare, Merge, Dismiss, `/incident intake`. */
  intake: IntakeServices;
  /** The record for leads and analysts: `/incident export`, `/incident report`. */
  reports: ReportServices;
  /** The Hand over and "I'm fine for now" buttons of wellbeing DMs. */
  wellbeing: Pick<WellbeingServices, 'handOver' | 'stayOn'>;
  /** Seen before: `/incident similar`, `/incident link`. */
  similar: SimilarServices;
  /** `/incident audit INC-n`: the audit log, for admins. */
  auditLog(request: { userId: string; ref: string }): Promise<{ text: string }>;
  /** OAuth installs only: the removal events revoke what is stored. */
  installations?: Pick<Installations, 'workspacesRevoked' | 'workspacesGranted' | 'uninstalled' | 'tokensRevoked'>;
  /** Follow-ups: `/incident follow-up`, `follow-ups`, the card's and the shortcut's modal, "Mark done". */
  followUps: FollowUpServices;
  /** `/oncall me`: where pages reach me beyond Slack. */
  paging?: Pick<PagingServices, 'myPagingModal' | 'saveMyPaging'>;
  /** The regulatory record: orders, `/incident transparency`. */
  regulatory: RegulatoryServices;
  /** Legal holds: `/incident hold`, `release-hold`, `holds`. */
  retention: Pick<
    RetentionServices,
    'hold' | 'releaseHold' | 'listHolds' | 'readHeld' | 'redact' | 'entryOfMessage' | 'followMessageEdit' | 'followMessageDeletion'
  >;
}

/** What every listener receives: the services it may call, the text catalog, the logger and the clock. */
export interface SlackEdgeDeps {
  services: SlackEdgeServices;
  catalog: Catalog;
  logger: Logger;
  /** For checks of typed input that depend on the time (an override must not lie in the past). */
  clock: Clock;
}
