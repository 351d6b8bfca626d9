import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, incidents, scheduledActions, timelineEntries } from '../../src/db/schema/index.js';
import { declareState, eventually, SIGNING_SECRET, startHarness, type Harness, LOST_ANSWER_MS } from '../support/meridian-harness.js';
import { messageShortcutBody, sendToSlackEndpoint } from '../support/slack-requests.js';
import { privateReplies } from '../support/replies.js';

let h: Harness;
let viewSeq = 0;

beforeAll(async () => {
  h = await startHarness(import.meta.url, { env: { SLACK_TIMEOUT_MS: LOST_ANSWER_MS } });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.fake.reset();
  h.fake.clearFaults();
});

function declareView(fields: Parameters<typeof declareState>[0], metadata = { originChannelId: 'C0GENERAL1' }) {
  viewSeq += 1;
  return {
    id: `V0DECL${String(viewSeq).padStart(4, '0')}`,
    callback_id: 'declare_incident',
    private_metadata: JSON.stringify(metadata),
    state: declareState(fields),
  };
}

async function incidentByTitle(title: string) {
  const rows = await h.db.select().from(incidents).where(eq(incidents.title, title));
  return rows;
}

/** Submits a declaration and waits until its whole Slack set-up is recorded, so tests never overlap. */
async function declareAndSettle(fields: Parameters<typeof declareState>[0], opts: { userId?: string } = {}) {
  await h.submitView(declareView(fields), opts);
  return eventually(
    async () => {
      const [row] = await incidentByTitle(fields.title!);
      return row?.declarerToldAt ? row : undefined;
    },
    `the set-up of "${fields.title}"`,
    15_000,
  );
}

async function waitForCard(channelId: string) {
  return h.fake.waitForCall('pins.add', (c) => c.args.channel === channelId);
}

describe('declaring an incident from Slack', () => {
  it('when /incident declare <title> is typed, then the declare modal opens with the title filled in', async () => {
    const reply = await h.command('declare Toxic "blackout" challenge spreading in TR');
    expect(reply.status).toBe(200);
    const open = await h.fake.waitForCall('views.open');
    const view = open.args.view as { callback_id: string; blocks: Array<{ block_id: string; element: Record<string, unknown> }> };
    expect(view.callback_id).toBe('declare_incident');
    const title = view.blocks.find((b) => b.block_id === 'title');
    expect(title?.element.initial_value).toBe('Toxic "blackout" challenge spreading in TR');
    const severity = view.blocks.find((b) => b.block_id === 'severity');
    const options = severity?.element.options as Array<{ value: string; description: { text: string } }>;
    expect(options.map((o) => o.value)).toEqual(['sev1', 'sev2', 'sev3', 'sev4']);
    expect(options[0]?.description.text).toMatch(/Critical/);
    const category = view.blocks.find((b) => b.block_id === 'category');
    expect((category?.element.options as unknown[]).length).toBe(9);
  });

  it('when bare /incident is typed, then the modal opens with an empty title', async () => {
    await h.command('');
    const open = await h.fake.waitForCall('views.open');
    const view = open.args.view as { blocks: Array<{ block_id: string; element: Record<string, unknown> }> };
    expect(view.blocks.find((b) => b.block_id === 'title')?.element.initial_value).toBeUndefined();
  });

  it('when the modal is submitted, then the incident, channel, topic, card, pin, feed post and notice all happen once', async () => {
    const title = 'Toxic "blackout" challenge spreading in TR';
    const reply = await h.submitView(declareView({ title, severity: 'sev2', category: 'harmful-trend', summary: 'Videos up 400% in 2h' }));
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');

    const [incident] = await incidentByTitle(title);
    expect(incident).toMatchObject({
      severity: 'sev2',
      category: 'harmful-trend',
      status: 'investigating',
      isPrivate: false,
      declaredBy: 'U0DECL001',
      commanderId: 'U0DECL001',
    });
    const create = await h.fake.waitForCall('conversations.create');
    expect(create.args).toMatchObject({ name: `inc-${incident!.number}-toxic-blackout-challenge-spreading-in-tr` });
    expect(create.args.is_private === true || create.args.is_private === 'true').toBe(false);
    const channelId = (create.response as { channel: { id: string } }).channel.id;
    await waitForCard(channelId);

    const topic = h.fake.lastCallTo('conversations.setTopic');
    expect(topic?.args.topic).toBe('SEV2 Major | Investigating | Commander: <@U0DECL001>');
    expect(h.fake.channel(channelId)?.members.has('U0DECL001')).toBe(true);
    const card = h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === channelId);
    expect(JSON.stringify(card?.args.blocks)).toContain(`INC-${incident!.number}`);
    expect(JSON.stringify(card?.args.blocks)).toContain('<!date^');
    expect(h.fake.lastCallTo('pins.add')?.args.timestamp).toBe((card?.response as { ts: string }).ts);

    const feed = await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === h.feedChannelId);
    expect(String(feed.args.text)).toContain(`INC-${incident!.number} declared`);
    const notice = await eventually(
      () => [...privateReplies(h.fake), ...h.fake.callsTo('chat.postMessage')].find((c) => String(c.args.text).includes('is open')),
      'the declarer to be told where the channel is',
    );
    expect(String(notice.args.text)).toContain(`<#${channelId}>`);

    const stored = await eventually(async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.id, incident!.id));
      return row?.declarerToldAt ? row : undefined;
    }, 'the incident to record the whole set-up');
    expect(stored).toMatchObject({ channelId, cardTs: (card?.response as { ts: string }).ts });
    expect(stored.feedAnnouncedAt).not.toBeNull();
    const timeline = await h.db.select().from(timelineEntries).where(eq(timelineEntries.incidentId, incident!.id));
    expect(timeline.map((t) => t.kind).sort()).toEqual(['channel_created', 'declared']);
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.incidentId, incident!.id));
    expect(audit.map((a) => a.action)).toEqual(['incident.declare']);
    const actions = await eventually(async () => {
      const rows = await h.db.select().from(scheduledActions).where(eq(scheduledActions.incidentId, incident!.id));
      return rows.find((r) => r.kind === 'set-up-channel')?.status === 'done' ? rows : undefined;
    }, 'the set-up action to be marked done');
    // SEV2 asks for an update every hour: the first reminder is planned, an hour after declaring.
    const reminder = actions.find((r) => r.kind === 'update-reminder');
    expect(reminder?.status).toBe('pending');
    expect(reminder!.dueAt.getTime() - incident!.declaredAt.getTime()).toBe(60 * 60_000);
    expect(h.fake.callsTo('conversations.create')).toHaveLength(1);
  });

  it('when fields are wrong, then the modal shows inline errors and nothing is created or called', async () => {
    const reply = await h.submitView(declareView({ title: 'x', severity: 'sev9', category: 'not-a-category' }));
    expect(reply.status).toBe(200);
    const body = reply.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual(['category', 'severity', 'title']);
    expect(await incidentByTitle('x')).toHaveLength(0);
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('when Slack retries a submission or it is submitted twice, then exactly one incident exists', async () => {
    const view = declareView({ title: 'Partner escalation from NGO', severity: 'sev3', category: 'partner-escalation' });
    const replies = await Promise.all([h.submitView(view), h.submitView(view), h.submitView(view, { retryNum: 1 })]);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    await h.submitView(view, { retryNum: 2 });
    expect(await incidentByTitle('Partner escalation from NGO')).toHaveLength(1);
    const [incident] = await incidentByTitle('Partner escalation from NGO');
    await eventually(async () => (await h.db.select().from(incidents).where(eq(incidents.id, incident!.id)))[0]?.declarerToldAt, 'set-up');
    expect(h.fake.callsTo('conversations.create').filter((c) => String(c.args.name).startsWith(`inc-${incident!.number}-`))).toHaveLength(
      1,
    );
  });

  it('when a title holds <!channel>, a mention and *markdown*, then everything shows it literally', async () => {
    const title = '<!channel> ping <@U0ADMIN001> *now*';
    const incident = await declareAndSettle({ title, severity: 'sev3', category: 'media-inquiry' });
    const sent = JSON.stringify(h.fake.callsTo('chat.postMessage').map((c) => c.args));
    expect(sent).toContain(`INC-${incident.number} declared`);
    expect(sent).not.toContain('<!channel>');
    expect(sent).not.toContain('<@U0ADMIN001>');
    expect(sent).toContain('&lt;!channel&gt;');
    expect(incident?.title).toBe(title);
  });

  it('when the title is in another script, then the channel name is still valid', async () => {
    const incident = await declareAndSettle({ title: 'Опасный челлендж в школах', severity: 'sev2', category: 'harmful-trend' });
    expect(incident.channelName).toBe(`inc-${incident.number}-opasnyy-chellendzh-v-shkolah`);
    expect(h.fake.channel(incident.channelId!)?.name).toBe(incident.channelName);
  });

  it('when the channel name is taken, then another name is picked', async () => {
    h.fake.fail('conversations.create', { kind: 'error', error: 'name_taken' }, { times: 1 });
    const incident = await declareAndSettle({ title: 'Name clash', severity: 'sev4', category: 'other' });
    const attempts = h.fake.callsTo('conversations.create').map((c) => [c.args.name, (c.response as { ok: boolean }).ok]);
    expect(attempts).toEqual([
      [`inc-${incident.number}-name-clash`, false],
      [`inc-${incident.number}-name-clash-2`, true],
    ]);
    expect(incident.channelName).toBe(`inc-${incident.number}-name-clash-2`);
  });
});

describe('declaring from a message', () => {
  it('when the shortcut is used on a post, then the form opens with its first line as title and the post as summary', async () => {
    const body = messageShortcutBody({
      userId: 'U0DECL001',
      callbackId: 'declare_from_message',
      triggerId: h.fake.mintTriggerId(),
      channelId: 'C0ESCAL001',
      message: {
        ts: '1795400000.000100',
        user: 'U0PARTNER1',
        text: 'NGO reports a suicide pact group chat\nLinks: <https://example.org|evidence>',
      },
    });
    const reply = await sendToSlackEndpoint(h.eventsUrl, body, {
      secret: SIGNING_SECRET,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(reply.status).toBe(200);
    const open = await h.fake.waitForCall('views.open');
    const blocks = (open.args.view as { blocks: Array<{ block_id: string; element: { initial_value?: string } }> }).blocks;
    expect(blocks.find((b) => b.block_id === 'title')?.element.initial_value).toBe('NGO reports a suicide pact group chat');
    expect(blocks.find((b) => b.block_id === 'summary')?.element.initial_value).toContain('From <@U0PARTNER1> in <#C0ESCAL001>');
  });
});

describe('private incidents', () => {
  it('when an incident is private, then its channel is private, nothing goes to the feed, and only members see it listed', async () => {
    const title = 'Grooming network on live streams';
    const incident = await declareAndSettle({ title, severity: 'sev1', category: 'child-safety' }, { userId: 'U0DECL001' });
    const create = h.fake.lastCallTo('conversations.create')!;
    expect(create.args.is_private === true || create.args.is_private === 'true').toBe(true);
    expect(h.fake.channel(incident.channelId!)?.isPrivate).toBe(true);
    expect(incident.isPrivate).toBe(true);
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === h.feedChannelId)).toHaveLength(0);

    const outsider = await h.command('list', { userId: 'U0OTHER01' });
    expect(outsider.text).not.toContain('Grooming');
    const member = await h.command('list', { userId: 'U0DECL001' });
    expect(member.text).toContain('Grooming network on live streams');
  });
});

describe('Slack failing', () => {
  it('when conversations.create meets a storm of 429s, then the channel is still created exactly once', async () => {
    h.fake.fail('conversations.create', { kind: 'ratelimited', retryAfterSeconds: 1 }, { times: 3 });
    await h.submitView(declareView({ title: 'Rate limited declaration', severity: 'sev3', category: 'other' }));
    const ok = await h.fake.waitForCall('conversations.create', (c) => c.status === 200, 15_000);
    const attempts = h.fake.callsTo('conversations.create');
    expect(attempts.filter((c) => c.status === 429)).toHaveLength(3);
    expect(attempts.filter((c) => c.status === 200)).toHaveLength(1);
    const channelId = (ok.response as { channel: { id: string } }).channel.id;
    await waitForCard(channelId);
    expect(h.fake.channelByName(String(ok.args.name))?.id).toBe(channelId);
  });

  it('when Slack keeps failing, then the incident is kept, the declarer is told, and the channel appears once Slack is back', async () => {
    h.fake.fail('conversations.create', { kind: 'http', status: 503 }, { times: 8 });
    const title = 'Moderation queue tool down';
    await h.submitView(declareView({ title, severity: 'sev2', category: 'tooling-outage' }));
    const [incident] = await incidentByTitle(title);
    expect(incident).toBeDefined();
    const delayed = await eventually(
      () =>
        [...privateReplies(h.fake), ...h.fake.callsTo('chat.postMessage')].find((c) =>
          String(c.args.text).includes('not letting me create'),
        ),
      'the declarer to hear about the delay',
      10_000,
    );
    expect(String(delayed.args.text)).toContain(`INC-${incident!.number}`);
    const created = await h.fake.waitForCall('conversations.create', (c) => c.status === 200, 20_000);
    await waitForCard((created.response as { channel: { id: string } }).channel.id);
    expect(h.fake.callsTo('conversations.create').filter((c) => c.status === 200)).toHaveLength(1);
  }, 30_000);

  it('when Slack accepts the card but the bot never hears back, then the card is in Slack once, adopted by its tag, and that one is pinned', async () => {
    const title = 'Lost answers while opening';
    const isCard = (args: Record<string, unknown>) => String(args.text).startsWith('INC-') && String(args.text).includes(title);
    h.fake.fail('chat.postMessage', { kind: 'lose-answer' }, { when: isCard });
    const row = await declareAndSettle({ title, severity: 'sev3', category: 'other' });
    const channelId = row.channelId as string;
    const cards = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channelId && isCard(c.args));
    expect(cards).toHaveLength(1);
    expect(cards[0]?.args.metadata).toMatchObject({ event_payload: { key: `card:${row.id}` } });
    // The adopted card is the one recorded and pinned.
    const pinned = h.fake.callsTo('pins.add').filter((c) => c.args.channel === channelId);
    expect(pinned).toHaveLength(1);
    expect(pinned[0]?.args.timestamp).toBe(row.cardTs);
  }, 30_000);
});
