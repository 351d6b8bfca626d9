import { startFakeJira } from './sandbox/jira/fake-jira.js';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Config, loadConfig } from './config.js';
import type { Logger } from './log.js';
import type { Runtime } from './runtime.js';
import { sandboxDataDir } from './sandbox/data-dir.js';
import { Sandbox } from './sandbox/sandbox.js';
import { FAKE_OAUTH_APP } from './sandbox/slack/start.js';
import { SANDBOX_ORG } from './sandbox/workspace.js';
import { startSandboxWeb } from './sandbox/web.js';
import { startFakeTwilio } from './sandbox/twilio/fake-twilio.js';
import { startMailbox } from './sandbox/mail/mailbox.js';

const SANDBOX_CONFIG = 'config/sandbox.yaml';
/** The sandbox's intake is on out of the box (it listens on loopback only): sign test reports with this. */
export const SANDBOX_INTAKE_SECRET = 'meridian-sandbox-intake';
/** The sandbox's fake Jira: its credentials, and the projects config/sandbox.yaml's teams name. */
const SANDBOX_JIRA = { email: 'meridian@sandbox.invalid', apiToken: 'meridian-sandbox-jira' };
const SANDBOX_JIRA_PROJECTS = ['LEGAL', 'POL', 'TNSOPS'];
/** The From of the sandbox's page emails. */
const SANDBOX_MAIL_FROM = 'Meridian <meridian@sandbox.example>';

/** What main.ts needs to start the bot against the sandbox. */
export interface SandboxedStart {
  /** The environment with the sandbox's Slack in it: token, secret, API URL, feed and triage channels. */
  config: Config;
  /** The config file to load unless MERIDIAN_CONFIG names one. */
  meridianConfig: string | undefined;
  /** Wires the page on PORT (listening already) to the bot once it runs, and says where it is. */
  attach(runtime: Runtime, logger: Logger): Promise<{ url: string; close(): Promise<void> }>;
}

/**
 * No Slack credentials: starts the sandbox's Slack Web API on an internal port and gives the bot
 * an environment pointing at it. The bot listens on an internal port too; the page on PORT passes
 * the bot's own routes through, so the bot serves /slack/events as it always does and knows
 * nothing of the sandbox. Unless real ones are set, Twilio is the fake (SMS, calls and their
 * signed webhooks over real HTTP) and mail goes to an SMTP server in this process: each person's
 * phone and mailbox panels show them, and PUBLIC_URL is the page, so replies, keys and
 * acknowledge links reach the bot through it as they would through a real public address.
 */
export async function prepareSandbox(env: NodeJS.ProcessEnv): Promise<SandboxedStart> {
  const org = env['SANDBOX_ORG'] === '1';
  // The org sandbox keeps its own workspace and database beside the single-workspace one.
  const dir = org ? path.join(sandboxDataDir(env['DATA_DIR']), 'org') : sandboxDataDir(env['DATA_DIR']);
  const sandbox = await Sandbox.open(dir, { org });
  const publicPort = loadConfig({ ...env, SLACK_BOT_TOKEN: sandbox.token, SLACK_SIGNING_SECRET: sandbox.signingSecret }).PORT;
  // SANDBOX_ORG=1: no bot token; the bot installs through OAuth like an org-ready app (docs/operating.md).
  const slackAuth = org
    ? {
        SLACK_BOT_TOKEN: '',
        SLACK_CLIENT_ID: FAKE_OAUTH_APP.clientId,
        SLACK_CLIENT_SECRET: FAKE_OAUTH_APP.clientSecret,
        SLACK_STATE_SECRET: randomBytes(24).toString('hex'),
        INSTALLATION_ENCRYPTION_KEY: sandboxEncryptionKey(dir),
        SLACK_ORG_ADMIN_SCOPE: 'on',
        SLACK_HOME_TEAM_ID: SANDBOX_ORG.teams[0].id,
      }
    : { SLACK_BOT_TOKEN: sandbox.token };
  const started: Array<{ close(): Promise<void> }> = [sandbox];
  try {
    // Follow-ups of teams with a jira_project go to a fake Jira Cloud (in memory), unless a real one is set.
    const jira = env['JIRA_BASE_URL'] ? undefined : await startFakeJira({ ...SANDBOX_JIRA, projects: SANDBOX_JIRA_PROJECTS });
    if (jira) started.push(jira);
    const twilio = env['TWILIO_ACCOUNT_SID'] ? undefined : await startFakeTwilio({ onChange: () => sandbox.changed() });
    if (twilio) started.push(twilio);
    const mailbox = env['SMTP_URL'] ? undefined : await startMailbox({ onMail: () => sandbox.changed() });
    if (mailbox) started.push(mailbox);
    sandbox.devices = { twilio, mailbox };
    // The page listens first (answering "starting" until the bot is attached): its address is PUBLIC_URL.
    // Loopback unless SANDBOX_HOST shares the page on another interface (it acts as anyone).
    const web = await startSandboxWeb(sandbox, publicPort, env['SANDBOX_HOST'] || '127.0.0.1');
    started.unshift(web);
    const config = loadConfig({
      ...env,
      ...slackAuth,
      SLACK_SIGNING_SECRET: sandbox.signingSecret,
      SLACK_API_URL: sandbox.slack.url,
      PORT: '0',
      DATA_DIR: dir,
      INCIDENT_FEED_CHANNEL: env['INCIDENT_FEED_CHANNEL'] || sandbox.channels.feedChannelId,
      INTAKE_CHANNEL: env['INTAKE_CHANNEL'] || sandbox.channels.triageChannelId,
      INTAKE_SIGNING_SECRET: env['INTAKE_SIGNING_SECRET'] || SANDBOX_INTAKE_SECRET,
      // Its own queue keys, so a shared local Redis never mixes sandbox jobs with a real bot's.
      QUEUE_PREFIX: env['QUEUE_PREFIX'] || '{meridian-sandbox}',
      PUBLIC_URL: env['PUBLIC_URL'] || sandbox.publicUrl,
      ...(jira ? { JIRA_BASE_URL: jira.url, JIRA_EMAIL: SANDBOX_JIRA.email, JIRA_API_TOKEN: SANDBOX_JIRA.apiToken } : {}),
      ...(twilio
        ? {
            TWILIO_ACCOUNT_SID: twilio.accountSid,
            TWILIO_AUTH_TOKEN: twilio.authToken,
            TWILIO_FROM: twilio.number,
            TWILIO_API_URL: twilio.url,
          }
        : {}),
      ...(mailbox ? { SMTP_URL: mailbox.url, SMTP_FROM: SANDBOX_MAIL_FROM } : {}),
    });
    // Our number's "a message comes in" webhook, as it is set in Twilio's console.
    twilio?.setSmsWebhook(`${config.PUBLIC_URL}/webhooks/twilio/sms`);
    const meridianConfig = env['MERIDIAN_CONFIG'] || (existsSync(SANDBOX_CONFIG) ? SANDBOX_CONFIG : undefined);
    const closeAll = async () => {
      for (const part of started) await part.close().catch(() => undefined);
    };
    return {
      config,
      meridianConfig,
      async attach(runtime, logger) {
        sandbox.bot.attach(`http://127.0.0.1:${runtime.port}`);
        if (org) await sandbox.installOrgWide(`http://127.0.0.1:${runtime.port}`);
        sandbox.dueActions = runtime.scheduledActions;
        logger.debug({ botPort: runtime.port, slackApi: sandbox.slack.url }, 'sandbox wired');
        return { url: `http://localhost:${web.port}/`, close: closeAll };
      },
    };
  } catch (err) {
    for (const part of started) await part.close().catch(() => undefined);
    throw err;
  }
}

/** The org sandbox's key for its stored installations: made once, kept beside its database. */
function sandboxEncryptionKey(dir: string): string {
  const file = path.join(dir, 'installation-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
