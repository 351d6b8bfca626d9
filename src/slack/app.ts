import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type CustomRoute } from '@slack/bolt';
import type { View } from '@slack/types';
import type { Catalog } from '../blocks/catalog.js';
import type { Incident } from '../db/repos/incidents.js';
import type { DeclareIncidentInput } from '../services/declare-incident.js';
import type { OncallServices } from '../services/oncall/index.js';
import type { PageServices } from '../services/escalation/index.js';
import type { IncidentServices } from '../services/incident/index.js';
import type { TimelineServices } from '../services/timeline/index.js';
import type { HomeServices } from '../services/home/index.js';
import type { ReviewServices } from '../services/review/index.js';
import { boltLogger, type Logger } from '../log.js';
import * as commands from './listeners/commands/index.js';
import * as views from './listeners/views/index.js';
import * as actions from './listeners/actions/index.js';
import * as shortcuts from './listeners/shortcuts/index.js';
import * as events from './listeners/events/index.js';

/** The use cases the Slack edge may call; each is a service bound to its dependencies. */
export interface SlackEdgeServices {
  declareIncident(input: DeclareIncidentInput): Promise<{ incident: Incident; created: boolean }>;
  listOpenIncidents(input: { teamId: string; userId: string }): Promise<Incident[]>;
  /** Opens a modal; must be called within 3 s of the request that carried `triggerId`. */
  openModal(triggerId: string, view: View): Promise<void>;
  /** Tells one person something in a channel, only visible to them (falls back to a DM). */
  tellUser(channelId: string | undefined, userId: string, text: string): Promise<void>;
  /** Acknowledge / escalate pages, from buttons and `/incident ack`. */
  pages: PageServices;
  oncall: OncallServices;
  incidents: IncidentServices;
  timeline: TimelineServices;
  home: HomeServices;
  review: ReviewServices;
}

export interface SlackEdgeDeps {
  services: SlackEdgeServices;
  catalog: Catalog;
  logger: Logger;
}

export interface SlackAppOptions {
  signingSecret: string;
  botToken: string;
  apiUrl: string;
  /** Socket Mode instead of HTTP when set. */
  appToken?: string;
  port: number;
  customRoutes: CustomRoute[];
}

/** Builds the Bolt app (HTTP on /slack/events, or Socket Mode) with every listener registered. */
export function createSlackApp(opts: SlackAppOptions, deps: SlackEdgeDeps): { app: App; receiver: HTTPReceiver | SocketModeReceiver } {
  const logger = boltLogger(deps.logger);
  const receiver = opts.appToken
    ? new SocketModeReceiver({
        appToken: opts.appToken,
        customRoutes: opts.customRoutes,
        installerOptions: { port: opts.port },
        logger,
        clientOptions: { slackApiUrl: opts.apiUrl },
      } as ConstructorParameters<typeof SocketModeReceiver>[0])
    : new HTTPReceiver({
        signingSecret: opts.signingSecret,
        endpoints: ['/slack/events'],
        port: opts.port,
        customRoutes: opts.customRoutes,
        logger,
        // Every request is acked with a response body or nothing; unhandled ones get 404 after 3 s.
        unhandledRequestTimeoutMillis: 3001,
      });
  const app = new App({
    token: opts.botToken,
    receiver,
    logger,
    logLevel: LogLevel.INFO,
    clientOptions: { slackApiUrl: opts.apiUrl, retryConfig: { retries: 0 } },
  });
  app.error(async (err) => {
    deps.logger.error({ err }, 'unhandled error in a Slack listener');
  });
  commands.register(app, deps);
  views.register(app, deps);
  actions.register(app, deps);
  shortcuts.register(app, deps);
  events.register(app, deps);
  return { app, receiver };
}
