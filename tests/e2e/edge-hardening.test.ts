import { Writable } from 'node:stream';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { incidents, timelineEntries } from '../../src/db/schema/index.js';
import { createLogger } from '../../src/log.js';
import { TEAM_ID } from '../fakes/fake-slack.js';
import { declareState, eventually, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';
import { sendToSlackEndpoint, viewSubmissionBody } from '../support/slack-requests.js';

/** Every line the bot logs, parsed, and the raw text, for greps. */
const logged: Array<{ level: number; msg: string; raw: string }> = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    const raw = String(chunk);
    const line = JSON.parse(raw) as { level: number; msg: string };
    logged.push({ level: line.level, msg: line.msg, raw });
    done();
  },
});

let h: Harness;
let viewSeq = 0;
beforeAll(async () => {
  h = await startHarness(import.meta.url, { logger: createLogger('info', sink) });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.fake.reset();
  h.fake.clearFaults();
});

const nextViewId = () => `V0EDGE${String(++viewSeq).padStart(4, '0')}`;
const logText = (from = 0) =>
  logged
    .slice(from)
    .map((l) => l.raw)
    .join('');
const errorsSince = (from: number) => logged.slice(from).filter((l) => l.level >= 50);

/** What a person was told, in an ephemeral or a DM, once it arrives. */
function told(userId: string, words: string) {
  return eventually(
    () =>
      h.fake.calls.find(
        (c) =>
          (c.method === 'chat.postEphemeral' || c.method === 'response_url' || c.method === 'chat.postMessage') &&
          String(c.args.text).includes(words),
      ),
    `${userId} to be told "${words}"`,
  );
}

async function declare(title: string, extra: { summary?: string } = {}) {
  const id = nextViewId();
  const reply = await h.submitView({
    id,
    callback_id: 'declare_incident',
    state: declareState({ title, severity: 'sev3', category: 'other', summary: extra.summary }),
  });
  return { id, reply };
}

async function declared(title: string) {
  await declare(title);
  return eventually(
    async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, title));
      return row?.cardTs && row.declarerToldAt ? row : undefined;
    },
    `incident "${title}" to be set up`,
    15_000,
  );
}

async function storedWithViewId(viewId: string) {
  return h.db
    .select()
    .from(incidents)
    .where(eq(incidents.idempotencyKey, `view:${viewId}`));
}

describe('/incident list with many open incidents', () => {
  it('when 200 incidents are open, then the list says 200, how many it shows, and how to see the next page', async () => {
    const declaredAt = new Date('2026-03-01T00:00:00Z');
    await h.db.insert(incidents).values(
      Array.from({ length: 200 }, (_, i) => ({
        idempotencyKey: `bulk:${i}`,
        teamId: TEAM_ID,
        title: `Bulk incident ${i}`,
        severity: 'sev4' as const,
        category: 'other',
        declaredBy: 'U0DECL001',
        declaredAt,
      })),
    );
    const first = (await h.command('list')).json as { text: string; blocks: Array<{ type: string }> };
    expect(first.text).toContain('Showing 1–45 of 200 open incidents');
    expect(first.text).toContain('155 more: `/incident list 2` shows the next 45.');
    expect(first.blocks.filter((b) => b.type === 'section')).toHaveLength(46);

    const last = (await h.command('list 5')).json as { text: string };
    expect(last.text).toContain('Showing 181–200 of 200 open incidents');
    expect(last.text).not.toContain('more:');
    await h.db.update(incidents).set({ status: 'closed' }).where(sql`${incidents.idempotencyKey} like 'bulk:%'`);
  });
});

describe('database failures in the log', () => {
  it('when a statement fails during a declaration, then the log names the statement and holds neither the title nor the summary', async () => {
    const sentinel = 'SENTINEL-CSAM-7731';
    await h.db.execute(sql.raw(`alter table incidents add constraint edge_probe check (title not like '%${sentinel}%')`));
    try {
      const from = logged.length;
      const { reply } = await declare(`Child safety ${sentinel}`, { summary: `Summary ${sentinel}` });
      expect(reply.json).toMatchObject({ response_action: 'errors' });
      const line = await eventually(() => logged.slice(from).find((l) => l.msg === 'request failed'), 'the failure to be logged');
      expect(line.raw).toContain('edge_probe');
      expect(line.raw).toContain('insert into \\"incidents\\"');
      expect(logText(from)).not.toContain(sentinel);
    } finally {
      await h.db.execute(sql`alter table incidents drop constraint edge_probe`);
    }
  });
});

describe('text people type, at the edge', () => {
  it('when a declared title holds a NUL, then the modal shows an inline error on the title and nothing is stored', async () => {
    const { id, reply } = await declare('Grooming ring\u0000 in DMs');
    expect(reply.json).toEqual({ response_action: 'errors', errors: { title: expect.stringContaining('control character') } });
    expect(await storedWithViewId(id)).toHaveLength(0);
  });

  it('when a title holds a right-to-left override, then it is stored without it', async () => {
    const { id } = await declare('Invoice\u202Egnp.exe scam wave');
    const [row] = await eventually(async () => {
      const rows = await storedWithViewId(id);
      return rows.length ? rows : undefined;
    }, 'the incident to be stored');
    expect(row?.title).toBe('Invoicegnp.exe scam wave');
  });

  it('when /incident declare A & B is typed (Slack sends it as A &amp; B), then the form is prefilled with "A & B"', async () => {
    // The harness escapes what is typed as Slack does.
    await h.command('declare Drugs & weapons <b>');
    const open = await h.fake.waitForCall('views.open');
    const view = open.args.view as { blocks: Array<{ block_id: string; element: Record<string, unknown> }> };
    expect(view.blocks.find((b) => b.block_id === 'title')?.element.initial_value).toBe('Drugs & weapons <b>');
  });

  it('when a note holds &amp;, then it is stored as typed and the timeline shows it escaped once', async () => {
    const incident = await declared('Entity escaping check');
    const channelId = incident.channelId!;
    await h.command('note Drugs & weapons <b>', { channelId });
    await eventually(async () => {
      const rows = await h.db
        .select()
        .from(timelineEntries)
        .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'note')));
      return rows.find((r) => r.text === 'Drugs & weapons <b>');
    }, 'the note, decoded');
    const reply = (await h.command('timeline', { channelId })).json as { blocks: Array<{ text?: { text: string } }> };
    const all = reply.blocks.map((b) => b.text?.text ?? '').join('\n');
    expect(all).toContain('Drugs &amp; weapons &lt;b&gt;');
    expect(all).not.toContain('&amp;amp;');
  });
});

describe('ids and requests that are not ours', () => {
  it("when a button carries the value not-a-uuid' or 1=1--, then a calm answer and no error is logged", async () => {
    const from = logged.length;
    const value = "not-a-uuid' or 1=1--";
    expect((await h.clickButton({ actionId: 'page_ack', value, channelId: 'C0GENERAL1' })).status).toBe(200);
    expect((await h.clickButton({ actionId: 'card_severity', value, channelId: 'C0GENERAL1' })).status).toBe(200);
    await told('U0DECL001', 'That incident is not available to you.');
    await eventually(() => logged.slice(from).filter((l) => l.msg === 'user error').length === 2, 'both refusals to be logged');
    // A later request's answer, so anything the two clicks logged after their replies is in by now.
    await h.clickButton({ actionId: 'retired_button', value: 'sentinel', channelId: 'C0GENERAL1' });
    await eventually(() => logged.slice(from).some((l) => l.msg.startsWith('no listener for this request')), 'the later request');
    expect(errorsSince(from)).toEqual([]);
  });

  it('when a request is stamped 10 minutes in the future, then 401 and nothing is done', async () => {
    const id = nextViewId();
    const body = viewSubmissionBody({
      userId: 'U0DECL001',
      view: { id, callback_id: 'declare_incident', state: declareState({ title: 'From the future', severity: 'sev1', category: 'other' }) },
    });
    const answer = await sendToSlackEndpoint(h.eventsUrl, body, { secret: SIGNING_SECRET, timestamp: Math.floor(Date.now() / 1000) + 600 });
    expect(answer.status).toBe(401);
    // The same request stamped now is served, so the refusal was the timestamp's.
    const { id: later } = await declare('Stamped now');
    await eventually(async () => (await storedWithViewId(later)).length === 1, 'the request stamped now to be served');
    expect(await storedWithViewId(id)).toHaveLength(0);
    expect(h.fake.calls.filter((c) => c.method === 'views.open' || String(c.args.text ?? '').includes('From the future'))).toHaveLength(0);
  });

  it('when a button no listener knows is clicked, then it is acked at once with a calm answer and no error is logged', async () => {
    const from = logged.length;
    const started = Date.now();
    const reply = await h.clickButton({ actionId: 'retired_button', value: 'x', channelId: 'C0GENERAL1' });
    expect(reply.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    await told('U0DECL001', 'no longer in use');
    expect(errorsSince(from)).toEqual([]);
  });
});
