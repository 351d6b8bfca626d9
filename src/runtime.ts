import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Config, ConfigError } from './config.js';
import type { MeridianConfig } from './config-file/types.js';
import { DEFAULT_REGULATORY } from './config-file/regulatory.js';
import { openDatabase, type DatabaseHandle } from './db/client.js';
import { createMetrics, type Metrics } from './metrics.js';
import { healthRoute, metricsRoute, reviewRoute } from './http/routes.js';
import { auditExportRoute } from './http/audit-route.js';
import { intakeRoute } from './http/intake.js';
import { incidentsCsvRoute } from './http/export-route.js';
import { transparencyCsvRoute } from './http/transparency-route.js';
import { createRegulatoryServices } from './services/regulatory/index.js';
import { createReportServices, type ReportServices } from './services/reports/index.js';
import { createDigestServices, type DigestServices } from './services/reports/digest.js';
import { startOpsServer } from './http/ops-server.js';
import { createActionQueue, type ActionQueue } from './jobs/action-queue.js';
import { startActionWorker } from './jobs/action-worker.js';
import { reconcilerHealth, startHeartbeat } from './jobs/heartbeat.js';
import { nextDueAction, promoteNextDueAction, type NextDueAction } from './jobs/due-now.js';
import { OVERDUE_AFTER_MS, reconcileActions, startReconciler } from './jobs/reconciler.js';
import { sampleOps } from './db/repos/ops-metrics.js';
import { duplicateDeliveries } from './db/repos/slack-events.js';
import { incidentAuditLog } from './services/incident/audit-log.js';
import { runScheduledAction, type ActionHandlers, type RunActionDeps } from './jobs/run-action.js';
import type { Logger } from './log.js';
import { producerConnection, resolveRedis, workerConnection, type RedisConnection, type RedisEndpoint } from './redis.js';
import { declareIncident } from './services/declare-incident.js';
import { createActionLimiter } from './rate-limiters/action-limiter.js';
import { createIntakeLimiter, type IntakeLimiter } from './rate-limiters/intake-limiter.js';
import { createIntakeServices, type IntakeServices } from './services/intake/index.js';
import { listOpenIncidents } from './services/list-incidents.js';
import { tellUser } from './services/tell-user.js';
import { plainText } from './services/plain-text.js';
import { createPageServices } from './services/escalation/index.js';
import { refreshIncidentCard, renderIncidentCard } from './services/incident-card.js';
import { createOncallServices } from './services/oncall/index.js';
import type { OncallServices } from './services/oncall/deps.js';
import { intakeSecretProblems } from './domain/intake.js';
import { keepSyncedConfig, syncConfigIntoDatabase } from './services/sync-config.js';
import { createIncidentServices } from './services/incident/create.js';
import { createTimelineServices } from './services/timeline/index.js';
import { createClockServices } from './services/clocks/index.js';
import { createRunbookServices } from './services/runbook/index.js';
import { createHomeServices } from './services/home/index.js';
import { createActionHandlers } from './services/action-handlers.js';
import { createFollowUpServices } from './services/follow-ups/index.js';
import { createFollowUp } from './services/follow-ups/create.js';
import { createJiraGateway } from './jira-api/gateway.js';
import { checkJiraProjects } from './services/follow-ups/jira-projects.js';
import { createOutgoingWebhook } from './outgoing-webhook/gateway.js';
import { createReviewServices, type ReviewServices } from './services/review/index.js';
import { createRetentionServices, type RetentionServices } from './services/retention/index.js';
import { createSimilarServices } from './services/similar/index.js';
import type { Incident } from './db/repos/incidents.js';
import type { Clock } from './services/types.js';
import { createSlackApp } from './slack/app.js';
import type { SlackEdgeDeps } from './slack/edge-deps.js';
import { createSlackGateway, type SlackGateway } from './slack-api/gateway.js';
import { createPacer } from './slack-api/pacer.js';
import { withQuietIncidentChannels } from './services/quiet-channels.js';
import { createWellbeingServices, type WellbeingServices } from './services/wellbeing/index.js';
import { createSlackConfigurationWatch } from './services/slack-configuration.js';
import { createInstallations, type Installations } from './services/installations.js';
import { createInstallationCipher, parseEncryptionKey } from './db/installation-cipher.js';
import { scopesMeridianNeeds } from './slack-api/method-scopes.js';
import { SHARE_CHANNEL_SCOPE } from './slack-api/org-token.js';
import { createHmac } from 'node:crypto';
import { createTwilioGateway } from './notify-api/twilio.js';
import { createMailGateway } from './notify-api/mail.js';
import { createPagingServices, type PagingServices } from './services/paging/index.js';
import type { PagingDeps } from './services/paging/deps.js';
import { twilioWebhookRoutes } from './http/twilio-webhooks.js';
import { jiraWebhookRoute } from './http/jira-webhook.js';

export interface RuntimeOptions {
  logger: Logger;
  meridian: MeridianConfig;
  clock?: Clock;
  /** How often the reconciler runs; a minute in production. */
  reconcileEveryMs?: number;
  workerConcurrency?: number;
  /** `all` (default): the Slack edge, the workers and the reconciler; `worker`: no Slack edge, only /healthz and /metrics. */
  role?: 'all' | 'worker';
  /**
   * Whether this process writes `meridian` into the database. Only one role does (the bot, not
   * `--worker`), and none without a file: `{ skip: reason }` keeps what the database has and logs
   * why. Default: sync when role is `all`, refusing a config that would remove every schedule or
   * policy unless `allowEmpty`.
   */
  syncConfig?: { allowEmpty?: boolean } | { skip: string };
}

export interface Runtime {
  port: number;
  /** The queue's next delayed action, and running it now (the sandbox's "Run due now"). */
  scheduledActions: { next(): Promise<NextDueAction | undefined>; runNext(): Promise<NextDueAction | undefined> };
  /** Stops taking requests, drains in-flight work, closes pools. Safe to call twice. */
  close(): Promise<void>;
}

/** Wires every part together and starts serving. main.ts and the end-to-end tests both use it. */
export async function startMeridian(config: Config, opts: RuntimeOptions): Promise<Runtime> {
  const { logger } = opts;
  const clock = opts.clock ?? (() => new Date());
  const cleanups: Cleanup[] = [];
  const close = onceAll(cleanups, logger);
  const track: Track = (name, cleanup) => void cleanups.unshift([name, cleanup]);
  try {
    const concurrency = opts.workerConcurrency ?? 10;
    const stores = await connectStores(config, { concurrency, logger }, track);
    const services = await buildServices(config, { ...opts, clock }, stores, track);
    startWorkers(config, { ...opts, clock, concurrency }, stores, services, track);
    watchSlackScopes(services, opts.reconcileEveryMs ?? config.RECONCILE_EVERY_MS, track);
    const role = opts.role ?? 'all';
    const port =
      role === 'worker'
        ? await startOpsServer(config.PORT, opsRoutes(stores, services), track)
        : await startEdge(config, { logger, meridian: opts.meridian }, stores, services, track);
    logger.info({ port, role, database: stores.database.kind, redis: stores.redis.describe }, 'Meridian is running');
    const { queue } = services.queue;
    const scheduledActions = { next: () => nextDueAction(queue), runNext: () => promoteNextDueAction(queue) };
    return { port, close, scheduledActions };
  } catch (err) {
    await close();
    throw err;
  }
}

type Cleanup = [name: string, run: () => Promise<unknown>];
/** Registers a cleanup for `close`; the newest runs first. */
type Track = (name: string, cleanup: () => Promise<unknown>) => void;

interface Stores {
  database: DatabaseHandle;
  redis: RedisEndpoint;
  /** Commands and enqueues; fails fast. */
  producer: RedisConnection;
  /** The workers' blocking connection. */
  blocking: RedisConnection;
}

/** Opens and migrates the database, and connects to Redis (a private one when none is configured). */
async function connectStores(config: Config, opts: { concurrency: number; logger: Logger }, track: Track): Promise<Stores> {
  const { logger } = opts;
  // A running action holds one connection for its row lock and needs another for its own
  // writes: with fewer than two per job, a full worker would wait on itself forever.
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, maxConnections: opts.concurrency * 2 + 5 });
  track('database', () => database.close());
  await database.migrate();

  const cluster = config.REDIS_CLUSTER_NODES && { nodes: config.REDIS_CLUSTER_NODES, password: config.REDIS_PASSWORD };
  const redis = await resolveRedis({ url: config.REDIS_URL, cluster, dataDir: config.DATA_DIR, logger });
  track('private redis', () => redis.stop());
  const producer = producerConnection(redis);
  const blocking = workerConnection(redis);
  producer.on('error', (err) => logger.warn({ err }, 'redis (producer) error'));
  blocking.on('error', (err) => logger.warn({ err }, 'redis (worker) error'));
  track('redis connections', async () => Promise.all([producer.quit(), blocking.quit()]));
  return { database, redis, producer, blocking };
}

interface Services {
  metrics: Metrics;
  queue: ActionQueue;
  handlers: ActionHandlers;
  deliverers: RunActionDeps['deliverers'];
  oncall: OncallServices;
  edge: SlackEdgeDeps;
  review: ReviewServices;
  intake: IntakeServices;
  intakeLimiter: IntakeLimiter;
  reports: ReportServices;
  digests: DigestServices;
  wellbeing: WellbeingServices;
  retention: RetentionServices;
  slackConfig: ReturnType<typeof createSlackConfigurationWatch>;
  /** OAuth installs only (SLACK_CLIENT_ID): the encrypted installation store and per-workspace routing. */
  installations: Installations | undefined;
  slackUrgent: SlackGateway;
  paging: PagingServices;
  /** Set once the edge listens: the address Twilio and email links reach when PUBLIC_URL is unset. */
  ownUrl: { value: string };
}

/** The installation store, with SLACK_CLIENT_ID (config.ts has checked the rest is there). */
function installationsOf(config: Config, deps: { db: DatabaseHandle['db']; logger: Logger; clock: Clock }): Installations | undefined {
  if (config.SLACK_CLIENT_ID === undefined || config.INSTALLATION_ENCRYPTION_KEY === undefined) return undefined;
  const key = parseEncryptionKey(config.INSTALLATION_ENCRYPTION_KEY);
  if (key === undefined) throw new ConfigError(['INSTALLATION_ENCRYPTION_KEY: expected 32 random bytes as base64']);
  return createInstallations({ ...deps, cipher: createInstallationCipher(key), homeTeamId: config.SLACK_HOME_TEAM_ID });
}

/** The start-up scope check (not awaited: a slow Slack must not hold the start), then again while a scope is missing. */
function watchSlackScopes(services: Services, everyMs: number, track: Track): void {
  void services.slackConfig.scopes.run();
  const timer = setInterval(services.slackConfig.tick, everyMs);
  timer.unref();
  track('slack scope check', async () => clearInterval(timer));
}

/** Creates the Slack gateways and the queue, syncs the config file into the database, binds the use cases. */
async function buildServices(config: Config, opts: RuntimeOptions & { clock: Clock }, stores: Stores, track: Track): Promise<Services> {
  const { logger, meridian, clock } = opts;
  const { db } = stores.database;
  const metrics = createMetrics({
    sample: async () => ({
      ...(await sampleOps(db, clock(), OVERDUE_AFTER_MS)),
      queue: await queue.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized'),
      deliveriesDeduplicated: duplicateDeliveries(),
    }),
  });
  const onAttempt = (method: string, result: string) => metrics.slackCalls.inc({ method, result });
  const slackConfig = createSlackConfigurationWatch({
    slack: () => slack,
    admins: opts.meridian.admins,
    feedChannelId: config.INCIDENT_FEED_CHANNEL,
    logger,
    metrics,
    clock,
  });
  const { onRefusal } = slackConfig;
  // The triage channel and private and sensitive incidents' channels get no unfurls in anything the bot posts there.
  const quiet = { db, catalog: meridian, quietChannels: new Set(config.INTAKE_CHANNEL ? [config.INTAKE_CHANNEL] : []) };
  // One pacer for every gateway of this process, its buckets shared with the other replicas in Redis.
  const pacer =
    config.SLACK_PACING === 'off'
      ? undefined
      : createPacer({
          redis: stores.producer,
          keyPrefix: `${config.QUEUE_PREFIX}:pace`,
          scale: config.SLACK_RATE_SCALE,
          logger,
          onWait: (method, tier, seconds) => metrics.slackLimiterWait.observe({ method, tier: String(tier) }, seconds),
        });
  const installations = installationsOf(config, { db, logger, clock });
  // OAuth installs: no token of its own; each call takes its workspace's (workspace.ts).
  const gateway = {
    token: config.SLACK_BOT_TOKEN ?? '',
    apiUrl: config.SLACK_API_URL,
    logger,
    pacer,
    ...(installations === undefined ? {} : { routing: installations.routing }),
  };
  const timeoutMs = config.SLACK_TIMEOUT_MS;
  const slack = withQuietIncidentChannels(createSlackGateway({ ...gateway, retry: { onAttempt, onRefusal, timeoutMs } }), quiet);
  // Pages and missed-deadline alerts: the same worker retries, served before channel set-ups and digests.
  const slackUrgent = withQuietIncidentChannels(
    createSlackGateway({ ...gateway, urgency: 'urgent', retry: { onAttempt, onRefusal, timeoutMs } }),
    quiet,
  );
  // Inside a Slack request there is no time for Retry-After: one short try, then tell the user.
  const slackNow = withQuietIncidentChannels(
    createSlackGateway({
      ...gateway,
      urgency: 'urgent',
      maxPaceWaitMs: 1000,
      retry: { maxAttempts: 2, maxRetryAfterMs: 1000, timeoutMs: 2500, baseDelayMs: 100, onAttempt, onRefusal },
    }),
    quiet,
  );

  const queue = createActionQueue({
    connection: stores.producer,
    prefix: config.QUEUE_PREFIX,
    logger,
    clock,
    backoffScale: config.JOB_BACKOFF_SCALE,
  });
  track('queue', () => queue.close());

  const sync = opts.syncConfig ?? (opts.role === 'worker' ? { skip: 'a worker never syncs the config; the bot does' } : {});
  if ('skip' in sync) {
    await keepSyncedConfig({ db, logger }, sync.skip);
  } else {
    await syncConfigIntoDatabase({ db, slack, logger, clock }, meridian, { allowEmpty: sync.allowEmpty === true });
  }

  const catalog = {
    ...{ severities: meridian.severities, categories: meridian.categories, deadlines: meridian.deadlines ?? [] },
    holdDuties: meridian.retention?.holds ?? [],
    regulatory: meridian.regulatory ?? DEFAULT_REGULATORY,
  };
  // On the producer connection (fails fast), under the queue's prefix: one count for every replica.
  const limiter = createActionLimiter({
    redis: stores.producer,
    keyPrefix: `${config.QUEUE_PREFIX}:limit`,
    limits: meridian.limits,
    logger,
  });
  const feedChannelId = config.INCIDENT_FEED_CHANNEL;
  const renderCard = (incident: Incident) => renderIncidentCard({ db, catalog }, incident);
  const oncall = createOncallServices({ db, slack, scheduler: queue, meridian, logger, clock, limiter });
  const review = createReviewServices({ db, slack, catalog, meridian, logger, clock, limiter, scheduler: queue });
  const jira =
    config.JIRA_BASE_URL && config.JIRA_EMAIL && config.JIRA_API_TOKEN
      ? createJiraGateway({ baseUrl: config.JIRA_BASE_URL, email: config.JIRA_EMAIL, apiToken: config.JIRA_API_TOKEN })
      : undefined;
  const webhook =
    config.FOLLOW_UP_WEBHOOK_URL && config.FOLLOW_UP_WEBHOOK_SECRET
      ? createOutgoingWebhook({ url: config.FOLLOW_UP_WEBHOOK_URL, secret: config.FOLLOW_UP_WEBHOOK_SECRET })
      : undefined;
  const trackers = { ...(jira ? { jira } : {}), ...(webhook ? { webhook } : {}) };
  const incidents = createIncidentServices({
    db,
    slack,
    scheduler: queue,
    catalog,
    meridian,
    feedChannelId,
    logger,
    clock,
    review,
    ...trackers,
    reviewCanvas: { refresh: (incidentId: string) => review.refreshCanvas(incidentId) },
  });
  const wellbeing = createWellbeingServices({ db, slack, scheduler: queue, catalog, meridian, feedChannelId, logger, clock, review });
  const timeline = createTimelineServices({ db, slack, catalog, logger, clock, admins: meridian.admins, retention: meridian.retention });
  const clockDeps = { db, slack, scheduler: queue, catalog, meridian, feedChannelId, logger, clock };
  const clocks = createClockServices({ ...clockDeps, slack: slackNow });
  const home = createHomeServices({ db, slack, catalog, meridian, logger, clock });
  const intakeDeps = { db, slack, scheduler: queue, catalog, meridian, triageChannelId: config.INTAKE_CHANNEL, logger, clock };
  const intake = createIntakeServices(intakeDeps);
  const intakeLimiter = createIntakeLimiter({
    redis: stores.producer,
    keyPrefix: `${config.QUEUE_PREFIX}:limit`,
    perMinute: meridian.intake.rateLimitPerMinute,
    overallPerMinute: meridian.intake.overallRateLimitPerMinute,
    logger,
  });
  const digests = createDigestServices({
    ...{ db, slack, scheduler: queue, catalog, reports: meridian.reports, logger, clock },
    followUpTeams: meridian.followUps?.teams ?? [],
    regulatory: meridian.regulatory,
  });
  const reports = createReportServices({ db, slack, logger, clock, digests, admins: meridian.admins, regulatory: meridian.regulatory });
  const retention = createRetentionServices({
    ...{ db, scheduler: queue, admins: meridian.admins, retention: meridian.retention, logger, clock },
    groupMembers: (groupId) => slack.usergroupMembers(groupId),
    nameOf: (userId) => slack.userInfo(userId).then((u) => u.displayName || u.realName || u.name || undefined),
    refreshCard: (incidentId) =>
      refreshIncidentCard({ db, catalog, clock, slack: slackNow }, incidentId).catch((err: unknown) =>
        logger.warn({ err, incidentId }, 'could not refresh the card after a legal hold'),
      ),
    // A redaction reaches the review canvas already in Slack, not only the Markdown kept in the record.
    refreshReview: (incidentId) =>
      review
        .rewriteCanvas(incidentId)
        .catch((err: unknown) => logger.warn({ err, incidentId }, 'review canvas not refreshed after a redaction')),
    refreshReportPosts: (reportId) =>
      intake.refreshPosts(reportId).catch((err: unknown) => logger.warn({ err, reportId }, 'report posts not refreshed after a redaction')),
    rewritePost: (post, message) =>
      slack.updateMessage({ ...post, ...message }).catch((err: unknown) => logger.warn({ err }, 'a post not rewritten after a redaction')),
  });
  const followUpDeps = {
    db,
    slack,
    scheduler: queue,
    catalog,
    meridian,
    logger,
    clock,
    ...(jira ? { jira } : {}),
    ...(webhook ? { webhook } : {}),
    reviewCanvas: { refresh: (incidentId: string) => review.refreshCanvas(incidentId) },
  };
  const followUps = createFollowUpServices({ ...followUpDeps, slack: slackNow });
  // Said in the log, never awaited: a slow Jira does not hold the start.
  if (jira) void checkJiraProjects({ jira, logger }, meridian.followUps?.teams ?? []);
  const ownUrl = { value: `http://127.0.0.1:${config.PORT}` };
  const pagingDeps = pagingDepsOf(config, { db, catalog, meridian, metrics, logger, clock, ownUrl }, track);
  const handlers = createActionHandlers({
    ...{ db, slack, slackUrgent, catalog, meridian, feedChannelId, logger, clock, renderCard },
    ...{
      clocks: clockDeps,
      intake: intakeDeps,
      oncall,
      digests,
      wellbeing,
      metrics,
      followUps: followUpDeps,
      paging: pagingDeps,
      retention,
      review,
    },
  });
  const deliverers = { urgent: slackUrgent, soon: slack, normal: slack, bulk: slack };
  const edge: SlackEdgeDeps = {
    logger,
    catalog,
    clock,
    services: {
      declareIncident: (input) => declareIncident({ db, scheduler: queue, clock, meridian, limiter }, input),
      listOpenIncidents: (input) => listOpenIncidents({ db }, input),
      openModal: async (triggerId, view) => void (await slackNow.openView(triggerId, view)),
      plainText: (text) => plainText({ slack: slackNow, logger }, text),
      tellUser: (channelId, userId, text, responseUrl) =>
        tellUser({ slack: slackNow, logger }, { channelId, userId, text, ...(responseUrl ? { responseUrl } : {}) }).catch((err: unknown) =>
          logger.warn({ err, userId }, 'could not reach the user'),
        ),
      pages: createPageServices({
        ...{ db, slack: slackNow, scheduler: queue, catalog, admins: meridian.admins, limiter, logger, clock },
        onAcknowledged: (ttaMs) => {
          metrics.pagesAcknowledged.inc();
          metrics.timeToAcknowledge.observe(ttaMs / 1000);
        },
      }),
      oncall,
      incidents,
      timeline,
      home,
      review,
      intake,
      clocks,
      runbook: createRunbookServices({ db, slack: slackNow, catalog, clock, admins: meridian.admins }),
      auditLog: (request) => incidentAuditLog({ db, admins: meridian.admins, clock }, request),
      reports,
      wellbeing,
      ...(installations === undefined ? {} : { installations }),
      followUps,
      retention,
      regulatory: createRegulatoryServices({
        ...{ db, slack, scheduler: queue, catalog, meridian, logger, clock },
        createFollowUp: (input) => createFollowUp(followUpDeps, input),
      }),
      similar: createSimilarServices({ db, slack: slackNow, catalog, admins: meridian.admins, logger, clock }),
    },
  };
  const paging = createPagingServices({ ...pagingDeps, pages: edge.services.pages, scheduler: queue });
  // Only the process that syncs the config file writes its contacts.
  if (!('skip' in sync)) await paging.loadConfigContacts();
  edge.services.paging = paging;
  return {
    metrics,
    queue,
    handlers,
    deliverers,
    oncall,
    edge,
    review,
    intake,
    intakeLimiter,
    reports,
    digests,
    wellbeing,
    slackConfig,
    retention,
    paging,
    ownUrl,
    installations,
    slackUrgent,
  };
}

/** The providers beyond Slack (each only when configured) and what their messages link back to. */
function pagingDepsOf(
  config: Config,
  base: Pick<PagingDeps, 'db' | 'catalog' | 'meridian' | 'metrics' | 'logger' | 'clock'> & { ownUrl: { value: string } },
  track: Track,
): PagingDeps {
  const twilio =
    config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN && config.TWILIO_FROM
      ? createTwilioGateway({
          accountSid: config.TWILIO_ACCOUNT_SID,
          authToken: config.TWILIO_AUTH_TOKEN,
          from: config.TWILIO_FROM,
          apiUrl: config.TWILIO_API_URL,
        })
      : undefined;
  if ((twilio || config.SMTP_URL) && !config.PUBLIC_URL) {
    base.logger.warn(
      'PUBLIC_URL is unset: call menus and email acknowledge links point at this process’s local address, which Twilio and mail readers cannot reach',
    );
  }
  const mail = config.SMTP_URL ? createMailGateway({ url: config.SMTP_URL, from: config.SMTP_FROM }) : undefined;
  if (mail) track('mail', async () => mail.close());
  const { ownUrl, ...rest } = base;
  return {
    ...rest,
    twilio,
    mail,
    publicUrl: () => config.PUBLIC_URL ?? ownUrl.value,
    // A key of its own, derived: an email link never verifies as a Slack request, nor the reverse.
    linkSecret: createHmac('sha256', config.SLACK_SIGNING_SECRET).update('meridian email ack links').digest('base64url'),
  };
}

/** Starts the action worker and the reconciler (which plans handoff notices first, each run). */
function startWorkers(
  config: Config,
  opts: RuntimeOptions & { clock: Clock; concurrency: number },
  stores: Stores,
  services: Services,
  track: Track,
): void {
  const { logger, clock } = opts;
  const { db, singleConnection } = stores.database;
  const { queue, metrics, oncall } = services;
  const runDeps = {
    db,
    singleConnection,
    scheduler: queue,
    handlers: services.handlers,
    deliverers: services.deliverers,
    logger,
    metrics,
    clock,
    ...(services.installations === undefined
      ? {}
      : {
          onWorkspaceGone: (action: { id: string; kind: string; teamId: string | null }) =>
            services.installations?.actionFailedClosed(services.slackUrgent, opts.meridian.admins, action) ?? Promise.resolve(),
        }),
  };
  const worker = startActionWorker({
    connection: stores.blocking,
    prefix: config.QUEUE_PREFIX,
    concurrency: opts.concurrency,
    lockMs: config.JOB_LOCK_MS,
    logger,
    run: (id) => runScheduledAction(runDeps, id),
  });
  track('worker', () => worker.close());

  const reconcileEveryMs = opts.reconcileEveryMs ?? config.RECONCILE_EVERY_MS;
  const reconciler = reconcilerHealth(reconcileEveryMs);
  const stopReconciler = startReconciler(
    () =>
      reconciler.track(async () => {
        await oncall.planHandoffNotices();
        await services.digests.plan();
        // A failure here must not stop the reconciling below.
        await services.wellbeing.plan().catch((err: unknown) => logger.warn({ err }, 'planning wellbeing checks failed'));
        await services.retention.plan().catch((err: unknown) => logger.warn({ err }, 'planning the retention purge failed'));
        return reconcileActions({ db, queue, logger, metrics, clock });
      }),
    reconcileEveryMs,
    logger,
  );
  track('reconciler', stopReconciler);

  if (config.HEARTBEAT_URL) {
    const { database, producer, blocking } = stores;
    const stopHeartbeat = startHeartbeat({
      url: config.HEARTBEAT_URL,
      everyMs: config.HEARTBEAT_EVERY_MS,
      logger,
      onTick: (result) => metrics.heartbeats.inc({ result }),
      probes: [
        { name: 'database', check: () => database.ping() },
        {
          name: 'queue',
          check: async () => {
            await producer.ping();
            if (blocking.status !== 'ready' || !worker.isRunning()) throw new Error('the worker is not connected');
          },
        },
        { name: 'reconciler', check: () => reconciler.check() },
      ],
    });
    // Stopped first (cleanups run newest first): a closing process sends no more pings.
    track('heartbeat', stopHeartbeat);
  }
}

/** Starts the Slack app (HTTP or Socket Mode) with the health, metrics and review routes; returns the port it listens on. */
async function startEdge(
  config: Config,
  opts: { logger: Logger; meridian: MeridianConfig },
  stores: Stores,
  services: Services,
  track: Track,
): Promise<number> {
  if (config.INTAKE_SIGNING_SECRET) {
    const problems = intakeSecretProblems(opts.meridian.intake, Object.keys(config.INTAKE_SOURCE_SECRETS ?? {}));
    if (problems.errors.length > 0) throw new ConfigError(problems.errors);
    for (const warning of problems.warnings) opts.logger.warn(warning);
  }
  const { app } = createSlackApp(
    {
      signingSecret: config.SLACK_SIGNING_SECRET,
      botToken: config.SLACK_BOT_TOKEN,
      ...(services.installations === undefined ? {} : { oauth: oauthOptions(config, services.installations, opts.logger) }),
      apiUrl: config.SLACK_API_URL,
      appToken: config.SLACK_APP_TOKEN,
      port: config.PORT,
      customRoutes: [
        ...opsRoutes(stores, services),
        reviewRoute(config.REVIEW_API_TOKEN, (n) => services.review.markdown(n), opts.logger),
        incidentsCsvRoute({ token: config.REPORTS_API_TOKEN, csv: (from, to) => services.reports.csv(from, to), logger: opts.logger }),
        transparencyCsvRoute({
          token: config.REPORTS_API_TOKEN,
          csv: (period, part) => services.edge.services.regulatory.transparencyCsv(period, part),
          logger: opts.logger,
        }),
        auditExportRoute({ token: config.AUDIT_API_TOKEN, exportAudit: (q) => services.retention.exportAudit(q), logger: opts.logger }),
        intakeRoute({
          secret: config.INTAKE_SIGNING_SECRET,
          sourceSecrets: config.INTAKE_SOURCE_SECRETS ?? {},
          sources: opts.meridian.intake.sources,
          categoryIds: services.edge.catalog.categories.map((c) => c.id),
          rateLimit: (secretName) => services.intakeLimiter.consume(secretName),
          receive: (report) => services.intake.receive(report),
          logger: opts.logger,
          clock: services.edge.clock,
        }),
        jiraWebhookRoute({
          secret: config.JIRA_WEBHOOK_SECRET,
          receive: (change) => services.edge.services.followUps.trackerChanged(change),
          logger: opts.logger,
        }),
        ...twilioWebhookRoutes({
          authToken: config.TWILIO_AUTH_TOKEN,
          publicUrl: config.PUBLIC_URL,
          paging: services.paging,
          logger: opts.logger,
        }),
      ],
    },
    services.edge,
  );
  // Bolt types app.start() as unknown (it returns the receiver's own server); HTTPReceiver gives a node Server.
  const server = (await app.start(config.PORT)) as unknown as Server | undefined;
  track('slack app', () => app.stop());
  const port = server && typeof server.address === 'function' ? (server.address() as AddressInfo).port : config.PORT;
  services.ownUrl.value = `http://127.0.0.1:${port}`;
  return port;
}

/** Bolt's installer options: the store, the scopes asked for, and a log line per install (never a token). */
function oauthOptions(config: Config, installations: Installations, logger: Logger) {
  return {
    clientId: config.SLACK_CLIENT_ID ?? '',
    clientSecret: config.SLACK_CLIENT_SECRET ?? '',
    stateSecret: config.SLACK_STATE_SECRET ?? '',
    installationStore: installations.store,
    scopes: scopesMeridianNeeds(),
    // Admin scopes exist only for an org admin's org-wide install: asked for only when said so.
    userScopes: config.SLACK_ORG_ADMIN_SCOPE === 'on' ? [SHARE_CHANNEL_SCOPE] : [],
    onInstall: (outcome: { ok: boolean; stateless: boolean; detail?: string }) =>
      outcome.ok ? logger.info(outcome, 'Slack install finished') : logger.warn(outcome, 'Slack install refused'),
  };
}

/** GET /healthz and GET /metrics: served by the edge, and alone by a worker-only process. */
function opsRoutes(stores: Stores, services: Services) {
  const { database, producer } = stores;
  return [
    healthRoute(
      [
        { name: 'database', check: () => database.ping() },
        { name: 'redis', check: async () => void (await producer.ping()) },
      ],
      services.slackConfig.health,
    ),
    metricsRoute(services.metrics.registry),
  ];
}

/** Runs every cleanup once, newest first, even when one fails. */
function onceAll(cleanups: readonly Cleanup[], logger: Logger): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= (async () => {
      for (const [name, fn] of cleanups) {
        try {
          await fn();
        } catch (err) {
          logger.warn({ err, part: name }, 'cleanup failed');
        }
      }
    })());
}
