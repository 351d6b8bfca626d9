import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type CustomRoute } from '@slack/bolt';
import { boltLogger } from '../log.js';
import type { SlackEdgeDeps } from './edge-deps.js';
import * as commands from './listeners/commands/index.js';
import * as views from './listeners/views/index.js';
import * as actions from './listeners/actions/index.js';
import * as shortcuts from './listeners/shortcuts/index.js';
import * as events from './listeners/events/index.js';

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
