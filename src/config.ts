import { z } from 'zod';
import { SLACK_CHANNEL_ID } from './domain/slack-user.js';
import { parseEncryptionKey } from './db/installation-cipher.js';

/** Slack's own Web API; tests point SLACK_API_URL at the fake Slack server. */
const SLACK_DEFAULT_API_URL = 'https://slack.com/api/';

/** Said when one of the two Slack credentials is set without the other: advice, not zod's words. */
const MISSING = {
  SLACK_BOT_TOKEN: 'SLACK_BOT_TOKEN is missing. Set it to the bot token (xoxb-…), or unset SLACK_SIGNING_SECRET too to start the sandbox.',
  SLACK_SIGNING_SECRET:
    "SLACK_SIGNING_SECRET is missing. Set it to the Signing Secret of the app's Basic Information page, or unset SLACK_BOT_TOKEN too to start the sandbox.",
} as const;

const SLACK_CREDENTIALS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'] as const;

/** Where each credential is found, said when .env still has the example's stand-in. */
const WHERE = {
  SLACK_BOT_TOKEN: "the app's Bot User OAuth Token (OAuth & Permissions page, xoxb-…)",
  SLACK_SIGNING_SECRET: "the app's Signing Secret (Basic Information > App Credentials)",
  SLACK_APP_TOKEN: 'an app-level token (xapp-…, scope connections:write), or leave it empty',
} as const;

/**
 * A value that stands for a credential instead of being one: `.env.example`'s `xoxb-your-bot-token`
 * and `your-signing-secret` copied unchanged, or the usual `changeme`, `<token>`, `xoxb-...`.
 */
export function isPlaceholder(value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  return /your[-_ ]|change[-_ ]?me|placeholder|^<.*>$|\.\.\.|…|^x+$/i.test(value.trim());
}

/** No Slack credentials at all (empty and placeholders count as unset): `npm start` runs the sandbox instead. */
export function wantsSandbox(env: NodeJS.ProcessEnv): boolean {
  return SLACK_CREDENTIALS.every((key) => (env[key] ?? '') === '' || isPlaceholder(env[key]));
}

/** What to tell the person whose Slack variables are still placeholders (ignored: the sandbox starts). */
export function placeholderNotes(env: NodeJS.ProcessEnv): string[] {
  return SLACK_CREDENTIALS.filter((key) => isPlaceholder(env[key])).map(
    (key) => `${key} is still the placeholder from .env.example (${env[key]}); ignored. To connect to Slack, set it to ${WHERE[key]}.`,
  );
}

/** Explicitly asked for: SANDBOX=1 (or yes/true). */
const sandboxAsked = (env: NodeJS.ProcessEnv) => /^(1|yes|true)$/i.test(env['SANDBOX'] ?? '');

/**
 * Why the sandbox must not start here, or undefined. It is a whole fake workspace, with its own
 * web page that acts as anyone: never against production data (NODE_ENV=production, or a
 * DATABASE_URL) unless SANDBOX=1 asks for it.
 */
export function sandboxRefusal(env: NodeJS.ProcessEnv): string | undefined {
  if (sandboxAsked(env)) return undefined;
  const where = [
    env['NODE_ENV'] === 'production' ? 'NODE_ENV=production' : undefined,
    (env['DATABASE_URL'] ?? '') !== '' ? 'DATABASE_URL is set' : undefined,
  ].filter(Boolean);
  if (where.length === 0) return undefined;
  const unset = SLACK_CREDENTIALS.slice(0, 2)
    .map((key) => (isPlaceholder(env[key]) ? `${key} is the .env.example placeholder` : `${key} is unset`))
    .join(', ');
  return (
    `No Slack credentials (${unset}), and ${where.join(' and ')}: the sandbox (a local stand-in for Slack) does not start ` +
    'against real data unasked. Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to your Slack app\'s (README, "Setting up the Slack app"), ' +
    'or set SANDBOX=1 to start the sandbox anyway.'
  );
}

/** `host:port`, one or more, separated by commas. */
const CLUSTER_NODES = /^\s*[^\s,]+:\d{1,5}\s*(,\s*[^\s,]+:\d{1,5}\s*)*$/;

const envSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ error: () => MISSING.SLACK_BOT_TOKEN })
    .regex(/^xox[bp]-/, 'expected a bot token starting with xoxb-')
    .optional()
    .describe('Bot token of the Slack app (OAuth & Permissions page); unset with SLACK_CLIENT_ID (installs through OAuth).'),
  SLACK_CLIENT_ID: z
    .string()
    .regex(/^\d+\.\d+$/, "expected the app's Client ID (Basic Information > App Credentials), such as 1234.5678")
    .optional()
    .describe('OAuth installs (several workspaces, Enterprise Grid org-wide): the Client ID; replaces SLACK_BOT_TOKEN.'),
  SLACK_CLIENT_SECRET: z.string().min(8).optional().describe('OAuth installs: the Client Secret.'),
  SLACK_STATE_SECRET: z
    .string()
    .min(16, 'expected at least 16 random characters')
    .optional()
    .describe('OAuth installs: signs the state of /slack/install (any long random string).'),
  INSTALLATION_ENCRYPTION_KEY: z
    .string()
    .refine((value) => parseEncryptionKey(value) !== undefined, 'expected 32 random bytes as base64 (openssl rand -base64 32)')
    .optional()
    .describe('OAuth installs: encrypts the stored installations (their tokens), AES-256-GCM; 32 bytes as base64.'),
  SLACK_ORG_ADMIN_SCOPE: z
    .enum(['on', 'off'])
    .default('off')
    .describe(
      'OAuth installs: on asks the installing org admin for admin.conversations:write (a user scope), which shares incident channels across workspaces.',
    ),
  SLACK_HOME_TEAM_ID: z
    .string()
    .regex(/^T[A-Z0-9]+$/, 'expected a workspace id such as T0123456789')
    .optional()
    .describe('OAuth installs: the workspace of schedule-wide work (handoff notices, digests) and of the feed and triage channels.'),
  SLACK_SIGNING_SECRET: z
    .string({ error: () => MISSING.SLACK_SIGNING_SECRET })
    .min(8, "expected the signing secret from the app's Basic Information page")
    .describe('Verifies that HTTP requests really come from Slack.'),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'expected an app-level token starting with xapp-')
    .optional()
    .describe('Optional: use Socket Mode instead of HTTP.'),
  SLACK_API_URL: z
    .url({ message: 'expected a URL such as https://slack.com/api/' })
    .default(SLACK_DEFAULT_API_URL)
    .transform((u) => (u.endsWith('/') ? u : `${u}/`))
    .describe('Base URL of the Slack Web API; tests point it at a fake.'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
    .optional()
    .describe('Postgres connection URL; unset: embedded Postgres (PGlite) under DATA_DIR.'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a redis:// URL')
    .optional()
    .describe('Redis for BullMQ; unset: redis://127.0.0.1:6379, or a private redis-server under DATA_DIR.'),
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(CLUSTER_NODES, 'expected host:port pairs separated by commas, such as 10.0.0.1:6379,10.0.0.2:6379')
    .transform((list) =>
      list.split(',').map((node) => {
        const at = node.lastIndexOf(':');
        return { host: node.slice(0, at).trim(), port: Number(node.slice(at + 1)) };
      }),
    )
    .optional()
    .describe('Redis Cluster seed nodes (host:port,host:port,...) instead of REDIS_URL; every Meridian key shares QUEUE_PREFIX, one slot.'),
  REDIS_PASSWORD: z
    .string()
    .min(1)
    .optional()
    .describe('Password of every REDIS_CLUSTER_NODES node; with REDIS_URL, put the password in the URL instead.'),
  SLACK_RATE_SCALE: z.coerce
    .number()
    .positive()
    .default(1)
    .describe("Multiplies the Slack rate limits the bot paces itself to (1 = Slack's published tiers; tests raise it)."),
  SLACK_PACING: z
    .enum(['on', 'off'])
    .default('on')
    .describe('off: no pacing before Slack calls (429s are still waited out); for measuring the pacer only.'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port for /slack/events and /healthz.'),
  INCIDENT_FEED_CHANNEL: z
    .string()
    .regex(SLACK_CHANNEL_ID, 'expected a Slack channel id such as C0123456789')
    .optional()
    .describe('Channel id where public declarations, severity changes and resolutions are announced.'),
  MERIDIAN_CONFIG: z.string().min(1).optional().describe('Path of the YAML/JSON file with schedules, policies, severities and categories.'),
  MERIDIAN_CONFIG_ALLOW_EMPTY: z
    .enum(['yes', 'no'], { message: 'expected yes or no' })
    .default('no')
    .describe('yes: let MERIDIAN_CONFIG remove every schedule or escalation policy the database holds (refused otherwise).'),
  DATA_DIR: z.string().min(1).default('./data').describe('Where the embedded Postgres and private Redis keep their files.'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^\{[A-Za-z0-9_-]+\}$/, 'expected a hash-tagged prefix such as {meridian}')
    .default('{meridian}')
    .describe('BullMQ key prefix; the hash tag keeps all keys in one Redis Cluster slot.'),
  JOB_LOCK_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(10_000)
    .describe(
      'How long a worker holds a job without renewing (it renews at half) before BullMQ treats it as stalled and hands it to another worker.',
    ),
  RECONCILE_EVERY_MS: z.coerce.number().int().min(1000).default(60_000).describe('How often pending actions are checked against Redis.'),
  JOB_BACKOFF_SCALE: z.coerce
    .number()
    .gt(0)
    .max(1)
    .default(1)
    .describe(
      "Multiplies every action's retry backoff (1 in production); the fault suite runs at 0.25, so a 20 s outage spends a page's retries as two minutes do at 1.",
    ),
  SLACK_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(10_000)
    .describe(
      'How long a background Slack call (a job: a page, a channel set-up, a reminder) waits for its answer before it is treated as lost and retried; a retried post first looks for its tagged copy. Tests with lost answers shorten it.',
    ),
  HEARTBEAT_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .optional()
    .describe(
      "A dead man's switch (Healthchecks, Opsgenie heartbeat, Cronitor) the worker GETs while the queue, the reconciler and the database are healthy; unset: no heartbeat.",
    ),
  HEARTBEAT_EVERY_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(60_000)
    .describe('How often the heartbeat is sent (when HEARTBEAT_URL is set).'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REVIEW_API_TOKEN: z
    .string()
    .min(16, 'expected at least 16 characters')
    .optional()
    .describe('Bearer token for fetching post-incident reviews over HTTP.'),
  REPORTS_API_TOKEN: z
    .string()
    .min(16, 'expected at least 16 characters')
    .optional()
    .describe('Bearer token for GET /api/incidents.csv (the incident export); unset: the route answers 404.'),
  AUDIT_API_TOKEN: z
    .string()
    .min(16, 'expected at least 16 characters')
    .optional()
    .describe('Bearer token for GET /api/audit (the audit log export, issue 24); unset: the route answers 404.'),
  INTAKE_SIGNING_SECRET: z
    .string()
    .min(16, 'expected at least 16 characters')
    .optional()
    .describe('Signs reports sent to POST /api/intake (HMAC-SHA256, like Slack); unset: the intake API is off.'),
  INTAKE_SOURCE_SECRETS: z
    .string()
    .transform((text, ctx) => {
      const secrets: Record<string, string> = {};
      for (const pair of text
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '')) {
        const at = pair.indexOf('=');
        const name = pair.slice(0, at).trim();
        const secret = pair.slice(at + 1).trim();
        if (at < 1 || !/^[a-z0-9][a-z0-9_-]*$/.test(name) || secret.length < 16) {
          ctx.addIssue({ code: 'custom', message: 'expected name=secret pairs separated by commas, each secret at least 16 characters' });
          return z.NEVER;
        }
        secrets[name] = secret;
      }
      return Object.freeze(secrets);
    })
    .optional()
    .describe(
      "Intake secrets of single sources, as name=secret pairs separated by commas; the config's intake.sources[].secret names the one that alone signs that source's reports.",
    ),
  JIRA_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'expected the Jira site, such as https://your-org.atlassian.net' })
    .optional()
    .describe("Jira Cloud site follow-ups are exported to (teams' jira_project in the config); unset: no export."),
  JIRA_EMAIL: z
    .string()
    .min(3)
    .optional()
    .describe('The Atlassian account e-mail Meridian creates Jira issues as (basic auth with JIRA_API_TOKEN).'),
  JIRA_API_TOKEN: z.string().min(8, 'expected at least 8 characters').optional().describe("That account's Atlassian API token."),
  JIRA_WEBHOOK_SECRET: z
    .string()
    .min(16, 'expected at least 16 characters')
    .optional()
    .describe(
      'The secret of the Jira admin webhook pointed at PUBLIC_URL/webhooks/jira (X-Hub-Signature): done in Jira closes the follow-up at once; unset: the route answers 404 and only polling reads Jira.',
    ),
  FOLLOW_UP_WEBHOOK_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .optional()
    .describe('Receives a signed JSON POST when a follow-up is created or closed (any tracker); unset: off.'),
  FOLLOW_UP_WEBHOOK_SECRET: z
    .string()
    .min(16, 'expected at least 16 characters')
    .optional()
    .describe('Signs the follow-up webhook (HMAC-SHA256 of v0:<timestamp>:<body>, header X-Meridian-Signature).'),
  INTAKE_CHANNEL: z
    .string()
    .regex(SLACK_CHANNEL_ID, 'expected a Slack channel id such as C0123456789')
    .optional()
    .describe('Channel id where reports from the intake API wait for Declare, Merge or Dismiss.'),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'expected an Account SID: AC followed by 32 hex digits')
    .optional()
    .describe('Twilio account for SMS and voice pages (Console > Account info); unset: no SMS or calls.'),
  TWILIO_AUTH_TOKEN: z
    .string()
    .min(16, 'expected the Auth Token from the Twilio console')
    .optional()
    .describe("Twilio's Auth Token: signs Meridian's requests and verifies X-Twilio-Signature on /webhooks/twilio/*."),
  TWILIO_FROM: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'expected the Twilio number in E.164, such as +14155550100')
    .optional()
    .describe(
      'The Twilio number pages are sent and called from; set its SMS and voice webhooks to PUBLIC_URL/webhooks/twilio/sms and /voice.',
    ),
  TWILIO_API_URL: z
    .url({ message: 'expected a URL such as https://api.twilio.com' })
    .default('https://api.twilio.com')
    .describe("Base URL of Twilio's REST API; tests and the sandbox point it at the fake."),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL')
    .optional()
    .describe('Mail server for email pages (smtp://user:pass@host:587); unset: no email pages.'),
  SMTP_FROM: z.string().min(3).default('Meridian <meridian@localhost>').describe('The From of page emails.'),
  PUBLIC_URL: z
    .url({ message: 'expected the public https:// address of this bot' })
    .transform((u) => u.replace(/\/$/, ''))
    .optional()
    .describe("Meridian's public address: Twilio's signatures are checked against it plus the path, and email acknowledge links use it."),
});

/** Every variable Meridian reads (docker-compose.yml must pass each through). */
export const ENVIRONMENT_VARIABLES: readonly string[] = [...Object.keys(envSchema.shape), 'SANDBOX'];

/** The environment as read: every variable, and what they must say together. */
/** What an OAuth install needs besides SLACK_CLIENT_ID. */
const OAUTH_NEEDS = ['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'INSTALLATION_ENCRYPTION_KEY'] as const;

const checkedEnvSchema = envSchema
  // One way to get tokens: a bot token for one workspace, or OAuth installs.
  .refine((env) => env.SLACK_BOT_TOKEN !== undefined || env.SLACK_CLIENT_ID !== undefined, {
    path: ['SLACK_BOT_TOKEN'],
    when: ({ value }) => typeof value === 'object' && value !== null,
    message: MISSING.SLACK_BOT_TOKEN,
  })
  .refine((env) => env.SLACK_BOT_TOKEN === undefined || env.SLACK_CLIENT_ID === undefined, {
    path: ['SLACK_CLIENT_ID'],
    when: ({ value }) => typeof value === 'object' && value !== null,
    message:
      'SLACK_CLIENT_ID and SLACK_BOT_TOKEN are both set: keep SLACK_BOT_TOKEN for one workspace, or SLACK_CLIENT_ID for OAuth installs',
  })
  .refine((env) => env.SLACK_CLIENT_ID === undefined || OAUTH_NEEDS.every((key) => env[key] !== undefined), {
    path: ['SLACK_CLIENT_ID'],
    when: ({ value }) => typeof value === 'object' && value !== null,
    message: `SLACK_CLIENT_ID needs ${OAUTH_NEEDS.join(', ')} too (docs/operating.md, "Installing with OAuth")`,
  })
  // Two Redis targets would split the queue between them: one of the two, said plainly.
  .refine((env) => env.REDIS_URL === undefined || env.REDIS_CLUSTER_NODES === undefined, {
    path: ['REDIS_CLUSTER_NODES'],
    when: ({ value }) => typeof value === 'object' && value !== null,
    message: 'REDIS_CLUSTER_NODES and REDIS_URL are both set: keep one (a cluster, or one Redis server)',
  })
  .refine((env) => env.REDIS_PASSWORD === undefined || env.REDIS_CLUSTER_NODES !== undefined, {
    path: ['REDIS_PASSWORD'],
    when: ({ value }) => typeof value === 'object' && value !== null,
    message:
      'REDIS_PASSWORD is for REDIS_CLUSTER_NODES: set the cluster nodes, or put the password in REDIS_URL (redis://:password@host:6379)',
  })
  .refine(
    (env) =>
      [env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, env.TWILIO_FROM].every((v) => v === undefined) ||
      [env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, env.TWILIO_FROM].every((v) => v !== undefined),
    {
      path: ['TWILIO_ACCOUNT_SID'],
      when: ({ value }) => typeof value === 'object' && value !== null,
      message: 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM go together: set all three, or none',
    },
  )
  // Reports accepted with nowhere to wait for triage would sit unseen: refuse to start instead.
  .refine((env) => env.INTAKE_SIGNING_SECRET === undefined || env.INTAKE_CHANNEL !== undefined, {
    path: ['INTAKE_CHANNEL'],
    // Said alongside every other mistake, not only once the rest is right.
    when: ({ value }) => typeof value === 'object' && value !== null,
    message: "INTAKE_CHANNEL is missing: set it to the triage channel's id (C…), or unset INTAKE_SIGNING_SECRET",
  })
  .refine((env) => env.FOLLOW_UP_WEBHOOK_URL === undefined || env.FOLLOW_UP_WEBHOOK_SECRET !== undefined, {
    path: ['FOLLOW_UP_WEBHOOK_SECRET'],
    when: ({ value }) => typeof value === 'object' && value !== null,
    message: 'FOLLOW_UP_WEBHOOK_URL is set without FOLLOW_UP_WEBHOOK_SECRET: an unsigned webhook cannot be trusted by its receiver',
  })
  // Half a Jira configuration would leave follow-ups waiting for an export that can never run.
  .refine((env) => env.JIRA_BASE_URL === undefined || (env.JIRA_EMAIL !== undefined && env.JIRA_API_TOKEN !== undefined), {
    path: ['JIRA_EMAIL'],
    when: ({ value }) => typeof value === 'object' && value !== null,
    message:
      'JIRA_BASE_URL is set without JIRA_EMAIL and JIRA_API_TOKEN: set both (an Atlassian account and its API token), or unset JIRA_BASE_URL',
  });

/** The validated environment, read once at start and passed down in slices. */
export type Config = Readonly<z.output<typeof envSchema>>;

/** A configuration problem a person must fix before the bot can start. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  // Empty strings in .env files mean "unset", not "invalid".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  // `cp .env.example .env` left a stand-in: say so and where the real one is, not "invalid token" later.
  const placeholders = SLACK_CREDENTIALS.filter((key) => isPlaceholder(cleaned[key]));
  for (const key of placeholders) delete cleaned[key];
  const said = placeholders.map(
    (key) =>
      `${key} is still the placeholder from .env.example (${env[key]}). Set it to ${WHERE[key]}, or empty SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to start the sandbox.`,
  );
  const parsed = checkedEnvSchema.safeParse(cleaned);
  if (!parsed.success || said.length > 0) {
    const name = (i: z.core.$ZodIssue) => i.path.join('.');
    const issues = (parsed.error?.issues ?? []).filter((i) => !placeholders.includes(name(i) as (typeof placeholders)[number]));
    // A message that already names its variable (the advice above) is not prefixed twice.
    throw new ConfigError([...said, ...issues.map((i) => (i.message.startsWith(`${name(i)} `) ? i.message : `${name(i)}: ${i.message}`))]);
  }
  return Object.freeze(parsed.data);
}
