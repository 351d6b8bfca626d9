import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { incidents } from '../../src/db/schema/index.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';

let h: Harness;
let viewSeq = 0;

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

const NOTE = 'Content note: this incident involves material that may be distressing';

async function declareAndSettle(fields: Parameters<typeof declareState>[0]) {
  viewSeq += 1;
  await h.submitView({
    id: `V0SENS${String(viewSeq).padStart(4, '0')}`,
    callback_id: 'declare_incident',
    private_metadata: JSON.stringify({ originChannelId: 'C0GENERAL1' }),
    state: declareState(fields),
  });
  return eventually(
    async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, fields.title!));
      return row?.declarerToldAt && row.cardTs ? row : undefined;
    },
    `the set-up of "${fields.title}"`,
    15_000,
  );
}

describe('sensitive categories', () => {
  it('when a child-safety incident is declared with private unticked, then its channel is private, unfurls are off and the card has a content note', async () => {
    const incident = await declareAndSettle({ title: 'Reported CSAM network', severity: 'sev1', category: 'child-safety' });
    expect(incident.isPrivate).toBe(true);
    expect(incident.channelName).toBe(`inc-${incident.number}`);
    const create = h.fake.callsTo('conversations.create').find((c) => c.args.name === `inc-${incident.number}`);
    expect(String(create?.args.is_private)).toBe('true');

    const posts = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === incident.channelId);
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) {
      expect(String(post.args.unfurl_links)).toBe('false');
      expect(String(post.args.unfurl_media)).toBe('false');
    }
    const card = posts.find((c) => JSON.stringify(c.args.blocks ?? '').includes(`INC-${incident.number}`));
    expect(JSON.stringify(card?.args.blocks)).toContain(NOTE);
  });

  it('when a non-sensitive incident is declared, then its card has no content note', async () => {
    const incident = await declareAndSettle({ title: 'Harmful trend spreading', severity: 'sev2', category: 'harmful-trend' });
    const card = h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === incident.channelId);
    expect(JSON.stringify(card?.args.blocks)).toContain(`INC-${incident.number}`);
    expect(JSON.stringify(card?.args.blocks)).not.toContain(NOTE);
  });
});
