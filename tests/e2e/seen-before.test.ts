/**
 * Issue 22 item 4: "seen before" on declaration and with `/incident similar`, and incident links.
 * One harness, a few incidents declared through the modal; each test asserts what people see.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, incidentLinks, incidents } from '../../src/db/schema/index.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';

let h: Harness;
let viewSeq = 0;
const MEMBER = 'U0RESP001';
const OTHER = 'U0RESP002';

type Row = typeof incidents.$inferSelect;

beforeAll(async () => {
  h = await startHarness(import.meta.url);
});
afterAll(async () => {
  await h?.close();
});

async function declare(fields: Parameters<typeof declareState>[0], userId = 'U0DECL001'): Promise<Row> {
  viewSeq += 1;
  await h.submitView(
    {
      id: `V0SEEN${String(viewSeq).padStart(4, '0')}`,
      callback_id: 'declare_incident',
      private_metadata: JSON.stringify({ originChannelId: 'C0GENERAL1' }),
      state: declareState(fields),
    },
    { userId },
  );
  return eventually(
    async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, fields.title!));
      return row?.cardTs ? row : undefined;
    },
    `the set-up of "${fields.title}"`,
    15_000,
  );
}

const postsTo = (channel: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);
const textOf = (call: { args: Record<string, unknown> }) => `${String(call.args.text)}\n${JSON.stringify(call.args.blocks ?? [])}`;
const replyText = (reply: { json?: unknown }) => {
  const body = reply.json as { text: string; blocks?: unknown[] };
  return `${body.text}\n${JSON.stringify(body.blocks ?? [])}`;
};

let earlier: Row;
let secret: Row;
let unrelated: Row;
let resurging: Row;

describe('seen before', () => {
  it('when "Blackout challenge resurging in TR" is declared, then its channel shows the earlier Blackout challenge from ID, and the private one is shown only to its member', async () => {
    earlier = await declare({
      title: 'Blackout challenge',
      summary: 'Teens in ID filming the #blackoutchallenge',
      severity: 'sev2',
      category: 'harmful-trend',
    });
    // It took a day and a half, and it has two follow-ups from its resolve form.
    await h.db
      .update(incidents)
      .set({
        status: 'resolved',
        resolvedAt: new Date(earlier.declaredAt.getTime() + 36 * 3_600_000),
        followUps: ['Hash-match the clips', 'Brief ID policy'],
      })
      .where(eq(incidents.id, earlier.id));
    secret = await declare(
      { title: 'Blackout challenge copycat clips', severity: 'sev2', category: 'harmful-trend', private: true },
      MEMBER,
    );
    unrelated = await declare({ title: 'Regulator order from BNetzA', severity: 'sev3', category: 'harmful-trend' });
    await h.idle();

    resurging = await declare({ title: 'Blackout challenge resurging in TR', severity: 'sev2', category: 'harmful-trend' }, MEMBER);
    await h.idle();
    const seen = postsTo(resurging.channelId!).filter((c) => String(c.args.text).startsWith('Seen before'));
    expect(seen).toHaveLength(1);
    const channelText = textOf(seen[0]!);
    expect(channelText).toContain(`INC-${earlier.number}`);
    expect(channelText).toContain('Blackout challenge');
    expect(channelText).toContain(':round_pushpin: ID');
    expect(channelText).toContain('resolved in 36 h');
    expect(channelText).toContain('2 follow-ups');
    expect(channelText).toContain('no review yet');
    expect(channelText).not.toContain(`INC-${secret.number}`);
    expect(channelText).not.toContain('copycat');
    expect(channelText).not.toContain(`INC-${unrelated.number}`);
    // The private one, to its member only, as an ephemeral in the new channel.
    const dm = h.fake.callsTo('chat.postEphemeral').filter((c) => c.args.user === MEMBER && String(c.args.text).startsWith('Seen before'));
    expect(
      h.fake.callsTo('chat.postEphemeral').filter((c) => String(c.args.text).startsWith('Seen before') && c.args.user !== MEMBER),
    ).toEqual([]);
    expect(postsTo(MEMBER).filter((c) => String(c.args.text).startsWith('Seen before'))).toEqual([]);
    expect(dm).toHaveLength(1);
    expect(textOf(dm[0]!)).toContain(`INC-${secret.number}`);
    expect(textOf(dm[0]!)).toContain('only you see this');
    // Nothing like the earlier incidents: nothing posted.
    expect(postsTo(unrelated.channelId!).filter((c) => String(c.args.text).startsWith('Seen before'))).toEqual([]);
  });

  it('when /incident similar is typed, then each person sees only the incidents they may see', async () => {
    const channelId = resurging.channelId!;
    const forMember = replyText(await h.command('similar', { userId: MEMBER, channelId }));
    expect(forMember).toContain(`INC-${earlier.number}`);
    expect(forMember).toContain(`INC-${secret.number}`);
    const forOther = replyText(await h.command('similar', { userId: OTHER, channelId }));
    expect(forOther).toContain(`INC-${earlier.number}`);
    expect(forOther).not.toContain(`INC-${secret.number}`);
    // With words, anywhere.
    const byWords = replyText(await h.command('similar blackout challenge', { userId: OTHER, channelId: 'C0GENERAL1' }));
    expect(byWords).toContain(`INC-${earlier.number}`);
    expect(byWords).not.toContain(`INC-${secret.number}`);
    expect(replyText(await h.command('similar payment fraud ring', { userId: OTHER, channelId: 'C0GENERAL1' }))).toContain(
      'No earlier incident',
    );
  });

  it('when incidents are linked, then the link shows on both cards; a link to an incident the person cannot see, or a wrong kind, is refused and nothing is stored', async () => {
    const channelId = resurging.channelId!;
    await h.command(`link INC-${earlier.number} duplicate`, { userId: OTHER, channelId });
    // The reply comes after the ack: wait for it, then read the row.
    await eventually(
      () => h.fake.callsTo('response_url').find((c) => c.args.user === OTHER && String(c.args.text).startsWith('Linked:')),
      'the link to be made',
    );
    const [stored] = await h.db.select().from(incidentLinks).where(eq(incidentLinks.incidentId, resurging.id));
    expect(stored).toMatchObject({ linkedIncidentId: earlier.id, kind: 'duplicate', createdBy: OTHER });
    const cardOf = (row: Row) =>
      eventually(
        () =>
          h.fake
            .callsTo('chat.update')
            .filter((c) => c.args.channel === row.channelId && c.args.ts === row.cardTs)
            .map(textOf)
            .find((t) => t.includes(':link:')),
        `the card of INC-${row.number} with its link`,
      );
    expect(await cardOf(resurging)).toContain(`duplicate of INC-${earlier.number}`);
    expect(await cardOf(earlier)).toContain(`duplicated by INC-${resurging.number}`);

    // OTHER is not a member of the private incident: the same answer as for one that does not exist.
    await h.command(`link INC-${secret.number} related`, { userId: OTHER, channelId });
    await h.command(`link INC-99999 related`, { userId: OTHER, channelId });
    await h.command(`link INC-${unrelated.number} sibling`, { userId: OTHER, channelId });
    const replies = await eventually(() => {
      const r = h.fake
        .callsTo('response_url')
        .filter((c) => c.args.user === OTHER)
        .map((c) => String(c.args.text));
      return r.filter((t) => t.includes('not available to you')).length >= 2 && r.some((t) => t.includes('is not a kind of link')) && r;
    }, 'the refusals');
    expect(replies.join('\n')).not.toContain(secret.title);
    const links = await h.db.select().from(incidentLinks).where(eq(incidentLinks.incidentId, resurging.id));
    expect(links).toHaveLength(1);
    const refused = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'incident.link'), eq(auditLog.outcome, 'refused')));
    expect(refused.map((r) => r.details.reason).sort()).toEqual(['invalid_input', 'not_visible', 'not_visible']);
  });
});
