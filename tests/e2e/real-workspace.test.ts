/**
 * What only a real Slack workspace shows (issue 17, item 6): command text as Slack escapes it,
 * replies that reach people outside the channel, plain-text modal errors, user-group lines
 * that notify nobody again, and no unfurls on sensitive surfaces.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { parse } from 'yaml';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { incidentRoles, incidents } from '../../src/db/schema/index.js';
import { MESSAGE_SHORTCUTS } from '../../src/sandbox/shortcuts.js';
import { COMMAND_ESCAPING, slackCommandText } from '../../src/sandbox/slack/command-text.js';
import { INTAKE_SECRET, sendReport } from '../support/intake-requests.js';
import { declareState, eventually, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';
import { waitForPrivateReply } from '../support/replies.js';
import { sendToSlackEndpoint, slashCommandBody } from '../support/slack-requests.js';

const CONFIG = `
admins: [U0ADMIN001]
schedules:
  - id: tns
    name: T&S
    layers:
      - name: APAC
        timezone: Asia/Singapore
        coverage: { days: [mon, tue, wed, thu, fri, sat, sun], from: "00:00", to: "00:00" }
        rotation: { members: [U0SGA0001], every: 1 week, handoff: "09:00", starts: 2026-01-05 }
escalation_policies:
  - id: urgent
    steps:
      - notify: [{ schedule: tns }, { usergroup: S0LEADS01, name: tns-leads }]
        wait_minutes: 10
    repeat: 0
severities:
  sev1: { label: "SEV1 Critical", policy: urgent, update_every_minutes: 30 }
  sev2: { label: "SEV2 Major", policy: urgent, update_every_minutes: 60 }
  sev3: { label: "SEV3 Minor", update_every_minutes: 240 }
  sev4: { label: "SEV4 Low" }
intake:
  sources:
    - { id: trusted-flagger, name: "Trusted flagger" }
`;

let h: Harness;
let seq = 0;

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, {
    meridian: parsed.config,
    env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET },
    channels: { INTAKE_CHANNEL: 'tns-triage' },
  });
  h.fake.addUser({ id: 'U0SGA0001', name: 'arjun', tz: 'Asia/Singapore' });
  h.fake.addUser({ id: 'U0MAYA001', name: 'maya', tz: 'Europe/Dublin' });
  h.fake.addUser({ id: 'U0OTHER01', name: 'otto', tz: 'Europe/Dublin' });
  h.fake.addUser({ id: 'U0LEAD001', name: 'lin', tz: 'Europe/Dublin' });
  h.fake.addUser({ id: 'U0ADMIN001', name: 'sam', tz: 'Europe/Dublin' });
  h.fake.addUsergroup('S0LEADS01', ['U0LEAD001']);
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.fake.reset();
  h.fake.clearFaults();
});

async function declare(title: string, severity = 'sev3', category = 'media-inquiry') {
  seq += 1;
  await h.submitView({
    id: `V0RW${String(seq).padStart(6, '0')}`,
    callback_id: 'declare_incident',
    state: declareState({ title, severity, category }),
  });
  return eventually(async () => {
    const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
    return row?.cardTs && row.declarerToldAt ? row : undefined;
  }, `"${title}" to be set up`);
}

describe('command text as Slack sends it', () => {
  it('when the manifest is read, then both commands escape mentions and the fake sends them the same way', () => {
    const manifest = parse(readFileSync(new URL('../../manifests/slack-app.yaml', import.meta.url), 'utf8')) as {
      features: {
        slash_commands: Array<{ command: string; should_escape?: boolean }>;
        shortcuts: Array<{ name: string; type: string; callback_id: string }>;
      };
    };
    const declared = Object.fromEntries(manifest.features.slash_commands.map((c) => [c.command, c.should_escape === true]));
    expect(declared).toEqual(COMMAND_ESCAPING);
    // The sandbox's message menu offers the manifest's message shortcuts (its image has no manifests/).
    const shortcuts = manifest.features.shortcuts
      .filter((s) => s.type === 'message')
      .map((s) => ({ callbackId: s.callback_id, name: s.name }));
    expect(shortcuts).toEqual(MESSAGE_SHORTCUTS);
    expect(slackCommandText(h.fake.state, '/incident', 'role @maya as scribe & <b>')).toBe(
      'role <@U0MAYA001|maya> as scribe &amp; &lt;b&gt;',
    );
  });

  it('when a person picks @maya in /incident role, then Maya gets the role', async () => {
    const incident = await declare('Picked mention gets the scribe role');
    await h.command('role @maya scribe', { channelId: incident.channelId! });
    await eventually(async () => {
      const roles = await h.db.select().from(incidentRoles).where(eq(incidentRoles.incidentId, incident.id));
      return roles.some((r) => r.role === 'scribe' && r.userId === 'U0MAYA001');
    }, 'Maya as scribe');
  });

  it('when /incident declare names a person and a channel, then the form shows their names, not Slack tokens', async () => {
    await h.command('declare Spam wave reported by @maya in #tns-triage');
    const open = await h.fake.waitForCall('views.open');
    const view = JSON.stringify(open.args.view);
    expect(view).toContain('Spam wave reported by @maya in #tns-triage');
    expect(view).not.toContain('<@');
    expect(view).not.toContain('<#');
  });
});

function modalState(values: Record<string, Record<string, unknown>>) {
  return { values: Object.fromEntries(Object.entries(values).map(([block, v]) => [block, { value: v }])) };
}

describe('what Slack shows as plain text, and whom it notifies', () => {
  it('when someone who may not change an incident submits its severity form, then the inline error names the declarer, not <@U…>', async () => {
    const incident = await declare('Refusal in a modal names people');
    seq += 1;
    const reply = await h.submitView(
      {
        id: `V0RW${String(seq).padStart(6, '0')}`,
        callback_id: 'incident_severity',
        private_metadata: JSON.stringify({ incidentId: incident.id }),
        state: modalState({ severity: { selected_option: { value: 'sev2' } }, reason: { value: 'It is spreading' } }),
      },
      { userId: 'U0OTHER01' },
    );
    const errors = (reply.json as { response_action: string; errors: Record<string, string> }).errors;
    const shown = Object.values(errors).join(' ');
    expect(shown).toContain('@Dana Declarer');
    expect(shown).not.toMatch(/<[@#!]/);
  });

  it('when a step pages a user group, then the channel line names the group as text and never mentions it', async () => {
    const incident = await declare('Group page names the group quietly', 'sev2');
    const line = await eventually(
      () =>
        h.fake
          .callsTo('chat.postMessage')
          .find((c) => c.args.channel === incident.channelId && String(c.args.text).includes('Paged <@U0LEAD001>')),
      'the page line for the group member',
    );
    expect(String(line.args.text)).toContain('via the user group @tns-leads');
    const channelPosts = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === incident.channelId);
    expect(channelPosts.map((c) => JSON.stringify(c.args)).join('\n')).not.toContain('<!subteam^');
  });
});

describe('no previews on sensitive surfaces', () => {
  // Form-encoded by the Web API client: `false` arrives as the string "false".
  const unfurls = (call: { args: Record<string, unknown> }) => ({
    links: String(call.args.unfurl_links ?? 'default'),
    media: String(call.args.unfurl_media ?? 'default'),
  });

  it('when a report with a flagged media URL is posted in the triage channel, then unfurls are off', async () => {
    const triage = h.config.INTAKE_CHANNEL as string;
    const reply = await sendReport(h.runtime.port, {
      external_id: 'flagged-1',
      source: 'trusted-flagger',
      title: 'Flagged video re-uploaded',
      links: ['https://media.example/flagged/video.mp4'],
    });
    expect(reply.status).toBe(202);
    const post = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === triage && JSON.stringify(c.args).includes('Flagged video'),
    );
    expect(unfurls(post)).toEqual({ links: 'false', media: 'false' });
  });

  it('when a sensitive incident pages someone, then its channel posts and the page DM go without unfurls; an ordinary one keeps Slack’s default', async () => {
    const sensitive = await declare('Self-harm challenge spreading', 'sev1', 'self-harm');
    const dm = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === 'U0SGA0001' && String(c.args.text).includes(`Paged: INC-${sensitive.number} `),
    );
    expect(unfurls(dm)).toEqual({ links: 'false', media: 'false' });
    const inChannel = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === sensitive.channelId);
    expect(inChannel.length).toBeGreaterThan(0);
    for (const post of inChannel) expect(unfurls(post)).toEqual({ links: 'false', media: 'false' });

    await declare('Ordinary trend needs a page', 'sev2', 'media-inquiry');
    const ordinary = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === 'U0SGA0001' && String(c.args.text).includes('Ordinary trend needs a page'),
    );
    expect(unfurls(ordinary)).toEqual({ links: 'default', media: 'default' });
  });
});

describe('what a lock screen shows for a sensitive incident', () => {
  it('when a child-safety incident pages someone, then the page DM and its acknowledged edit say the number, severity and category, never the title', async () => {
    const title = 'CSAM ring trading via kidz_swap account @kidz_swap_ring';
    const incident = await declare(title, 'sev1', 'child-safety');
    const dm = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === 'U0SGA0001' && String(c.args.text).includes(`INC-${incident.number} `),
    );
    expect(String(dm.args.text)).toBe(`Paged: INC-${incident.number} (SEV1 Critical) Child safety (details in the channel)`);
    expect(JSON.stringify(dm.args)).not.toContain('kidz');

    const blocks = dm.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
    const pageId = blocks.find((b) => b.type === 'actions')!.elements!.find((e) => e.action_id === 'page_ack')!.value;
    await h.clickButton({ actionId: 'page_ack', value: pageId, userId: 'U0SGA0001' });
    const updated = await h.fake.waitForCall(
      'chat.update',
      (c) => c.args.ts === (dm.response as { ts: string }).ts && String(c.args.text).includes('acknowledged'),
    );
    expect(String(updated.args.text)).toContain(`INC-${incident.number} (SEV1 Critical) Child safety`);
    expect(JSON.stringify(updated.args)).not.toContain('kidz');
  });

  it('when an ordinary incident pages someone, then the page DM carries its title', async () => {
    const incident = await declare('Ordinary outage with a title to show', 'sev2', 'media-inquiry');
    const dm = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === 'U0SGA0001' && String(c.args.text).includes(`INC-${incident.number} `),
    );
    expect(String(dm.args.text)).toContain('Ordinary outage with a title to show');
  });
});

describe('answers reach the person who acted, member or not', () => {
  it('when someone outside an incident channel runs a command there and is refused, then the refusal reaches them through the response_url', async () => {
    const incident = await declare('Refusal to a non-member is seen');
    expect(h.fake.channel(incident.channelId!)?.members.has('U0OTHER01')).toBe(false);
    await h.command('sev', { channelId: incident.channelId!, userId: 'U0OTHER01' });
    const answered = await h.fake.waitForCall('response_url', (c) => c.args.user === 'U0OTHER01');
    expect(answered.status).toBe(200);
    expect(String(answered.args.text)).toContain('Only the commander');
    expect(h.fake.ephemerals()).toContainEqual(
      expect.objectContaining({ channel: incident.channelId, user: 'U0OTHER01', text: expect.stringContaining('Only the commander') }),
    );
    // Not by DM, and not as an ephemeral Slack would refuse.
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0OTHER01')).toEqual([]);
    expect(h.fake.callsTo('chat.postEphemeral').filter((c) => c.args.user === 'U0OTHER01')).toEqual([]);
  });

  it('when the bot posts an ephemeral to someone not in the channel, then the fake answers user_not_in_channel as Slack does', async () => {
    const incident = await declare('Ephemeral to a non-member is refused');
    const res = await fetch(`${h.fake.url}chat.postEphemeral`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.fake.token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: incident.channelId, user: 'U0OTHER01', text: 'Only you can see this' }),
    });
    expect(await res.json()).toEqual({ ok: false, error: 'user_not_in_channel' });
  });

  it('when a signed command carries a response_url on another server, then the bot never calls it and answers by ephemeral', async () => {
    const hits: string[] = [];
    const elsewhere = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      const incident = await declare('Foreign response URL is not called');
      h.fake.channel(incident.channelId!)?.members.add('U0OTHER01');
      const body = slashCommandBody({
        command: '/incident',
        text: 'sev',
        userId: 'U0OTHER01',
        channelId: incident.channelId!,
        triggerId: h.fake.mintTriggerId(),
        responseUrl: `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/hook`,
      });
      await sendToSlackEndpoint(h.eventsUrl, body, { secret: SIGNING_SECRET });
      const told = await waitForPrivateReply(
        h.fake,
        (c) => c.args.user === 'U0OTHER01' && String(c.args.text).includes('Only the commander'),
      );
      expect(told.method).toBe('chat.postEphemeral');
      expect(hits).toEqual([]);
    } finally {
      await new Promise((resolve) => elsewhere.close(resolve));
    }
  });

  it('when a response_url is used a sixth time, then the fake refuses it as Slack does', async () => {
    const url = h.fake.responseUrl('U0OTHER01', h.feedChannelId);
    const post = () =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hi' }) });
    for (let i = 0; i < 5; i += 1) expect((await post()).status).toBe(200);
    const sixth = await post();
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: 'used_url' });
  });
});
