import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type CustomRoute } from '@slack/bolt';
import { boltLogger } from '../log.js';
import type { SlackEdgeDeps } from './edge-deps.js';
import * as commands from './listeners/commands/index.js';
import * as views from './listeners/views/index.js';
import * as actions from './listeners/actions/index.js';
import * as shortcuts from './listeners/shortcuts/index.js';
import * as followUps from './listeners/follow-ups/index.js';
import * as events from './listeners/events/index.js';
import { registerActorCheck } from './listeners/actor-check.js';
import { registerUnhandledFallback } from './listeners/unhandled.js';
import { isFromTheFuture } from './request-timestamp.js';

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
        // Bolt hands installerOptions.clientOptions to the Socket Mode client (a top-level
        // clientOptions is ignored): apps.connections.open goes to SLACK_API_URL too.
        installerOptions: { port: opts.port, clientOptions: { slackApiUrl: opts.apiUrl } },
        logger,
      })
    : new HTTPReceiver({
        signingSecret: opts.signingSecret,
        endpoints: ['/slack/events'],
        port: opts.port,
        customRoutes: opts.customRoutes,
        logger,
        // Every request is acked with a response body or nothing; unhandled ones get 404 after 3 s.
        unhandledRequestTimeoutMillis: 3001,
      });
  if (receiver instanceof HTTPReceiver) refuseFutureTimestamps(receiver, deps);
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
  // Socket Mode's ack does not refuse a second call, which is how the fallback knows a request was answered.
  if (receiver instanceof HTTPReceiver) registerUnhandledFallback(app, deps);
  registerActorCheck(app, deps);
  commands.register(app, deps);
  views.register(app, deps);
  actions.register(app, deps);
  shortcuts.register(app, deps);
  events.register(app, deps);
  followUps.register(app, deps);
  return { app, receiver };
}

/**
 * Refuses, before Bolt reads the body, a request stamped more than 5 minutes ahead of the real
 * clock (Bolt checks the signature and old timestamps, against the real clock too).
 */
function refuseFutureTimestamps(receiver: HTTPReceiver, deps: SlackEdgeDeps): void {
  const handle = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    if (isFromTheFuture(req.headers['x-slack-request-timestamp'], Date.now())) {
      deps.logger.warn({ url: req.url }, 'refused a Slack request stamped more than 5 minutes in the future');
      res.writeHead(401).end();
      return;
    }
    return handle(req, res);
  };
}
