import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { auditLog, incidents, scheduledActions, slackInstallations } from '../../src/db/schema/index.js';
import { ORG_TOKEN_NEEDS_TEAM_ID } from '../../src/slack-api/org-token.js';
import { FAKE_OAUTH_APP } from '../fakes/fake-slack.js';
import { declareState, eventually, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';
import { sendToSlackEndpoint, slashCommandBody, viewSubmissionBody } from '../support/slack-requests.js';

/** An Enterprise Grid org with two workspaces; every person has a `W` id, as Grid users may. */
const ENTERPRISE = { id: 'E0MERIDIAN', name: 'Meridian Org' };
const APAC = 'T0APAC0001';
const EMEA = 'T0EMEA0001';
const ADMIN = 'W0ADMIN001';
const DECLARER = 'W0APAC0001';
const EMEA_DECLARER = 'W0EMEA0002';
const RESPONDER = 'W0EMEA0001';

/** The EMEA responder is paged first; a second step 5 minutes later keeps an action pending. */
const CONFIG = `
admins: [${ADMIN}]
escalation_policies:
  - id: follow-the-sun
    steps:
      - notify: [{ user: ${RESPONDER} }]
        wait_minutes: 5
      - notify: [{ user: ${ADMIN} }]
        wait_minutes: 5
    repeat: 0
severities:
  sev1: { label: "SEV1 Critical", policy: follow-the-sun, update_every_minutes: 30 }
  sev2: { label: "SEV2 Major" }
  sev3: { label: "SEV3 Minor" }
  sev4: { label: "SEV4 Low" }
`;

let h: Harness;
let botUrl: string;
let orgToken: string;
let seq = 0;

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, {
    meridian: parsed.config,
    slackOrg: {
      enterprise: ENTERPRISE,
      teams: [
        { id: APAC, name: 'APAC', domain: 'meridian-apac' },
        { id: EMEA, name: 'EMEA', domain: 'meridian-emea' },
      ],
    },
    env: {
      SLACK_BOT_TOKEN: '',
      SLACK_CLIENT_ID: FAKE_OAUTH_APP.clientId,
      SLACK_CLIENT_SECRET: FAKE_OAUTH_APP.clientSecret,
      SLACK_STATE_SECRET: 'state-secret-of-the-grid-test',
      INSTALLATION_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      SLACK_HOME_TEAM_ID: APAC,
      SLACK_ORG_ADMIN_SCOPE: 'on',
    },
  });
  h.fake.addUser({ id: ADMIN, name: 'ada', tz: 'Asia/Singapore', teamId: APAC });
  h.fake.addUser({ id: DECLARER, name: 'dev', tz: 'Asia/Singapore', teamId: APAC });
  h.fake.addUser({ id: RESPONDER, name: 'eoin', tz: 'Europe/Dublin', teamId: EMEA });
  h.fake.addUser({ id: EMEA_DECLARER, name: 'erin', tz: 'Europe/Dublin', teamId: EMEA });
  botUrl = h.eventsUrl.replace(/\/slack\/events$/, '');
});
afterAll(async () => {
  await h?.close();
});

/** A declaration submitted in a workspace of the org, as Slack sends it there. */
async function declare(title: string, user: string, teamId: string) {
  seq += 1;
  const view = {
    id: `V0GRID${String(seq).padStart(4, '0')}`,
    callback_id: 'declare_incident',
    state: declareState({ title, severity: 'sev1', category: 'harmful-trend' }),
  };
  const answer = await sendToSlackEndpoint(h.eventsUrl, viewSubmissionBody({ userId: user, view, teamId }), {
    secret: SIGNING_SECRET,
    contentType: 'application/x-www-form-urlencoded',
  });
  expect(answer.status).toBe(200);
  return eventually(async () => {
    const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
    return row?.cardTs ? row : undefined;
  }, `incident "${title}" to be set up`);
}

/** The audit rows of Slack installs and removals, oldest first. */
async function installAudits() {
  const rows = await h.db.select().from(auditLog).orderBy(auditLog.at, auditLog.id);
  return rows.filter((r) => r.action.startsWith('slack.'));
}

/** No token of the fake (bot or admin) appears anywhere in the audit log. */
async function expectNoTokenAudited() {
  const all = JSON.stringify(await h.db.select().from(auditLog));
  for (const token of h.fake.tokens()) expect(all).not.toContain(token);
  expect(all).not.toMatch(/xox[bpe]-/);
}

const pageDms = (userId: string) =>
  h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === userId && JSON.stringify(c.args.blocks ?? '').includes('page_ack'));

describe('Meridian installed org-wide on an Enterprise Grid org', () => {
  it('when an org admin installs through /slack/install, then oauth.v2.access is called once and one encrypted org-wide installation is stored', async () => {
    const start = await fetch(`${botUrl}/slack/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    const state = authorize.searchParams.get('state');
    expect(state).toBeTruthy();
    expect(authorize.searchParams.get('user_scope')).toBe('admin.conversations:write');
    const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const code = h.fake.grantInstall({ orgWide: true, installer: ADMIN, userScopes: ['admin.conversations:write'] });
    const done = await fetch(`${botUrl}/slack/oauth_redirect?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state ?? '')}`, {
      headers: { cookie },
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('add it to each workspace');
    expect(h.fake.callsTo('oauth.v2.access')).toHaveLength(1);

    const rows = await h.db.select().from(slackInstallations);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      installKey: ENTERPRISE.id,
      enterpriseId: ENTERPRISE.id,
      teamId: null,
      isEnterpriseInstall: true,
      revokedAt: null,
    });
    const tokens = h.fake.tokens().filter((t) => t.includes('-org-'));
    orgToken = tokens.find((t) => t.startsWith('xoxb-')) ?? '';
    expect(orgToken).not.toBe('');
    // Tokens only sealed: neither the bot's nor the admin's appears in the row.
    for (const token of tokens) expect(JSON.stringify(rows[0])).not.toContain(token);
    expect(rows[0]?.installation).toMatch(/^v1\./);
    // Audited with the ids and the installer, never the tokens.
    expect(await installAudits()).toEqual([
      expect.objectContaining({
        action: 'slack.install',
        actorId: ADMIN,
        outcome: 'ok',
        details: expect.objectContaining({
          installKey: ENTERPRISE.id,
          enterpriseId: ENTERPRISE.id,
          teamId: null,
          isEnterpriseInstall: true,
        }),
      }),
    ]);
    await expectNoTokenAudited();

    // The org admin adds the app to both workspaces (until then the install reaches none).
    h.fake.addToWorkspaces(orgToken, [APAC, EMEA]);
  });

  it('when an APAC analyst declares a SEV1, then the channel is in APAC, the EMEA responder is paged by DM in EMEA and the channel is shared to EMEA, every org-token call naming its workspace', async () => {
    const incident = await declare('Coordinated spam wave across regions', DECLARER, APAC);
    const channel = h.fake.channel(incident.channelId ?? '');
    expect(channel?.teamId).toBe(APAC);
    expect(h.fake.lastCallTo('conversations.create')?.args.team_id).toBe(APAC);

    const dm = await eventually(() => pageDms(RESPONDER)[0], 'the EMEA responder to be paged');
    const dmChannel = h.fake.channel((dm.response as { channel: string }).channel);
    expect(dmChannel?.teamId).toBe(EMEA);

    const share = await h.fake.waitForCall('admin.conversations.setTeams');
    expect(share.args).toMatchObject({ channel_id: incident.channelId, team_id: APAC, target_team_ids: EMEA });
    expect(channel?.sharedTeamIds).toEqual([EMEA]);
    await eventually(() => channel?.members.has(RESPONDER), 'the EMEA responder to be in the shared channel');

    // The fake refuses an org-token call without team_id where Slack requires it: none was refused.
    expect(h.fake.calls.filter((c) => (c.response as { error?: string } | undefined)?.error === 'missing_argument')).toEqual([]);
    for (const method of ORG_TOKEN_NEEDS_TEAM_ID) {
      for (const call of h.fake.callsTo(method)) expect(call.args.team_id, method).toBeTruthy();
    }
  });

  it('when an org admin reinstalls from Slack without a state and without the admin scope, then the install is stored, and an EMEA responder is told by DM how to join instead of the channel being shared', async () => {
    const code = h.fake.grantInstall({ orgWide: true, installer: ADMIN });
    const done = await fetch(`${botUrl}/slack/oauth_redirect?code=${encodeURIComponent(code)}`);
    expect(done.status).toBe(200);
    const rows = await h.db.select().from(slackInstallations);
    expect(rows).toHaveLength(1);
    expect((await installAudits()).map((r) => [r.action, r.actorId])).toEqual([
      ['slack.install', ADMIN],
      ['slack.reinstall', ADMIN],
    ]);
    orgToken =
      h.fake
        .tokens()
        .filter((t) => t.startsWith('xoxb-org-'))
        .at(-1) ?? '';
    h.fake.addToWorkspaces(orgToken, [APAC, EMEA]);
    // A forged callback (an unknown code) stores nothing and says so.
    const forged = await fetch(`${botUrl}/slack/oauth_redirect?code=not-a-code`);
    expect(forged.status).toBe(400);
    h.fake.reset();

    const incident = await declare('Scam accounts targeting Dublin users', DECLARER, APAC);
    await eventually(() => pageDms(RESPONDER).find((c) => String(c.args.text).includes(`INC-${incident.number} `)), 'the EMEA page');
    const howToJoin = await h.fake.waitForCall(
      'chat.postMessage',
      (c) =>
        c.args.channel === RESPONDER &&
        String(c.args.text).includes(`<#${incident.channelId}>`) &&
        String(c.args.text).includes('org admin'),
    );
    expect(h.fake.channel((howToJoin.response as { channel: string }).channel)?.teamId).toBe(EMEA);
    expect(h.fake.callsTo('admin.conversations.setTeams')).toEqual([]);
    expect(h.fake.channel(incident.channelId ?? '')?.sharedTeamIds ?? []).toEqual([]);

    // The bot restarts (or a second instance takes the work): the responder invited again, as the
    // incident's scribe, is not told twice, and where they work is not asked of Slack again.
    await h.restart();
    h.fake.reset();
    const role = await sendToSlackEndpoint(
      h.eventsUrl,
      slashCommandBody({
        command: '/incident',
        text: `role <@${RESPONDER}|eoin> scribe`,
        userId: DECLARER,
        channelId: incident.channelId ?? '',
        triggerId: 'T0GRIDROLE.1',
        teamId: APAC,
      }),
      { secret: SIGNING_SECRET, contentType: 'application/x-www-form-urlencoded' },
    );
    expect(role.status).toBe(200);
    await h.fake.waitForCall('conversations.invite', (c) => String(c.args.users).includes(RESPONDER));
    await h.idle();
    const toldAgain = h.fake
      .callsTo('chat.postMessage')
      .filter(
        (c) =>
          c.args.channel === RESPONDER &&
          String(c.args.text).includes(`<#${incident.channelId}>`) &&
          String(c.args.text).includes('org admin'),
      );
    expect(toldAgain).toEqual([]);
    expect(h.fake.callsTo('users.info').filter((c) => c.args.user === RESPONDER)).toEqual([]);
  });

  it('when an org admin removes the app from EMEA, then the actions planned there fail closed, once each, and the admins are told once', async () => {
    const incident = await declare('Deepfake ads in Dublin', EMEA_DECLARER, EMEA);
    await eventually(() => pageDms(RESPONDER).find((c) => String(c.args.text).includes(`INC-${incident.number} `)), 'the EMEA page');
    await h.idle();
    const pendingThere = await h.db.select().from(scheduledActions).where(eq(scheduledActions.incidentId, incident.id));
    const pending = pendingThere.filter((r) => r.status === 'pending');
    expect(pending.length).toBeGreaterThanOrEqual(2);
    expect(pending.every((r) => r.teamId === EMEA)).toBe(true);

    h.fake.removeFromWorkspaces(orgToken, [EMEA]);
    const event = {
      token: 'fake',
      team_id: null,
      enterprise_id: ENTERPRISE.id,
      api_app_id: FAKE_OAUTH_APP.appId,
      type: 'event_callback',
      event_id: 'Ev0GRIDREVOKE',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'team_access_revoked', team_ids: [EMEA] },
      authorizations: [{ enterprise_id: ENTERPRISE.id, team_id: null, user_id: 'U0MERIDIAN', is_bot: true, is_enterprise_install: true }],
    };
    const answer = await sendToSlackEndpoint(h.eventsUrl, JSON.stringify(event), {
      secret: SIGNING_SECRET,
      contentType: 'application/json',
    });
    expect(answer.status).toBe(200);
    await eventually(async () => (await installAudits()).find((r) => r.action === 'slack.workspaces_removed'), 'the removal to be audited');
    expect((await installAudits()).filter((r) => r.action === 'slack.workspaces_removed')).toEqual([
      expect.objectContaining({ actorId: null, details: { teamIds: [EMEA], enterpriseId: ENTERPRISE.id } }),
    ]);
    h.fake.reset();

    await h.advance(31 * 60_000);
    await h.idle();
    await eventually(async () => {
      const rows = await h.db.select().from(scheduledActions).where(eq(scheduledActions.incidentId, incident.id));
      return rows.filter((r) => r.status === 'pending').length === 0;
    }, 'no action left pending in EMEA');
    const rows = await h.db.select().from(scheduledActions).where(eq(scheduledActions.incidentId, incident.id));
    const failed = rows.filter((r) => r.status === 'failed');
    expect(failed.length).toBeGreaterThanOrEqual(2);
    for (const row of failed) {
      expect(row.lastError).toMatch(/^WorkspaceGone: /);
      expect(row.attempts).toBe(1);
    }
    // Nothing was sent to EMEA once the app was removed from it.
    expect(h.fake.calls.filter((c) => c.args.team_id === EMEA)).toEqual([]);
    const notices = h.fake
      .callsTo('chat.postMessage')
      .filter((c) => String(c.args.text).includes('can no longer reach Slack workspace T0EMEA0001'));
    expect(notices).toHaveLength(1);
    expect(h.fake.channel((notices[0]?.response as { channel: string }).channel)?.imUser).toBe(ADMIN);

    // The org admin adds the app back to EMEA: audited too.
    h.fake.addToWorkspaces(orgToken, [EMEA]);
    const granted = { ...event, event_id: 'Ev0GRIDGRANT', event: { type: 'team_access_granted', team_ids: [EMEA] } };
    const back = await sendToSlackEndpoint(h.eventsUrl, JSON.stringify(granted), {
      secret: SIGNING_SECRET,
      contentType: 'application/json',
    });
    expect(back.status).toBe(200);
    const added = await eventually(
      async () => (await installAudits()).find((r) => r.action === 'slack.workspaces_added'),
      'the workspace added back to be audited',
    );
    expect(added).toMatchObject({ actorId: null, details: { teamIds: [EMEA], enterpriseId: ENTERPRISE.id } });
  });

  it('when Slack says the bot tokens were revoked, then the stored org-wide installation is revoked and an APAC declaration reaches Slack no more', async () => {
    const event = {
      token: 'fake',
      team_id: null,
      enterprise_id: ENTERPRISE.id,
      api_app_id: FAKE_OAUTH_APP.appId,
      type: 'event_callback',
      event_id: 'Ev0GRIDTOKENS',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'tokens_revoked', tokens: { bot: ['U0MERIDIAN'] } },
      authorizations: [{ enterprise_id: ENTERPRISE.id, team_id: null, user_id: 'U0MERIDIAN', is_bot: true, is_enterprise_install: true }],
    };
    const answer = await sendToSlackEndpoint(h.eventsUrl, JSON.stringify(event), {
      secret: SIGNING_SECRET,
      contentType: 'application/json',
    });
    expect(answer.status).toBe(200);
    const [row] = await eventually(async () => {
      const rows = await h.db.select().from(slackInstallations);
      return rows[0]?.revokedAt ? rows : undefined;
    }, 'the installation to be revoked');
    expect(row?.installKey).toBe(ENTERPRISE.id);
    // Audited just after the row is revoked.
    await eventually(async () => (await installAudits()).find((r) => r.action === 'slack.tokens_revoked'), 'the revocation to be audited');
    expect((await installAudits()).filter((r) => r.action === 'slack.tokens_revoked')).toEqual([
      expect.objectContaining({
        actorId: null,
        details: { botUserIds: ['U0MERIDIAN'], teamId: null, enterpriseId: ENTERPRISE.id, installKeys: [ENTERPRISE.id] },
      }),
    ]);
    h.fake.reset();
    // Bolt finds no installation for the workspace any more: the request is refused, nothing reaches Slack.
    const view = {
      id: 'V0GRIDGONE1',
      callback_id: 'declare_incident',
      state: declareState({ title: 'After uninstall', severity: 'sev1', category: 'harmful-trend' }),
    };
    await sendToSlackEndpoint(h.eventsUrl, viewSubmissionBody({ userId: DECLARER, view, teamId: APAC }), {
      secret: SIGNING_SECRET,
      contentType: 'application/x-www-form-urlencoded',
    });
    await h.idle();
    expect(await h.db.select().from(incidents).where(eq(incidents.title, 'After uninstall'))).toEqual([]);
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);

    // Then Slack says the app was uninstalled: audited once, the install it names already revoked.
    const uninstalled = {
      token: 'fake',
      team_id: null,
      enterprise_id: ENTERPRISE.id,
      api_app_id: FAKE_OAUTH_APP.appId,
      type: 'event_callback',
      event_id: 'Ev0GRIDUNINSTALL',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_uninstalled' },
      authorizations: [{ enterprise_id: ENTERPRISE.id, team_id: null, user_id: 'U0MERIDIAN', is_bot: true, is_enterprise_install: true }],
    };
    const gone = await sendToSlackEndpoint(h.eventsUrl, JSON.stringify(uninstalled), {
      secret: SIGNING_SECRET,
      contentType: 'application/json',
    });
    expect(gone.status).toBe(200);
    const audited = await eventually(async () => {
      const rows = await installAudits();
      return rows.some((r) => r.action === 'slack.uninstall') ? rows : undefined;
    }, 'the uninstall to be audited');
    expect(audited.map((r) => r.action)).toEqual([
      'slack.install',
      'slack.reinstall',
      'slack.workspaces_removed',
      'slack.workspaces_added',
      'slack.tokens_revoked',
      'slack.uninstall',
    ]);
    expect(audited.at(-1)?.details).toEqual({ teamId: null, enterpriseId: ENTERPRISE.id, isEnterpriseInstall: true, installKeys: [] });
    await expectNoTokenAudited();
  });
});
