import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { incidentMembers, incidents, slackEvents, timelineEntries } from '../../src/db/schema/index.js';
import { declareState, eventually, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';
import { eventBody, sendToSlackEndpoint } from '../support/slack-requests.js';
import { waitForPrivateReply } from '../support/replies.js';

let h: Harness;
let viewSeq = 0;
let eventSeq = 0;

beforeAll(async () => {
  h = await startHarness(import.meta.url);
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.fake.reset();
  h.fake.clearFaults();
});

/** Declares an incident that pages nobody (SEV3) and waits until its channel and card exist. */
async function declare(title: string, fields: { private?: boolean; category?: string } = {}) {
  viewSeq += 1;
  await h.submitView({
    id: `V0TIME${String(viewSeq).padStart(4, '0')}`,
    callback_id: 'declare_incident',
    state: declareState({ title, severity: 'sev3', category: fields.category ?? 'other', private: fields.private }),
  });
  return eventually(
    async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
      return row?.cardTs && row.declarerToldAt ? row : undefined;
    },
    `incident "${title}" to be set up`,
    15_000,
  );
}

function nextEventId(): string {
  eventSeq += 1;
  return `Ev0TIME${String(eventSeq).padStart(5, '0')}`;
}

/** An Events API delivery, signed like Slack's; returns the event id used. */
async function deliver(event: Record<string, unknown>, eventId = nextEventId()): Promise<string> {
  const answer = await sendToSlackEndpoint(h.eventsUrl, eventBody({ eventId, event }), {
    secret: SIGNING_SECRET,
    contentType: 'application/json',
  });
  expect(answer.status).toBe(200);
  return eventId;
}

function pinEvent(
  type: 'pin_added' | 'pin_removed',
  channelId: string,
  message: { ts: string; text: string; user: string },
  by = 'U0RESP001',
) {
  return {
    type,
    user: by,
    channel_id: channelId,
    item: { type: 'message', channel: channelId, created: 1_700_000_100, created_by: by, message: { type: 'message', ...message } },
    event_ts: '1700000100.000200',
  };
}

function reactionEvent(
  type: 'reaction_added' | 'reaction_removed',
  channelId: string,
  ts: string,
  reaction = 'pushpin',
  itemUser = 'U0RESP002',
) {
  return {
    type,
    user: 'U0RESP001',
    reaction,
    item_user: itemUser,
    item: { type: 'message', channel: channelId, ts },
    event_ts: '1700000100.000300',
  };
}

const entriesOf = (incidentId: string) => h.db.select().from(timelineEntries).where(eq(timelineEntries.incidentId, incidentId));
const capturedOf = async (incidentId: string, kind: string) => (await entriesOf(incidentId)).filter((e) => e.kind === kind);

/** Waits for the event to be claimed, so "nothing happened" is asserted only after it was handled. */
const handled = (eventId: string) => eventually(async () => (await claimed(eventId)).length > 0, `event ${eventId} to be handled`);
const claimed = (eventId: string) =>
  h.db
    .select()
    .from(slackEvents)
    .where(eq(slackEvents.key, `event:T0MERIDIAN:${eventId}`));

describe('capturing pinned messages', () => {
  it('when a message is pinned in the incident channel, then its text, author, time and permalink are on the timeline; unpinning removes it', async () => {
    const incident = await declare('Pinned evidence of coordinated spam');
    const channelId = incident.channelId!;
    const text = 'Spam wave started 09:12 <!channel> *bold*';
    const ts = h.fake.postAsUser(channelId, { user: 'U0RESP002', text });

    await deliver(pinEvent('pin_added', channelId, { ts, text, user: 'U0RESP002' }));
    const [entry] = await eventually(async () => {
      const rows = await capturedOf(incident.id, 'pin');
      return rows.length ? rows : undefined;
    }, 'the pinned message on the timeline');
    expect(entry).toMatchObject({ text, actorId: 'U0RESP002', messageTs: ts, data: { capturedBy: 'U0RESP001' } });
    expect(entry!.permalink).toBe(`https://meridian-test.slack.com/archives/${channelId}/p${ts.replace('.', '')}`);
    expect(entry!.at.getTime()).toBe(Math.round(Number(ts) * 1000));

    await deliver(pinEvent('pin_removed', channelId, { ts, text, user: 'U0RESP002' }));
    await eventually(async () => (await capturedOf(incident.id, 'pin')).length === 0, 'the entry to go with the pin');
  });

  it('when the bot pins its own incident card, then the timeline does not capture it', async () => {
    const incident = await declare('Card pin is not timeline material');
    const eventId = await deliver(
      pinEvent('pin_added', incident.channelId!, { ts: incident.cardTs!, text: 'INC card', user: h.fake.botUserId }, h.fake.botUserId),
    );
    // Nothing is claimed for a skipped event either, so wait on a later event of the same channel instead.
    void eventId;
    const ts = h.fake.postAsUser(incident.channelId!, { user: 'U0RESP001', text: 'marker' });
    await deliver(pinEvent('pin_added', incident.channelId!, { ts, text: 'marker', user: 'U0RESP001' }));
    await eventually(async () => (await capturedOf(incident.id, 'pin')).length === 1, 'the marker pin');
    expect((await capturedOf(incident.id, 'pin')).map((e) => e.text)).toEqual(['marker']);
  });

  it('when the same pin event is delivered twice, then there is one entry, and a late retry does not undo an unpin', async () => {
    const incident = await declare('Duplicate deliveries');
    const channelId = incident.channelId!;
    const ts = h.fake.postAsUser(channelId, { user: 'U0RESP001', text: 'Regulator called' });
    const pin = pinEvent('pin_added', channelId, { ts, text: 'Regulator called', user: 'U0RESP001' });
    const eventId = await deliver(pin);
    await deliver(pin, eventId);
    await handled(eventId);
    expect(await capturedOf(incident.id, 'pin')).toHaveLength(1);

    const unpinId = await deliver(pinEvent('pin_removed', channelId, { ts, text: 'Regulator called', user: 'U0RESP001' }));
    await handled(unpinId);
    await deliver(pin, eventId);
    await handled(eventId);
    expect(await capturedOf(incident.id, 'pin')).toHaveLength(0);
  });
});

describe('capturing :pushpin: reactions', () => {
  it('when someone reacts with :pushpin:, then the message is read back and captured; removing the reaction removes it', async () => {
    const incident = await declare('Reaction capture');
    const channelId = incident.channelId!;
    const ts = h.fake.postAsUser(channelId, { user: 'U0RESP002', text: 'Takedown request sent to host' });

    const added = await deliver(reactionEvent('reaction_added', channelId, ts));
    await handled(added);
    const [entry] = await capturedOf(incident.id, 'reaction');
    expect(entry).toMatchObject({
      text: 'Takedown request sent to host',
      actorId: 'U0RESP002',
      messageTs: ts,
      data: { capturedBy: 'U0RESP001' },
    });
    expect(entry!.permalink).toContain(`/archives/${channelId}/p`);
    expect(h.fake.callsTo('conversations.history').some((c) => c.args.channel === channelId && c.args.latest === ts)).toBe(true);

    const removed = await deliver(reactionEvent('reaction_removed', channelId, ts));
    await handled(removed);
    expect(await capturedOf(incident.id, 'reaction')).toHaveLength(0);
  });

  it('when one of two :pushpin: reactions is removed, then the entry stays until the last one goes', async () => {
    const incident = await declare('Two people pinned it');
    const channelId = incident.channelId!;
    const ts = h.fake.postAsUser(channelId, { user: 'U0RESP002', text: 'Host confirmed removal' });
    const message = h.fake.channel(channelId)!.messages.find((m) => m.ts === ts)!;
    message.reactions = [{ name: 'pushpin', users: ['U0RESP001', 'U0LEGAL01'] }];
    await handled(await deliver(reactionEvent('reaction_added', channelId, ts)));

    message.reactions = [{ name: 'pushpin', users: ['U0LEGAL01'] }];
    await handled(await deliver(reactionEvent('reaction_removed', channelId, ts)));
    expect(await capturedOf(incident.id, 'reaction')).toHaveLength(1);

    message.reactions = [];
    await handled(await deliver(reactionEvent('reaction_removed', channelId, ts)));
    expect(await capturedOf(incident.id, 'reaction')).toHaveLength(0);
  });

  it('when a reply in a thread gets :pushpin:, then it is found through conversations.replies', async () => {
    const incident = await declare('Thread reply capture');
    const channelId = incident.channelId!;
    const parent = h.fake.postAsUser(channelId, { user: 'U0RESP001', text: 'Status thread' });
    const reply = h.fake.postAsUser(channelId, { user: 'U0LEGAL01', text: 'Legal approved the statement', threadTs: parent });
    await handled(await deliver(reactionEvent('reaction_added', channelId, reply)));
    const [entry] = await capturedOf(incident.id, 'reaction');
    expect(entry).toMatchObject({ text: 'Legal approved the statement', actorId: 'U0LEGAL01' });
  });

  it('when someone reacts with another emoji, then nothing is captured', async () => {
    const incident = await declare('Other emoji ignored');
    const ts = h.fake.postAsUser(incident.channelId!, { user: 'U0RESP002', text: 'lol' });
    await deliver(reactionEvent('reaction_added', incident.channelId!, ts, 'eyes'));
    await deliver(reactionEvent('reaction_added', incident.channelId!, ts, 'round_pushpin'));
    const marker = await deliver(reactionEvent('reaction_added', incident.channelId!, ts, 'pushpin'));
    await handled(marker);
    expect(h.fake.callsTo('conversations.history')).toHaveLength(1);
    expect((await entriesOf(incident.id)).filter((e) => e.kind === 'reaction')).toHaveLength(1);
  });
});

describe('/incident note and /incident timeline', () => {
  it('when a note is added, then /incident timeline shows it with dates each reader sees in their own zone, escaped', async () => {
    const incident = await declare('Notes and rendering');
    const channelId = incident.channelId!;
    await h.command('note Called the partner NGO <!here> _urgent_', { userId: 'U0DECL001', channelId });
    const [note] = await eventually(async () => {
      const rows = await capturedOf(incident.id, 'note');
      return rows.length ? rows : undefined;
    }, 'the note');
    expect(note).toMatchObject({ actorId: 'U0DECL001', text: 'Called the partner NGO <!here> _urgent_' });
    const told = await waitForPrivateReply(
      h.fake,
      (c) => c.args.user === 'U0DECL001' && String(c.args.text).includes('Added to the timeline'),
    );
    expect(String(told.args.text)).toContain(`INC-${incident.number}`);

    const reply = await h.command('timeline', { userId: 'U0DECL001', channelId });
    const body = reply.json as { response_type: string; text: string; blocks: Array<{ type: string; text?: { text: string } }> };
    expect(body.response_type).toBe('ephemeral');
    const all = body.blocks.map((b) => b.text?.text ?? '').join('\n');
    expect(all).toContain(`Timeline of INC-${incident.number}`);
    expect(all).toMatch(/<!date\^\d+\^\{date_short_pretty\} \{time\}\|\d{4}-\d\d-\d\d \d\d:\d\d UTC>/);
    expect(all).toContain('Incident declared');
    expect(all).toContain('<@U0DECL001> noted');
    expect(all).toContain('&lt;!here&gt;');
    expect(all).not.toContain('<!here>');
  });

  it('when /incident timeline is typed outside an incident channel, then the caller is told to use it in one', async () => {
    const reply = await h.command('timeline', { userId: 'U0DECL001', channelId: 'C0GENERAL1' });
    const body = reply.json as { text: string; blocks?: unknown[] };
    expect(body.text).toContain('works in an incident channel');
    await h.command('note hello', { userId: 'U0DECL001', channelId: 'C0GENERAL1' });
    // Through the command's response_url, where the command was typed.
    const told = await waitForPrivateReply(h.fake, (c) => c.args.user === 'U0DECL001' && String(c.args.text).includes('incident channel'));
    expect(told).toBeDefined();
  });

  it('when a timeline is longer than one message holds, then the latest entries are shown and the rest counted', async () => {
    const incident = await declare('A long-running incident');
    // A day after the declaration and its channel, so these are the latest entries.
    const start = incident.declaredAt.getTime() + 24 * 3_600_000;
    await h.db.insert(timelineEntries).values(
      Array.from({ length: 120 }, (_, i) => ({
        incidentId: incident.id,
        at: new Date(start + i * 60_000),
        kind: 'note',
        actorId: 'U0RESP001',
        text: `note number ${i} ${'x'.repeat(400)}`,
      })),
    );
    const reply = await h.command('timeline', { userId: 'U0DECL001', channelId: incident.channelId! });
    const body = reply.json as { blocks: Array<{ type: string; text?: { text: string }; elements?: Array<{ text: string }> }> };
    expect(body.blocks.length).toBeLessThanOrEqual(50);
    for (const block of body.blocks) expect((block.text?.text ?? '').length).toBeLessThanOrEqual(3000);
    const sections = body.blocks.filter((b) => b.type === 'section').slice(1);
    const shown = sections.length;
    expect(sections.at(-1)!.text!.text).toContain('note number 119');
    const more = body.blocks.at(-1)!;
    expect(more.type).toBe('context');
    // 120 notes plus the declaration and the channel entries.
    const total = (await entriesOf(incident.id)).length;
    expect(more.elements![0]!.text).toContain(`${total - shown} earlier entries are not shown`);
  });
});

describe('private incidents and channel membership', () => {
  it('when people join and leave a private incident channel, then its members follow, and only members see the timeline', async () => {
    const incident = await declare('Sensitive minor-safety report', { private: true, category: 'child-safety' });
    const channelId = incident.channelId!;
    const isMember = async (userId: string) =>
      (
        await h.db
          .select()
          .from(incidentMembers)
          .where(and(eq(incidentMembers.incidentId, incident.id), eq(incidentMembers.userId, userId)))
      ).length > 0;

    // To a non-member, a private incident is the same neutral answer as one that does not exist.
    const denied = await h.command('timeline', { userId: 'U0LEGAL01', channelId });
    expect((denied.json as { text: string }).text).toBe(':warning: That incident is not available to you.');

    await handled(
      await deliver({ type: 'member_joined_channel', user: 'U0LEGAL01', channel: channelId, channel_type: 'G', team: 'T0MERIDIAN' }),
    );
    expect(await isMember('U0LEGAL01')).toBe(true);
    const allowed = await h.command('timeline', { userId: 'U0LEGAL01', channelId });
    expect(JSON.stringify(allowed.json)).toContain('Sensitive minor-safety report');

    await handled(
      await deliver({ type: 'member_left_channel', user: 'U0LEGAL01', channel: channelId, channel_type: 'G', team: 'T0MERIDIAN' }),
    );
    expect(await isMember('U0LEGAL01')).toBe(false);
    const again = await h.command('timeline', { userId: 'U0LEGAL01', channelId });
    expect(JSON.stringify(again.json)).not.toContain('Sensitive minor-safety report');
  });

  it('when someone joins a channel that is not an incident channel, then nothing is recorded', async () => {
    const eventId = await deliver({
      type: 'member_joined_channel',
      user: 'U0LEGAL01',
      channel: 'C0GENERAL1',
      channel_type: 'C',
      team: 'T0MERIDIAN',
    });
    // Ignored events are not claimed: give the listener a moment by sending a claimed one after it.
    const incident = await declare('Membership marker');
    await handled(
      await deliver({
        type: 'member_joined_channel',
        user: 'U0RESP002',
        channel: incident.channelId!,
        channel_type: 'C',
        team: 'T0MERIDIAN',
      }),
    );
    expect(await claimed(eventId)).toHaveLength(0);
  });
});
