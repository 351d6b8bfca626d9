import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { pageNotifications } from '../../src/db/schema/index.js';
import { startFakeTwilio, type FakeTwilio } from '../../src/sandbox/twilio/fake-twilio.js';
import { spawnBot, type BotProcess } from '../support/bot-process.js';
import { redisEnvOf } from '../support/infra.js';
import { BOT_TOKEN, eventually, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';
import { declare } from './support.js';

/**
 * Exactly once as the phone sees it: an SMS Twilio accepted whose answer never reached the bot,
 * because the process was SIGKILLed first, is found in Twilio's message list after the restart
 * and adopted; the phone has one SMS.
 */
const YAML = `
escalation_policies:
  - id: urgent
    steps:
      - notify: [{ user: U0SMSONE1 }]
        wait_minutes: 30
    repeat: 0
severities:
  sev1: { label: "SEV1 Critical", policy: urgent }
  sev2: { label: "SEV2 Major" }
  sev3: { label: "SEV3 Minor" }
  sev4: { label: "SEV4 Low" }
contacts:
  - { user: U0SMSONE1, sms: "+353 85 000 0009" }
notification_rules:
  - { after_minutes: 0, method: slack }
  - { after_minutes: 0.02, method: sms }
`;
const PHONE = '+353850000009';
const LOCK_MS = 2000;

let h: Harness;
let twilio: FakeTwilio;
let child: BotProcess | undefined;
let dir: string;
let twilioEnv: Record<string, string>;

beforeAll(async () => {
  twilio = await startFakeTwilio();
  twilioEnv = {
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM: '+15005550006',
    TWILIO_API_URL: twilio.url,
  };
  const parsed = parseMeridianConfig(YAML, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, { meridian: parsed.config, env: { ...twilioEnv, JOB_LOCK_MS: String(LOCK_MS) } });
  h.fake.addUser({ id: 'U0SMSONE1', name: 'sms-one', tz: 'Europe/Dublin' });
  dir = mkdtempSync(path.join(tmpdir(), 'meridian-sms-once-'));
}, 60_000);
afterAll(async () => {
  await child?.kill();
  await h?.close();
  await twilio?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('an SMS Twilio accepted but the bot never recorded', () => {
  it('when the process is SIGKILLed after Twilio took the SMS and before the bot recorded it, then after restart the phone still has one SMS, its SID recorded', async () => {
    await h.stopBot();
    twilio.fail({ kind: 'hold-answer' }, { method: 'sms', times: 1 });
    const configPath = path.join(dir, 'meridian.yaml');
    writeFileSync(configPath, YAML);
    child = spawnBot({
      DATABASE_URL: h.config.DATABASE_URL ?? '',
      ...redisEnvOf(h.config),
      QUEUE_PREFIX: h.config.QUEUE_PREFIX,
      SLACK_API_URL: h.fake.url,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      INCIDENT_FEED_CHANNEL: h.feedChannelId,
      PORT: '0',
      MERIDIAN_CONFIG: configPath,
      JOB_LOCK_MS: String(LOCK_MS),
      ...twilioEnv,
    });
    const port = await child.ready;
    await declare(h, 'Killed between SMS accept and record', `http://127.0.0.1:${port}/slack/events`);
    await eventually(() => twilio.messages.find((m) => m.to === PHONE), 'Twilio to accept the SMS', 15_000);
    await child.kill('SIGKILL');
    child = undefined;
    const [before] = await h.db.select().from(pageNotifications).where(eq(pageNotifications.address, PHONE));
    expect(before?.status).toBe('sending');
    expect(before?.providerRef).toBeNull();

    await h.restart();
    const after = await eventually(
      async () => {
        const [row] = await h.db.select().from(pageNotifications).where(eq(pageNotifications.id, before!.id));
        return row?.status === 'sent' ? row : undefined;
      },
      'the restarted bot to adopt the SMS',
      30_000,
    );
    const sent = twilio.messages.filter((m) => m.to === PHONE);
    expect(sent).toHaveLength(1);
    expect(after.providerRef).toBe(sent[0]!.sid);
  }, 60_000);
});
