import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { defaultMeridianConfig, parseMeridianConfig } from '../../src/config-file/load.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import { auditLog, escalations, incidentRoles, incidents, pages, timelineEntries } from '../../src/db/schema/index.js';
import type { NamedEscalationPolicy } from '../../src/domain/response-policy.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { waitForPrivateReply } from '../support/replies.js';

const TOKEN = 'review-token-0123456789abcdef';
const at = (iso: string) => new Date(iso);

/** The example's follow-the-sun schedule (APAC, EMEA, AMER, and a weekend layer in Dublin), without paging. */
function hubsOnlyConfig(): MeridianConfig {
  const parsed = parseMeridianConfig(readFileSync('config/meridian.example.yaml', 'utf8'), 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return { ...defaultMeridianConfig(), schedules: parsed.config.schedules };
}

let h: Harness;
let viewSeq = 0;

beforeAll(async () => {
  h = await startHarness(import.meta.url, { meridian: hubsOnlyConfig(), env: { REVIEW_API_TOKEN: TOKEN } });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.fake.reset();
});

type Incident = typeof incidents.$inferSelect;

/** Declares through the modal and waits until the channel is set up. */
async function declare(fields: Parameters<typeof declareState>[0], userId = 'U0DECL001'): Promise<Incident & { channelId: string }> {
  viewSeq += 1;
  await h.submitView(
    {
      id: `V0REVW${String(viewSeq).padStart(4, '0')}`,
      callback_id: 'declare_incident',
      private_metadata: JSON.stringify({ originChannelId: 'C0GENERAL1' }),
      state: declareState(fields),
    },
    { userId },
  );
  return eventually(
    async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, fields.title!));
      return row?.declarerToldAt && row.channelId ? { ...row, channelId: row.channelId } : undefined;
    },
    `the set-up of "${fields.title}"`,
    15_000,
  );
}

/**
 * A SEV1 declared Monday 2 March 2026 08:00 UTC (16:00 in Singapore, 08:00 in Dublin, 00:00 in
 * Los Angeles), acknowledged 3 min 12 s later, mitigated at 08:54, resolved at 10:50.
 */
async function scriptResolvedIncident(incident: Incident): Promise<void> {
  await h.db
    .update(incidents)
    .set({
      declaredAt: at('2026-03-02T08:00:00Z'),
      acknowledgedAt: at('2026-03-02T08:03:12Z'),
      mitigatedAt: at('2026-03-02T08:54:00Z'),
      resolvedAt: at('2026-03-02T10:50:00Z'),
      status: 'resolved',
      mitigation: 'Blocked the hashtag and its search suggestions.',
      resolutionSummary: 'Classifier retrained; reports back to baseline.',
      followUps: ['Retrain the classifier on the new variants', 'Add the hashtag family to the blocklist playbook'],
    })
    .where(eq(incidents.id, incident.id));
  await h.db.delete(timelineEntries).where(eq(timelineEntries.incidentId, incident.id));
  await h.db.insert(timelineEntries).values([
    { incidentId: incident.id, at: at('2026-03-02T08:00:00Z'), kind: 'declared', actorId: 'U0DECL001', text: 'Incident declared' },
    { incidentId: incident.id, at: at('2026-03-02T08:03:12Z'), kind: 'acknowledged', actorId: 'U0RESP001', text: 'Page acknowledged' },
    { incidentId: incident.id, at: at('2026-03-02T08:54:00Z'), kind: 'note', actorId: 'U0RESP002', text: 'Hashtag blocked' },
    // Captured from a pinned message: Slack's own markup.
    {
      incidentId: incident.id,
      at: at('2026-03-02T10:40:00Z'),
      kind: 'pinned',
      actorId: null,
      text: '<@U0LEGAL01> says reports are &lt; baseline',
      messageTs: '1772448000.000100',
    },
  ]);
  // Declaring may already have recorded the declarer as commander; the script replaces all roles.
  await h.db.delete(incidentRoles).where(eq(incidentRoles.incidentId, incident.id));
  await h.db.insert(incidentRoles).values([
    { incidentId: incident.id, role: 'commander', userId: 'U0RESP001', assignedBy: 'U0DECL001', assignedAt: at('2026-03-02T08:05:00Z') },
    {
      incidentId: incident.id,
      role: 'liaison_legal',
      userId: 'U0LEGAL01',
      assignedBy: 'U0RESP001',
      assignedAt: at('2026-03-02T08:10:00Z'),
    },
  ]);
}

async function reviewCanvas(channelId: string) {
  const canvas = await eventually(() => h.fake.canvases().find((c) => c.channelId === channelId), 'the review canvas');
  return { canvas, content: canvas.markdown };
}

/** The ephemeral reply to `userId` that starts with `start` (replies of earlier tests may still land). */
async function replyTo(userId: string, start: string): Promise<string> {
  const call = await waitForPrivateReply(h.fake, (c) => c.args.user === userId && String(c.args.text).startsWith(start));
  return String(call.args.text);
}

function getReview(ref: string, authorization?: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${h.runtime.port}/reviews/${ref}`, { headers: authorization === undefined ? {} : { authorization } });
}

describe('posting a post-incident review from the incident channel', () => {
  let incident: Incident & { channelId: string };
  let posted: string;

  beforeAll(async () => {
    incident = await declare({
      title: 'Blackout challenge trending in SEA',
      severity: 'sev1',
      category: 'harmful-trend',
      summary: 'A challenge video is spreading in ID and MY.',
    });
    await scriptResolvedIncident(incident);
  });

  it("when /incident review is typed in the channel, then the review is written in the channel's canvas with the whole record, no file is uploaded, and the channel is told with a way to add follow-ups", async () => {
    const files = h.fake.files().length;
    await h.command('review', { channelId: incident.channelId, userId: 'U0DECL001' });
    const { canvas, content } = await reviewCanvas(incident.channelId);
    posted = content;
    // Told where it went (the record is written before the reply).
    expect(await replyTo('U0DECL001', 'Wrote')).toBe(
      `Wrote the post-incident review draft of INC-${incident.number} in the canvas of <#${incident.channelId}>.`,
    );
    expect(canvas.title).toBe(`INC-${incident.number} post-incident review`);
    expect(h.fake.files()).toHaveLength(files);
    const told = await eventually(
      () =>
        h.fake
          .callsTo('chat.postMessage')
          .find((c) => c.args.channel === incident.channelId && JSON.stringify(c.args).includes("is in this channel's canvas")),
      'the channel to be told',
    );
    expect(JSON.stringify(told.args.blocks)).toContain('<@U0DECL001>');
    expect(JSON.stringify(told.args.blocks)).toContain('"action_id":"card_follow_up"');
    expect(JSON.stringify(told.args.blocks)).toContain(incident.id);

    expect(content).toContain(`# INC-${incident.number}: Blackout challenge trending in SEA\n`);
    expect(content).toContain('| Severity | SEV1 Critical |');
    expect(content).toContain('| Category | Harmful trend or challenge |');
    expect(content).toContain('A challenge video is spreading in ID and MY.');
    // Hubs: one column per zone of the schedule's layers; the weekend layer shares Dublin's.
    const columns = '| UTC | APAC (Asia/Singapore) | EMEA (Europe/Dublin) | AMER (America/Los_Angeles) |';
    expect(content).toContain(`${columns} Event |`);
    expect(content).not.toContain('Weekend');
    expect(content).toContain(
      '| 2026-03-02 08:00 | 2026-03-02 16:00 | 2026-03-02 08:00 | 2026-03-02 00:00 | Incident declared (Dana Declarer) |',
    );
    expect(content).toContain(
      '| 2026-03-02 08:03 | 2026-03-02 16:03 | 2026-03-02 08:03 | 2026-03-02 00:03 | Page acknowledged (Rui Responder) |',
    );
    expect(content).toContain(
      '| 2026-03-02 08:54 | 2026-03-02 16:54 | 2026-03-02 08:54 | 2026-03-02 00:54 | Hashtag blocked (Sia Responder) |',
    );
    expect(content).toContain(
      '| 2026-03-02 10:40 | 2026-03-02 18:40 | 2026-03-02 10:40 | 2026-03-02 02:40 | @Lee Legal says reports are \\< baseline |',
    );
    expect(content).toContain('| Resolved | 2026-03-02 10:50 | 2026-03-02 18:50 | 2026-03-02 10:50 | 2026-03-02 02:50 |');

    expect(content).toContain('- Time to acknowledge: 3 min 12 s');
    expect(content).toContain('- Time to mitigate: 54 min');
    expect(content).toContain('- Time to resolve: 2 h 50 min');
    expect(content).toContain('- **Commander:** Rui Responder');
    expect(content).toContain('- **Legal liaison:** Lee Legal');
    expect(content).toContain('- [ ] Retrain the classifier on the new variants (owner: _to assign_)');
    expect(content).toContain('- [ ] Add the hashtag family to the blocklist playbook (owner: _to assign_)');
    expect(content).toContain('Blocked the hashtag and its search suggestions.');
    expect(content).toContain('Classifier retrained; reports back to baseline.');
    expect(content).toContain('## Contributing factors');
  });

  it('when the review was posted, then the timeline and audit log record it once', async () => {
    const entries = await h.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'review_posted')));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: 'U0DECL001' });
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.incidentId, incident.id), eq(auditLog.action, 'review.post')));
    expect(audit).toMatchObject([{ actorId: 'U0DECL001', outcome: 'ok' }]);
  });

  it('when GET /reviews/INC-<n> carries the token, then it answers 200 with the same Markdown as the canvas', async () => {
    const res = await getReview(`INC-${incident.number}`, `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(await res.text()).toBe(posted);
  });

  it('when GET /reviews has a wrong or no token, then 401; for an unknown incident, 404', async () => {
    expect((await getReview(`INC-${incident.number}`, 'Bearer not-the-right-token-at-all')).status).toBe(401);
    expect((await getReview(`INC-${incident.number}`)).status).toBe(401);
    const unknown = await getReview('INC-987654', `Bearer ${TOKEN}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).not.toContain('Blackout');
  });
});

describe('where /incident review may be used', () => {
  it('when /incident review is typed outside an incident channel, then the caller gets an error and nothing is written', async () => {
    const before = h.fake.canvases().length;
    await h.command('review', { channelId: 'C0GENERAL1', userId: 'U0DECL001' });
    expect(await replyTo('U0DECL001', ':warning:')).toContain('Use `/incident review` in an incident channel');
    expect(h.fake.canvases()).toHaveLength(before);
  });

  it('when someone outside a private incident asks for its review, then it is refused, audited and nothing leaks', async () => {
    const incident = await declare({ title: 'Grooming ring on live streams', severity: 'sev1', category: 'child-safety', private: true });
    const before = h.fake.canvases().length;
    await h.command('review', { channelId: incident.channelId, userId: 'U0RESP002' });
    const reply = await replyTo('U0RESP002', ':warning:');
    expect(reply).toBe(':warning: That incident is not available to you.');
    expect(h.fake.canvases()).toHaveLength(before);
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.incidentId, incident.id), eq(auditLog.action, 'incident.access')));
    expect(audit).toMatchObject([{ actorId: 'U0RESP002', outcome: 'refused' }]);

    await h.command('review', { channelId: incident.channelId, userId: 'U0DECL001' });
    const { content } = await reviewCanvas(incident.channelId);
    expect(content).toContain('**Private incident.**');
    await replyTo('U0DECL001', 'Wrote');
  });
});

describe('when Slack refuses the canvas', () => {
  it('when the bot is no longer in the incident channel, then the caller is told so and nothing is recorded as posted', async () => {
    const incident = await declare({ title: 'Fake charity scam accounts', severity: 'sev3', category: 'account-search-safety' });
    h.fake.fail('canvases.create', { kind: 'error', error: 'not_in_channel' }, { times: 1 });
    await h.command('review', { channelId: incident.channelId, userId: 'U0DECL001' });
    expect(await replyTo('U0DECL001', ':warning:')).toContain(
      `I could not post the review of INC-${incident.number}: I am no longer in its channel`,
    );
    const posted = await h.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'review_posted')));
    expect(posted).toEqual([]);
    expect(h.fake.canvases().filter((c) => c.channelId === incident.channelId)).toEqual([]);
  });
});

describe('time to acknowledge', () => {
  it('when the incident has no acknowledgement stamp, then the first acknowledged page gives the time to acknowledge', async () => {
    const incident = await declare({ title: 'Regulator takedown order for DE', severity: 'sev2', category: 'regulator-request' });
    const declaredAt = at('2026-03-03T09:00:00Z');
    await h.db.update(incidents).set({ declaredAt, acknowledgedAt: null }).where(eq(incidents.id, incident.id));
    const [escalation] = await h.db
      .insert(escalations)
      .values({
        incidentId: incident.id,
        policyId: 'urgent',
        policy: {} as NamedEscalationPolicy,
        status: 'acknowledged',
        startedAt: declaredAt,
      })
      .returning();
    await h.db.insert(pages).values([
      {
        incidentId: incident.id,
        escalationId: escalation!.id,
        stepNumber: 0,
        userId: 'U0RESP001',
        reason: { kind: 'user' },
        pagedAt: declaredAt,
        status: 'acknowledged',
        acknowledgedAt: at('2026-03-03T09:07:30Z'),
      },
      {
        incidentId: incident.id,
        escalationId: escalation!.id,
        stepNumber: 1,
        userId: 'U0RESP002',
        reason: { kind: 'user' },
        pagedAt: declaredAt,
        status: 'acknowledged',
        acknowledgedAt: at('2026-03-03T09:12:00Z'),
      },
    ]);
    const res = await getReview(`INC-${incident.number}`, `Bearer ${TOKEN}`);
    const body = await res.text();
    expect(body).toContain('- Time to acknowledge: 7 min 30 s');
    expect(body).toContain('- Time to resolve: not resolved yet');
  });
});
