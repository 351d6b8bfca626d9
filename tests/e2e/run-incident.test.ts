import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { auditLog, escalations, incidentRoles, incidents, scheduledActions, timelineEntries } from '../../src/db/schema/index.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { privateReplies } from '../support/replies.js';

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
      - notify: [{ schedule: tns }]
        wait_minutes: 10
    repeat: 0
severities:
  sev1: { label: "SEV1 Critical", policy: urgent, update_every_minutes: 30, invite: [{ usergroup: S0LEGAL001 }] }
  sev2: { label: "SEV2 Major", update_every_minutes: 0.03 }
  sev3: { label: "SEV3 Minor", update_every_minutes: 240 }
  sev4: { label: "SEV4 Low" }
`;

let h: Harness;
let seq = 0;

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, { meridian: parsed.config, env: { REVIEW_API_TOKEN: 'review-token-0123456789' } });
  for (const id of ['U0SGA0001', 'U0SCRIBE1', 'U0OTHER01', 'U0ADMIN001', 'U0NEWCMD1', 'U0LEGAL01'])
    h.fake.addUser({ id, name: id.toLowerCase(), tz: 'Europe/Dublin' });
  h.fake.addUsergroup('S0LEGAL001', ['U0LEGAL01']);
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
    id: `V0RUN${String(seq).padStart(5, '0')}`,
    callback_id: 'declare_incident',
    state: declareState({ title, severity, category }),
  });
  return eventually(async () => {
    const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
    return row?.cardTs && row.declarerToldAt ? row : undefined;
  }, `"${title}" to be set up`);
}

const row = async (id: string) => (await h.db.select().from(incidents).where(eq(incidents.id, id)))[0]!;
const said = (channel: string, pattern: string) => () =>
  h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === channel && JSON.stringify(c.args).includes(pattern));
const toldUser = (userId: string, pattern: string) => () =>
  [
    ...privateReplies(h.fake).filter((c) => c.args.user === userId),
    ...h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === userId),
  ].find((c) => String(c.args.text).includes(pattern));

function modalState(values: Record<string, Record<string, unknown>>) {
  return { values: Object.fromEntries(Object.entries(values).map(([block, v]) => [block, { value: v }])) };
}

async function submitIncidentModal(
  callback: string,
  incidentId: string,
  values: Record<string, Record<string, unknown>>,
  userId = 'U0DECL001',
) {
  seq += 1;
  return h.submitView(
    {
      id: `V0MOD${String(seq).padStart(5, '0')}`,
      callback_id: callback,
      private_metadata: JSON.stringify({ incidentId }),
      state: modalState(values),
    },
    { userId },
  );
}

describe('severity', () => {
  it('when the commander asks for /incident sev, then the severity modal opens for that incident', async () => {
    const incident = await declare('Deepfake of a minister circulating');
    await h.command('sev', { channelId: incident.channelId! });
    const open = await h.fake.waitForCall('views.open');
    const view = open.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('incident_severity');
    expect(JSON.parse(view.private_metadata)).toEqual({ incidentId: incident.id });
  });

  it('when someone else tries, then they get a polite refusal naming who can, and the attempt is audited', async () => {
    const incident = await declare('Coordinated harassment of a journalist');
    await h.command('sev', { channelId: incident.channelId!, userId: 'U0OTHER01' });
    const refusal = await eventually(toldUser('U0OTHER01', 'Only'), 'the refusal');
    expect(String(refusal.args.text)).toContain('Only the commander and declarer (<@U0DECL001>) or an admin can change this incident.');
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.incidentId, incident.id), eq(auditLog.outcome, 'refused')));
    expect(audit.map((a) => a.actorId)).toEqual(['U0OTHER01']);
  });

  it('when raised to SEV1 and lowered to SEV2, then the review says SEV2, declared SEV3, peak SEV1', async () => {
    const incident = await declare('Coordinated spam raid on a stream');
    for (const [severity, reason] of [
      ['sev1', 'Raid spreading to other streams'],
      ['sev2', 'Contained to one stream'],
    ] as const) {
      await submitIncidentModal('incident_severity', incident.id, {
        severity: { selected_option: { value: severity } },
        reason: { value: reason },
      });
      await eventually(async () => (await row(incident.id)).severity === severity, severity);
    }
    const res = await fetch(`http://127.0.0.1:${h.runtime.port}/reviews/INC-${incident.number}`, {
      headers: { authorization: 'Bearer review-token-0123456789' },
    });
    const review = await res.text();
    expect(review).toMatch(/\| Severity \| SEV2[^|(]* \(declared SEV3[^|,]*, peak SEV1[^|)]*\) \|/);
  });

  it('when a reason is missing, then the modal shows it inline and nothing changes', async () => {
    const incident = await declare('Spam wave in comments');
    const reply = await submitIncidentModal('incident_severity', incident.id, {
      severity: { selected_option: { value: 'sev2' } },
      reason: { value: '' },
    });
    expect(reply.json).toEqual({ response_action: 'errors', errors: { reason: expect.stringContaining('Say why') } });
    expect((await row(incident.id)).severity).toBe('sev3');
  });

  it('when raised to SEV1, then it is announced, recorded, paging starts, SEV1 stakeholders are invited and the cadence tightens', async () => {
    const incident = await declare('Livestreamed attack footage spreading');
    const reply = await submitIncidentModal('incident_severity', incident.id, {
      severity: { selected_option: { value: 'sev1' } },
      reason: { value: 'Footage re-uploaded 2k times in an hour' },
    });
    expect(reply.text).toBe('');
    const line = await eventually(said(incident.channelId!, 'raised the severity'), 'the channel line');
    expect(String(line.args.text)).toContain('from *SEV3 Minor* to *SEV1 Critical*: Footage re-uploaded 2k times in an hour');
    await eventually(said(h.feedChannelId, 'severity raised'), 'the feed line');
    const page = await eventually(
      () =>
        h.fake
          .callsTo('chat.postMessage')
          .find((c) => c.args.channel === 'U0SGA0001' && String(c.args.text).includes(`INC-${incident.number} `)),
      'the page',
    );
    expect(String(page.args.text)).toContain('SEV1 Critical');
    const invited = await eventually(said(incident.channelId!, 'Invited the stakeholders'), 'the stakeholder line');
    expect(String(invited.args.text)).toContain('<@U0LEGAL01>');
    expect(h.fake.channel(incident.channelId!)?.members.has('U0LEGAL01')).toBe(true);
    const topic = await eventually(
      () =>
        h.fake
          .callsTo('conversations.setTopic')
          .find((c) => c.args.channel === incident.channelId && String(c.args.topic).startsWith('SEV1')),
      'the topic',
    );
    expect(topic.args.topic).toContain('SEV1 Critical | Investigating');
    const reminders = await h.db
      .select()
      .from(scheduledActions)
      .where(
        and(
          eq(scheduledActions.incidentId, incident.id),
          eq(scheduledActions.kind, 'update-reminder'),
          eq(scheduledActions.status, 'pending'),
        ),
      );
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.dueAt.getTime() - incident.declaredAt.getTime()).toBe(30 * 60_000);
    const timeline = await h.db.select().from(timelineEntries).where(eq(timelineEntries.incidentId, incident.id));
    expect(timeline.some((t) => t.kind === 'severity_changed' && t.actorId === 'U0DECL001')).toBe(true);
  });
});

describe('lifecycle', () => {
  it('when mitigated, resolved and closed in order, then each is recorded, and a closed incident cannot be reopened', async () => {
    const incident = await declare('Scam ads impersonating bank');
    await h.command('mitigate', { channelId: incident.channelId! });
    await eventually(async () => (await row(incident.id)).status === 'mitigated', 'mitigated');
    expect((await row(incident.id)).mitigatedAt).not.toBeNull();

    await h.command('reopen', { channelId: incident.channelId! });
    const refused = await eventually(toldUser('U0DECL001', 'cannot'), 'the refused reopen');
    expect(String(refused.args.text)).toMatch(/:warning:/);
    expect((await row(incident.id)).status).toBe('mitigated');

    const reply = await submitIncidentModal('incident_resolve', incident.id, {
      resolution: { value: 'Advertiser accounts removed; bank notified' },
      mitigation: { value: 'Blocked the landing domain' },
      follow_ups: { value: '- Add domain to blocklist feed\n- Ask ads team for a pre-check' },
    });
    expect(reply.text).toBe('');
    const resolved = await eventually(
      async () => ((await row(incident.id)).status === 'resolved' ? row(incident.id) : undefined),
      'resolved',
    );
    expect(resolved.followUps).toEqual(['Add domain to blocklist feed', 'Ask ads team for a pre-check']);
    const msg = await eventually(said(incident.channelId!, 'resolved INC-'), 'the resolution message');
    expect(String(msg.args.text)).toContain('Advertiser accounts removed');
    const canvas = await eventually(() => h.fake.canvases().find((c) => c.channelId === incident.channelId), 'the review canvas');
    expect(canvas.markdown).toContain('Advertiser accounts removed');
    const pending = await h.db
      .select()
      .from(scheduledActions)
      .where(and(eq(scheduledActions.incidentId, incident.id), eq(scheduledActions.status, 'pending')));
    // Only the review's reminders to its owner (issue 22) wait after resolution.
    expect(pending.map((p) => p.kind)).toEqual(['review-reminder', 'review-reminder']);

    await h.command('close', { channelId: incident.channelId! });
    await eventually(async () => (await row(incident.id)).status === 'closed', 'closed');
    await eventually(toldUser('U0DECL001', 'is now closed'), 'the reply to close');
    h.fake.reset();
    await h.command('reopen', { channelId: incident.channelId! });
    const no = await eventually(toldUser('U0DECL001', 'cannot be reopened'), 'the refusal to reopen');
    expect(String(no.args.text)).toMatch(/:warning:/);
    expect((await row(incident.id)).status).toBe('closed');
  });

  it('when resolved without a mitigation, reopened and then mitigated, then the mitigated time stays the first resolution, in the row and the review', async () => {
    const incident = await declare('Fake giveaway links in replies');
    await submitIncidentModal('incident_resolve', incident.id, { resolution: { value: 'Links blocked at the shortener' } });
    const first = await eventually(async () => {
      const r = await row(incident.id);
      return r.status === 'resolved' ? r : undefined;
    }, 'resolved');
    await h.command('reopen', { channelId: incident.channelId! });
    await eventually(async () => (await row(incident.id)).status === 'investigating', 'reopened');
    await h.command('mitigate', { channelId: incident.channelId! });
    const mitigated = await eventually(async () => {
      const r = await row(incident.id);
      return r.status === 'mitigated' ? r : undefined;
    }, 'mitigated');
    expect(mitigated.mitigatedAt).toEqual(first.resolvedAt);
    expect(mitigated.resolvedAt).toBeNull();
    const res = await fetch(`http://127.0.0.1:${h.runtime.port}/reviews/INC-${incident.number}`, {
      headers: { authorization: 'Bearer review-token-0123456789' },
    });
    const review = await res.text();
    expect(review).not.toContain('Time to mitigate: not mitigated yet');
    expect(review).toMatch(/\| Mitigated \| [^—|]/);
  });

  it('when a paging incident is resolved, then paging stops and the page DM loses its buttons', async () => {
    const incident = await declare('Hostage video uploaded', 'sev1', 'harmful-trend');
    const page = await eventually(
      () =>
        h.fake
          .callsTo('chat.postMessage')
          .find((c) => c.args.channel === 'U0SGA0001' && String(c.args.text).includes(`INC-${incident.number} `)),
      'the page',
    );
    await submitIncidentModal('incident_resolve', incident.id, { resolution: { value: 'Removed at source with partner' } });
    const [escalation] = await eventually(async () => {
      const rows = await h.db.select().from(escalations).where(eq(escalations.incidentId, incident.id));
      return rows[0]?.status === 'cancelled' ? rows : undefined;
    }, 'paging to stop');
    expect(escalation).toBeDefined();
    const dm = await eventually(
      () =>
        h.fake
          .callsTo('chat.update')
          .find((c) => c.args.ts === (page.response as { ts: string }).ts && String(c.args.text).includes('paging stopped')),
      'the DM update',
    );
    expect(JSON.stringify(dm.args.blocks)).not.toContain('page_ack');
  });

  it('when an admin changes an incident they did not declare, then it is allowed', async () => {
    const incident = await declare('Bot network boosting hashtag');
    await h.command('mitigate', { channelId: incident.channelId!, userId: 'U0ADMIN001' });
    await eventually(async () => (await row(incident.id)).status === 'mitigated', 'mitigated by the admin');
  });
});

describe('roles', () => {
  it('when /incident role gives scribe and commander, then they are recorded, invited and shown on the card and topic', async () => {
    const incident = await declare('Election misinformation cluster');
    await h.command('role @u0scribe1 scribe', { channelId: incident.channelId! });
    await eventually(said(incident.channelId!, '*Scribe*'), 'the scribe line');
    expect(h.fake.channel(incident.channelId!)?.members.has('U0SCRIBE1')).toBe(true);
    const card = await eventually(
      () =>
        h.fake
          .callsTo('chat.update')
          .find((c) => c.args.ts === incident.cardTs && JSON.stringify(c.args.blocks).includes('Scribe: <@U0SCRIBE1>')),
      'the card',
    );
    expect(card).toBeDefined();

    await h.command('role @u0newcmd1 commander', { channelId: incident.channelId! });
    await eventually(async () => (await row(incident.id)).commanderId === 'U0NEWCMD1', 'the new commander');
    const roles = await h.db.select().from(incidentRoles).where(eq(incidentRoles.incidentId, incident.id));
    expect(roles.map((r) => [r.role, r.userId]).sort()).toEqual([
      ['commander', 'U0NEWCMD1'],
      ['scribe', 'U0SCRIBE1'],
    ]);
    await eventually(
      () => h.fake.callsTo('conversations.setTopic').find((c) => String(c.args.topic).includes('Commander: <@U0NEWCMD1>')),
      'the topic',
    );
  });

  it("when the card's Assign role button is used, then the role form opens and its submission assigns the role", async () => {
    const incident = await declare('Fake charity fundraiser');
    await h.clickButton({ actionId: 'card_role', value: incident.id, channelId: incident.channelId!, messageTs: incident.cardTs! });
    const open = await h.fake.waitForCall('views.open');
    expect((open.args.view as { callback_id: string }).callback_id).toBe('incident_role');
    const missing = await submitIncidentModal('incident_role', incident.id, {
      role: { selected_option: { value: 'liaison_legal' } },
      user: { selected_user: null },
    });
    expect((missing.json as { errors: Record<string, string> }).errors).toEqual({ user: 'Choose a person.' });
    await submitIncidentModal('incident_role', incident.id, {
      role: { selected_option: { value: 'liaison_legal' } },
      user: { selected_user: 'U0SCRIBE1' },
    });
    await eventually(said(incident.channelId!, '*Legal liaison*'), 'the role line');
  });

  it('when the role is unknown, then the help lists the roles', async () => {
    const incident = await declare('Fake giveaway scam');
    await h.command('role @u0scribe1 wizard', { channelId: incident.channelId! });
    const reply = await eventually(toldUser('U0DECL001', 'is not a role'), 'the error');
    expect(String(reply.args.text)).toContain('`scribe`');
  });
});

describe('status updates and reminders', () => {
  it('when an update is posted, then the channel gets it in full and the feed compactly', async () => {
    const incident = await declare('Doxxing thread on forum mirror');
    const reply = await submitIncidentModal('incident_update', incident.id, {
      status: { selected_option: { value: 'investigating' } },
      known: { value: 'Thread mirrored on 3 sites; <!channel> 40k views' },
      doing: { value: 'Requesting takedowns; legal reviewing' },
      next_update: { selected_date_time: null },
    });
    expect(reply.text).toBe('');
    const post = await eventually(said(incident.channelId!, 'Status update'), 'the update');
    expect(JSON.stringify(post.args.blocks)).toContain('What we know');
    expect(JSON.stringify(post.args)).not.toContain('<!channel>');
    await eventually(said(h.feedChannelId, 'Thread mirrored'), 'the compact feed update');
    expect((await row(incident.id)).lastUpdateAt!.getTime()).toBeGreaterThan(incident.declaredAt.getTime());
  });

  it('when an update leaves out what we know, then the modal says so inline', async () => {
    const incident = await declare('Impersonation of a charity');
    const reply = await submitIncidentModal('incident_update', incident.id, {
      status: { selected_option: { value: 'investigating' } },
      known: { value: '' },
      doing: { value: 'x' },
    });
    expect((reply.json as { errors: Record<string, string> }).errors.known).toContain('what we know');
  });

  it('when no update is posted within the cadence, then the commander is nudged with a button, and not once an update is posted', async () => {
    const incident = await declare('Coordinated review bombing', 'sev2', 'other');
    const nudge = await eventually(said(incident.channelId!, 'has had no status update'), 'the reminder', 8000);
    expect(String(nudge.args.text)).toContain('<@U0DECL001>');
    expect(JSON.stringify(nudge.args.blocks)).toContain('card_update');
    await submitIncidentModal('incident_update', incident.id, {
      status: { selected_option: { value: 'mitigated' } },
      known: { value: 'Reviews removed' },
      doing: { value: 'Watching' },
      next_update: { selected_date_time: Math.floor(Date.now() / 1000) + 3600 },
    });
    await eventually(async () => (await row(incident.id)).status === 'mitigated', 'the update to land');
    h.fake.reset();
    // Past the 1.8 s cadence, and every action due by then run: the promised next update is an hour away, so no nudge comes.
    await h.advance(2500);
    await h.idle();
    expect(said(incident.channelId!, 'has had no status update')()).toBeUndefined();
  });
});

describe('who a restricted channel lets in', () => {
  it("when a SEV1 child-safety incident is set up, then the severity's invite group is not added to its channel (only who the category names)", async () => {
    const incident = await declare('Grooming case with restricted access', 'sev1', 'child-safety');
    expect(incident.isPrivate).toBe(true);
    await eventually(
      () =>
        h.fake
          .callsTo('chat.postMessage')
          .find((c) => c.args.channel === 'U0SGA0001' && String(c.args.text).includes(`INC-${incident.number} `)),
      'the page',
    );
    expect(h.fake.channel(incident.channelId!)?.members.has('U0LEGAL01')).toBe(false);
    const invites = h.fake.callsTo('conversations.invite').filter((c) => c.args.channel === incident.channelId);
    expect(invites.map((c) => String(c.args.users))).not.toContainEqual(expect.stringContaining('U0LEGAL01'));
    expect(said(incident.channelId!, 'Invited the stakeholders')()).toBeUndefined();
  });
});
