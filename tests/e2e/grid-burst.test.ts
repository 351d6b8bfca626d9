import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { incidents } from '../../src/db/schema/index.js';
import { FAKE_OAUTH_APP } from '../fakes/fake-slack.js';
import { declareState, eventually, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';
import { sendToSlackEndpoint, viewSubmissionBody } from '../support/slack-requests.js';

/**
 * Slack's published rate limits (SLACK_RATE_SCALE=1, the fake enforcing the same), on an org
 * with two workspaces: a burst of declarations in APAC drains APAC's Tier 2 buckets
 * (conversations.create: 20 a burst, 18 for background work, then one every 3 s), and a SEV1
 * declared in EMEA meanwhile gets its channel and its page at once, because Slack, and the pacer,
 * count each workspace on its own.
 */
const ENTERPRISE = { id: 'E0BURST001', name: 'Burst Org' };
const APAC = 'T0APAC0001';
const EMEA = 'T0EMEA0001';
const ADMIN = 'W0ADMIN001';
/** The APAC analysts declaring at once (each told in their own DM, which Slack paces per channel). */
const APAC_ANALYSTS = Array.from({ length: 22 }, (_, i) => `W0APAC${String(1000 + i)}`);
const EMEA_ANALYST = 'W0EMEA0002';
const RESPONDER = 'W0EMEA0001';
/** More than background work may take from APAC's conversations.create bucket (18 of 20) in the seconds it runs. */
const BURST = 22;

const CONFIG = `
admins: [${ADMIN}]
escalation_policies:
  - id: emea-first
    steps:
      - notify: [{ user: ${RESPONDER} }]
        wait_minutes: 5
    repeat: 0
severities:
  sev1: { label: "SEV1 Critical", policy: emea-first, update_every_minutes: 30 }
  sev2: { label: "SEV2 Major" }
  sev3: { label: "SEV3 Minor" }
  sev4: { label: "SEV4 Low" }
`;

let h: Harness;
let seq = 0;

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, {
    meridian: parsed.config,
    slackOrg: {
      enterprise: ENTERPRISE,
      teams: [
        { id: APAC, name: 'APAC', domain: 'burst-apac' },
        { id: EMEA, name: 'EMEA', domain: 'burst-emea' },
      ],
    },
    env: {
      SLACK_BOT_TOKEN: '',
      SLACK_CLIENT_ID: FAKE_OAUTH_APP.clientId,
      SLACK_CLIENT_SECRET: FAKE_OAUTH_APP.clientSecret,
      SLACK_STATE_SECRET: 'state-secret-of-the-burst-test',
      INSTALLATION_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      SLACK_HOME_TEAM_ID: APAC,
      SLACK_RATE_SCALE: '1',
    },
  });
  h.fake.addUser({ id: ADMIN, name: 'ada', tz: 'Asia/Singapore', teamId: APAC });
  for (const [i, id] of APAC_ANALYSTS.entries()) h.fake.addUser({ id, name: `analyst${i}`, tz: 'Asia/Singapore', teamId: APAC });
  h.fake.addUser({ id: EMEA_ANALYST, name: 'erin', tz: 'Europe/Dublin', teamId: EMEA });
  h.fake.addUser({ id: RESPONDER, name: 'eoin', tz: 'Europe/Dublin', teamId: EMEA });
  // An org admin installs org-wide from Slack (no state) and adds the app to both workspaces.
  const code = h.fake.grantInstall({ orgWide: true, installer: ADMIN });
  const botUrl = h.eventsUrl.replace(/\/slack\/events$/, '');
  const done = await fetch(`${botUrl}/slack/oauth_redirect?code=${encodeURIComponent(code)}`);
  if (done.status !== 200) throw new Error(`install failed: ${done.status}`);
  const orgToken = h.fake.tokens().find((t) => t.startsWith('xoxb-org-')) ?? '';
  h.fake.addToWorkspaces(orgToken, [APAC, EMEA]);
});
afterAll(async () => {
  await h?.close();
});

/** A declaration submitted in a workspace of the org, as Slack sends it there. */
async function declare(input: { title: string; user: string; teamId: string; severity: string; private?: boolean }) {
  seq += 1;
  const view = {
    id: `V0BURST${String(seq).padStart(4, '0')}`,
    callback_id: 'declare_incident',
    state: declareState({ title: input.title, severity: input.severity, category: 'harmful-trend', private: input.private ?? false }),
  };
  const answer = await sendToSlackEndpoint(h.eventsUrl, viewSubmissionBody({ userId: input.user, view, teamId: input.teamId }), {
    secret: SIGNING_SECRET,
    contentType: 'application/x-www-form-urlencoded',
  });
  expect(answer.status).toBe(200);
}

const createdIn = (teamId: string) => h.fake.callsTo('conversations.create').filter((c) => c.args.team_id === teamId && c.status === 200);

describe('pacing per workspace, end to end, at Slack’s own rates', () => {
  it('when a burst of declarations drains APAC’s buckets, then a SEV1 declared in EMEA meanwhile gets its channel and pages its responder at once, before APAC’s burst is through', async () => {
    // Private SEV3s: no feed post (one shared channel, paced per channel) and no page in APAC's burst.
    // Four submissions at a time: all at once, this loaded test machine may not ack each within Slack's 3 s.
    for (let i = 0; i < BURST; i += 4) {
      await Promise.all(
        APAC_ANALYSTS.slice(i, i + 4).map((user, k) =>
          declare({ title: `APAC burst ${i + k}`, user, teamId: APAC, severity: 'sev3', private: true }),
        ),
      );
    }
    // The burst has drained APAC's bucket: 18 channels at once, the rest paced (one every 3 s).
    await eventually(() => createdIn(APAC).length >= 10 || undefined, 'APAC’s first channels', 20_000);
    const t0 = Date.now();
    await declare({ title: 'EMEA SEV1 during the APAC burst', user: EMEA_ANALYST, teamId: EMEA, severity: 'sev1' });

    const page = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === RESPONDER && JSON.stringify(c.args.blocks ?? '').includes('page_ack'),
      20_000,
    );
    const pagedAfterMs = Date.now() - t0;
    await eventually(() => createdIn(EMEA).length === 1 || undefined, 'EMEA’s channel', 30_000);
    const [emea] = await h.db.select().from(incidents).where(eq(incidents.title, 'EMEA SEV1 during the APAC burst'));
    expect(h.fake.channel(emea?.channelId ?? '')?.teamId).toBe(EMEA);
    expect(h.fake.channel((page.response as { channel: string }).channel)?.teamId).toBe(EMEA);

    // APAC's burst is still being paced when EMEA's channel and page are out: APAC channels come after both.
    const emeaCreated = createdIn(EMEA)[0];
    const apacBefore = createdIn(APAC).filter((c) => c.at <= Math.max(page.at, emeaCreated?.at ?? 0));
    expect(apacBefore.length).toBeLessThan(BURST);
    const later = await eventually(
      () => createdIn(APAC).find((c) => c.at > Math.max(page.at, emeaCreated?.at ?? 0)),
      'an APAC channel after EMEA’s',
      30_000,
    );
    // Neither workspace was refused by Slack: the pacer counted each as Slack does.
    expect(h.fake.calls.filter((c) => c.status === 429)).toEqual([]);
    // Measured figures, for the record (the test asserts the order above, not times).
    console.info(
      `EMEA page ${pagedAfterMs} ms after its declaration, EMEA channel ${(emeaCreated?.at ?? 0) - t0} ms; ${apacBefore.length} of ${BURST} APAC channels by then, the next ${later.at - t0} ms`,
    );
  });
});
