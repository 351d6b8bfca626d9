/**
 * Messages fit Slack's Block Kit limits (the fake enforces them, as Slack does), however long
 * and however escaped the user text; too-long input is refused inline; a refused card does not
 * stall the set-up.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { incidents, timelineEntries } from '../../src/db/schema/index.js';
import { blockKitProblems } from '../fakes/fake-slack.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { privateReplies } from '../support/replies.js';

let h: Harness;
let seq = 0;

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

const rowByTitle = async (title: string) => (await h.db.select().from(incidents).where(eq(incidents.title, title)))[0];

/** Declares and waits until the declarer was told (the end of the set-up). */
async function declare(title: string, summary = '') {
  seq += 1;
  const reply = await h.submitView({
    id: `V0LIM${String(seq).padStart(5, '0')}`,
    callback_id: 'declare_incident',
    private_metadata: JSON.stringify({ originChannelId: 'C0GENERAL1' }),
    state: declareState({ title, severity: 'sev3', category: 'media-inquiry', summary }),
  });
  expect(reply.status).toBe(200);
  return eventually(async () => {
    const row = await rowByTitle(title);
    return row?.declarerToldAt ? row : undefined;
  }, `the set-up of "${title}"`);
}

/** The card the bot posted in the channel, and its pin. */
async function cardOf(channelId: string) {
  const pin = await h.fake.waitForCall('pins.add', (c) => c.args.channel === channelId);
  const card = h.fake
    .callsTo('chat.postMessage')
    .find((c) => c.args.channel === channelId && c.status === 200 && JSON.stringify(c.args).includes('card_resolve'));
  return { pin, card };
}

const textOfSections = (blocks: unknown) =>
  (blocks as Array<{ type: string; text?: { text: string } }>)
    .filter((b) => b.type === 'section')
    .map((b) => b.text?.text ?? '')
    .join('');

describe('long text fits Slack', () => {
  it('when the summary is 3,000 ampersands (15,000 characters escaped), then the card is posted whole and pinned', async () => {
    const incident = await declare('Ampersand storm in the summary', '&'.repeat(3000));
    const { pin, card } = await cardOf(incident.channelId!);
    expect(card).toBeDefined();
    expect(pin.args.timestamp).toBe(incident.cardTs);
    expect(blockKitProblems(card!.args.blocks as unknown[])).toEqual([]);
    // Nothing of the summary is lost: all 3,000 ampersands are on the card, escaped.
    expect(textOfSections(card!.args.blocks).split('&amp;').length - 1).toBe(3000);
    await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === h.feedChannelId && String(c.args.text).includes('Ampersand storm'),
    );
  });

  it('when the summary is 2,995 characters, then the card is posted and pinned, the feed told and the declarer told', async () => {
    const summary = `${'word '.repeat(598)}done!`;
    expect(summary.length).toBe(2995);
    const incident = await declare('Almost-full summary', summary);
    const { card } = await cardOf(incident.channelId!);
    expect(textOfSections(card!.args.blocks)).toContain('done!');
    await h.fake.waitForCall('chat.postMessage', (c) => c.args.channel === h.feedChannelId && String(c.args.text).includes('Almost-full'));
    expect(incident.declarerToldAt).not.toBeNull();
  });

  it('when a timeline holds long escaped entries, then /incident timeline fits every section and the message', async () => {
    const incident = await declare('Long escaped timeline');
    const start = incident.declaredAt.getTime() + 3_600_000;
    await h.db.insert(timelineEntries).values([
      ...Array.from({ length: 3 }, (_, i) => ({
        incidentId: incident.id,
        at: new Date(start + i * 60_000),
        kind: 'note',
        actorId: 'U0RESP001',
        text: `${'<&>'.repeat(500)} note ${i}`,
        permalink: 'https://example.slack.com/archives/C1/p1',
      })),
      {
        incidentId: incident.id,
        at: new Date(start + 10 * 60_000),
        kind: 'update_posted',
        actorId: 'U0DECL001',
        text: `Update (investigating): ${'&'.repeat(3000)} | Doing: ${'<'.repeat(3000)}`,
      },
    ]);
    const reply = await h.command('timeline', { userId: 'U0DECL001', channelId: incident.channelId! });
    const body = reply.json as { blocks: unknown[] };
    expect(blockKitProblems(body.blocks)).toEqual([]);
    const text = JSON.stringify(body.blocks);
    expect(text).toContain('View message');
    expect(text).toContain('Update (investigating)');
  });
});

describe('server-side length checks', () => {
  it('when a forged status update of 10,000 characters is submitted, then it is refused inline and nothing is posted', async () => {
    const incident = await declare('Forged long update');
    h.fake.reset();
    seq += 1;
    const reply = await h.submitView({
      id: `V0LIM${String(seq).padStart(5, '0')}`,
      callback_id: 'incident_update',
      private_metadata: JSON.stringify({ incidentId: incident.id }),
      state: {
        values: {
          status: { value: { selected_option: { value: 'investigating' } } },
          known: { value: { value: 'k'.repeat(10_000) } },
          doing: { value: { value: 'Takedowns' } },
          next_update: { value: { selected_date_time: null } },
        },
      },
    });
    const answer = reply.json as { response_action: string; errors: Record<string, string> };
    expect(answer.response_action).toBe('errors');
    expect(answer.errors.known).toContain('3000');
    // A sentinel after the refusal: a note is recorded and acknowledged; no update came before it.
    await h.command('note after the forged update', { userId: 'U0DECL001', channelId: incident.channelId! });
    await eventually(async () => {
      const rows = await h.db.select().from(timelineEntries).where(eq(timelineEntries.incidentId, incident.id));
      return rows.some((r) => r.kind === 'note') ? rows : undefined;
    }, 'the sentinel note');
    const rows = await h.db.select().from(timelineEntries).where(eq(timelineEntries.incidentId, incident.id));
    expect(rows.some((r) => r.kind === 'update_posted')).toBe(false);
    expect(h.fake.callsTo('chat.postMessage').some((c) => String(c.args.text).includes('Status update'))).toBe(false);
    expect((await rowByTitle('Forged long update'))!.lastUpdateAt).toEqual(incident.lastUpdateAt);
  });
});

describe('a card Slack refuses', () => {
  it('when Slack refuses the card with invalid_blocks, then the declarer is told, the feed post happens and the set-up ends', async () => {
    h.fake.fail(
      'chat.postMessage',
      { kind: 'error', error: 'invalid_blocks' },
      { when: (args) => JSON.stringify(args).includes('card_resolve') },
    );
    const incident = await declare('Card that Slack refuses');
    expect(incident.cardTs).toBeNull();
    expect(incident.feedAnnouncedAt).not.toBeNull();
    const told = [...privateReplies(h.fake), ...h.fake.callsTo('chat.postMessage')].filter(
      (c) => (c.args.user === 'U0DECL001' || c.args.channel === 'U0DECL001') && c.status === 200,
    );
    expect(told.some((c) => String(c.args.text).includes('Slack refused the card'))).toBe(true);
    expect(told.some((c) => String(c.args.text).includes('is open'))).toBe(true);
    expect(h.fake.callsTo('pins.add').some((c) => c.args.channel === incident.channelId)).toBe(false);
    await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === h.feedChannelId && String(c.args.text).includes('Card that Slack'),
    );
  });
});
