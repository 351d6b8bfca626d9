import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, type InstallationStore, LogLevel, SocketModeReceiver, type CustomRoute } from '@slack/bolt';
import { InstallProvider } from '@slack/oauth';
import { inWorkspace } from '../slack-api/index.js';
import { boltLogger } from '../log.js';
import type { SlackEdgeDeps } from './edge-deps.js';
import * as commands from './listeners/commands/index.js';
import * as views from './listeners/views/index.js';
import * as actions from './listeners/actions/index.js';
import * as shortcuts from './listeners/shortcuts/index.js';
import * as followUps from './listeners/follow-ups/index.js';
import * as events from './listeners/events/index.js';
import { registerInstallationEvents } from './listeners/events/installations.js';
import { registerActorCheck } from './listeners/actor-check.js';
import { registerUnhandledFallback } from './listeners/unhandled.js';
import { isFromTheFuture } from './request-timestamp.js';

/** OAuth installs (several workspaces, or one Enterprise Grid org): Bolt's installer and the store. */
export interface SlackOAuthOptions {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  installationStore: InstallationStore;
  /** Bot scopes asked for at /slack/install. */
  scopes: readonly string[];
  /** User scopes asked for (an org admin's `admin.conversations:write` shares channels across workspaces). */
  userScopes: readonly string[];
  /** Slack's authorize page; tests point it at the fake. */
  authorizationUrl?: string;
  /** Told of every install that finished, and of every one refused (no secret in either). */
  onInstall: (outcome: { ok: boolean; stateless: boolean; detail?: string }) => void;
}

export interface SlackAppOptions {
  signingSecret: string;
  /** Single-workspace mode; unset with `oauth`. */
  botToken?: string | undefined;
  oauth?: SlackOAuthOptions;
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
        ...(opts.oauth === undefined ? {} : installerOf(opts.oauth, opts.apiUrl)),
      });
  if (receiver instanceof HTTPReceiver) refuseFutureTimestamps(receiver, deps);
  if (receiver instanceof HTTPReceiver && opts.oauth !== undefined) acceptStatelessInstalls(receiver, opts.oauth, opts.apiUrl, deps);
  const app = new App({
    ...(opts.oauth === undefined ? { token: opts.botToken } : {}),
    receiver,
    logger,
    logLevel: LogLevel.INFO,
    clientOptions: { slackApiUrl: opts.apiUrl, retryConfig: { retries: 0 } },
  });
  app.error(async (err) => {
    deps.logger.error({ err }, 'unhandled error in a Slack listener');
  });
  // Every Slack call made while handling a request is made in the request's workspace (Enterprise Grid).
  if (opts.oauth !== undefined) {
    app.use(async ({ context, next }) => {
      const workspace = context.teamId === undefined ? undefined : { teamId: context.teamId, enterpriseId: context.enterpriseId };
      await inWorkspace(workspace, next);
    });
    registerInstallationEvents(app, deps);
  }
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

/** Bolt's installer: `/slack/install` (state signed with SLACK_STATE_SECRET) and `/slack/oauth_redirect`. */
function installerOf(oauth: SlackOAuthOptions, apiUrl: string) {
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    installationStore: oauth.installationStore,
    scopes: [...oauth.scopes],
    installerOptions: {
      directInstall: true,
      userScopes: [...oauth.userScopes],
      clientOptions: { slackApiUrl: apiUrl },
      ...(oauth.authorizationUrl === undefined ? {} : { authorizationUrl: oauth.authorizationUrl }),
      callbackOptions: callbacksOf(oauth, false),
    },
  };
}

function callbacksOf(oauth: SlackOAuthOptions, stateless: boolean) {
  return {
    success: (_installation: unknown, _options: unknown, _req: IncomingMessage, res: ServerResponse) => {
      oauth.onInstall({ ok: true, stateless });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<p>Meridian is installed. On Enterprise Grid, an org admin must now add it to each workspace (docs/operating.md).</p>');
    },
    failure: (error: Error, _options: unknown, _req: IncomingMessage, res: ServerResponse) => {
      oauth.onInstall({ ok: false, stateless, detail: `${error.name}: ${(error as { code?: string }).code ?? 'install failed'}` });
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<p>Meridian was not installed. Start again from /slack/install, or ask an admin.</p>');
    },
  };
}

/**
 * An org admin may install from Slack's own pages, which redirect here without a `state`
 * (slackapi/java-slack-sdk#828): that callback alone is handled without state verification
 * (the code is still exchanged with the client secret); every other one keeps it.
 */
function acceptStatelessInstalls(receiver: HTTPReceiver, oauth: SlackOAuthOptions, apiUrl: string, deps: SlackEdgeDeps): void {
  const stateless = new InstallProvider({
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    installationStore: oauth.installationStore,
    stateVerification: false,
    clientOptions: { slackApiUrl: apiUrl },
    logger: boltLogger(deps.logger),
  });
  const handle = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (
      req.method === 'GET' &&
      url.pathname === '/slack/oauth_redirect' &&
      url.searchParams.has('code') &&
      !url.searchParams.has('state')
    ) {
      void stateless.handleCallback(req, res, callbacksOf(oauth, true));
      return;
    }
    return handle(req, res);
  };
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
