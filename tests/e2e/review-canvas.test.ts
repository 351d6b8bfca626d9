/**
 * Issue 22 item 3: reviews by kind of incident, written as a canvas in the incident channel, with
 * the category's template sections, the facts filled in, an owner, a due date, reminders and a status.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { auditLog, incidentReviews, incidents, scheduledActions } from '../../src/db/schema/index.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';

const CONFIG = `
admins: [U0ADMIN001]
deadlines:
  - id: hour-order
    name: "Hour from receipt order"
    within_minutes: 60
    remind_before_minutes: [30]
    source: "Test Regulation, Art. 3(3)"
categories:
  - { id: regulator-request, name: "Regulator request", default_severity: sev3, deadline: hour-order }
  - { id: child-safety, name: "Child safety", default_severity: sev1, private: true, sensitive: true }
reviews:
  due_working_days: 5
  templates:
    - category: regulator-request
      sections: ["What the order asked", "Each deadline: met or missed, and why", "What we gave effect to, where", "Follow-ups"]
    - category: child-safety
      sections: ["Policy gap", "Enforcement gap", "Reporting and preservation", "Responders' exposure", "Follow-ups"]
      owner: U0LEGAL01
`;

let h: Harness;
let seq = 0;
type Row = typeof incidents.$inferSelect;

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, { meridian: parsed.config });
  h.fake.addUser({ id: 'U0ADMIN001', name: 'ada', tz: 'Europe/Dublin' });
});
afterAll(async () => {
  await h?.close();
});

async function declare(fields: Parameters<typeof declareState>[0]): Promise<Row> {
  seq += 1;
  await h.submitView({
    id: `V0RVW${String(seq).padStart(5, '0')}`,
    callback_id: 'declare_incident',
    private_metadata: JSON.stringify({ originChannelId: 'C0GENERAL1' }),
    state: declareState(fields),
  });
  return eventually(
    async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, fields.title!));
      return row?.cardTs ? row : undefined;
    },
    `the set-up of "${fields.title}"`,
    15_000,
  );
}

const canvasIn = (channelId: string) => eventually(() => h.fake.canvases().find((c) => c.channelId === channelId), 'the review canvas');
const toldDecl = (pattern: string) =>
  eventually(
    () =>
      h.fake
        .callsTo('response_url')
        .map((c) => String(c.args.text))
        .find((t) => t.includes(pattern)),
    `a reply with "${pattern}"`,
  );

describe('reviews by kind of incident', () => {
  it("when a regulator order's review is written, then its canvas has the regulator template's sections with the clock filled in; a child-safety one has its own", async () => {
    const order = await declare({ title: 'Removal order for two accounts', severity: 'sev3', category: 'regulator-request' });
    await h.command('responded removed both accounts', { channelId: order.channelId! });
    // The response's line is in the channel (the record), not sent again to the person privately.
    await eventually(
      () => h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === order.channelId && String(c.args.text).includes('Responded')),
      'the response in the channel',
    );
    await h.command('review', { channelId: order.channelId! });
    const canvas = await canvasIn(order.channelId!);
    expect(canvas.title).toBe(`INC-${order.number} post-incident review`);
    const md = canvas.markdown;
    const headings = md.split('\n').filter((l) => l.startsWith('## '));
    expect(headings.slice(1, 5)).toEqual([
      '## What the order asked',
      '## Each deadline: met or missed, and why',
      '## What we gave effect to, where',
      '## Follow-ups',
    ]);
    const deadlineSection = md.split('## Each deadline: met or missed, and why')[1]!.split('\n## ')[0]!;
    expect(deadlineSection).toContain('Hour from receipt order');
    expect(deadlineSection).toContain('Test Regulation, Art. 3(3)');
    expect(deadlineSection).toMatch(/met, \d+ min \d+ s to spare|met, \d+ min to spare/);
    expect(md).toContain('| Review owner | Dana Declarer |');
    expect(md).toContain('| Review status | Draft |');
    expect(md).toContain('| Review due | once resolved |');
    // Kept in the record: the same Markdown (written once Slack has the canvas).
    await toldDecl(`Wrote the post-incident review draft of INC-${order.number}`);
    const [row] = await h.db.select().from(incidentReviews).where(eq(incidentReviews.incidentId, order.id));
    expect(row).toMatchObject({ canvasId: canvas.id, markdown: md, status: 'draft', template: 'regulator-request' });

    const child = await declare({ title: 'Grooming ring on live streams', severity: 'sev1', category: 'child-safety' });
    await h.command('review', { channelId: child.channelId! });
    const childMd = (await canvasIn(child.channelId!)).markdown;
    for (const s of ['Policy gap', 'Enforcement gap', 'Reporting and preservation', "Responders' exposure"])
      expect(childMd).toContain(`## ${s}`);
    expect(childMd).not.toContain('What the order asked');
    expect(childMd).toContain('| Review owner | Lee Legal |');
  });

  it('when the review status changes, then the canvas is edited in place; a wrong status or a stranger is refused, audited, and nothing changes', async () => {
    const order = await declare({ title: 'Second removal order', severity: 'sev3', category: 'regulator-request' });
    await h.command('review', { channelId: order.channelId! });
    const canvas = await canvasIn(order.channelId!);
    await h.command('review status in review', { channelId: order.channelId! });
    await toldDecl('is now in review');
    expect(canvas.edits).toBe(1);
    expect(canvas.markdown).toContain('| Review status | In review |');
    expect(h.fake.canvases().filter((c) => c.channelId === order.channelId)).toHaveLength(1);

    await h.command('review status finished', { channelId: order.channelId! });
    await toldDecl('`finished` is not a review status');
    await h.command('review status published', { channelId: order.channelId!, userId: 'U0RESP002' });
    await eventually(
      () =>
        h.fake.callsTo('response_url').find((c) => c.args.user === 'U0RESP002' && String(c.args.text).includes('Only the review owner')),
      'the refusal',
    );
    const [row] = await h.db.select().from(incidentReviews).where(eq(incidentReviews.incidentId, order.id));
    expect(row!.status).toBe('in-review');
    const refused = (await h.db.select().from(auditLog).where(eq(auditLog.incidentId, order.id))).filter(
      (a) => a.action === 'review.status' && a.outcome === 'refused',
    );
    expect(refused.map((a) => a.details.reason).sort()).toEqual(['invalid_input', 'not_allowed']);
  });

  it("when an incident is resolved, then its review is due five working days later in the owner's zone, and the owner is reminded the day before, not once it is published", async () => {
    const order = await declare({ title: 'Third removal order', severity: 'sev3', category: 'regulator-request' });
    seq += 1;
    await h.submitView({
      id: `V0RVW${String(seq).padStart(5, '0')}`,
      callback_id: 'incident_resolve',
      private_metadata: JSON.stringify({ incidentId: order.id }),
      state: {
        values: {
          resolution: { value: { value: 'Both accounts removed' } },
          mitigation: { value: { value: 'Geo-blocked first' } },
          follow_ups: { value: { value: '- Confirm to the authority' } },
        },
      },
    });
    const review = await eventually(async () => {
      const [row] = await h.db.select().from(incidentReviews).where(eq(incidentReviews.incidentId, order.id));
      return row?.dueAt && row.canvasId ? row : undefined;
    }, 'the review written at resolution');
    const [resolved] = await h.db.select().from(incidents).where(eq(incidents.id, order.id));
    const days = (review.dueAt!.getTime() - resolved!.resolvedAt!.getTime()) / 86_400_000;
    // Five working days: seven calendar days (a weekend between), give or take the Dublin hour.
    expect(days).toBeGreaterThanOrEqual(7 - 1 / 24);
    expect(days).toBeLessThanOrEqual(7 + 1 / 24);
    // The line became a tracked follow-up (number, owner, due date), and the canvas says so.
    const canvas = await eventually(
      () =>
        h.fake
          .canvases()
          .find((c) => c.id === review.canvasId && /- \[ \] FU-\d+ Confirm to the authority \(due .*\) \(owner: /.test(c.markdown)),
      'the canvas to list the tracked follow-up with its owner',
    );
    expect(canvas.markdown).not.toContain('_to assign_');

    const reminders = () =>
      h.fake
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === 'U0DECL001' && String(c.args.text).includes(`review of *INC-${order.number}*`));
    await h.advance(review.dueAt!.getTime() - Date.now() - 23 * 3_600_000);
    await h.idle();
    expect(reminders()).toHaveLength(1);
    expect(String(reminders()[0]!.args.text)).toContain('is due');
    await h.command('review status published', { channelId: order.channelId! });
    await toldDecl('is now published');
    await h.advance(24 * 3_600_000);
    await h.idle();
    expect(reminders()).toHaveLength(1);
  });

  it('when Slack refuses the canvas for a missing scope, then the asker is told it is kept, and once Slack allows it the canvas is written and the channel told, by a retried action', async () => {
    const order = await declare({ title: 'Fourth removal order', severity: 'sev3', category: 'regulator-request' });
    // Refused for the request and for the action's first run: the action is retried until Slack allows it.
    h.fake.fail('canvases.create', { kind: 'error', error: 'missing_scope' }, { times: 2 });
    await h.command('review', { channelId: order.channelId! });
    await toldDecl('Slack refused the review canvas');
    // Kept in the record meanwhile.
    const [kept] = await h.db.select().from(incidentReviews).where(eq(incidentReviews.incidentId, order.id));
    expect(kept!.markdown).toContain('## What the order asked');
    const canvas = await canvasIn(order.channelId!);
    expect(canvas.markdown).toContain('## What the order asked');
    await h.idle();
    const told = h.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === order.channelId && JSON.stringify(c.args).includes("is in this channel's canvas"));
    expect(told).toHaveLength(1);
    const failed = (await h.db.select().from(auditLog).where(eq(auditLog.incidentId, order.id))).filter(
      (a) => a.action === 'review.canvas' && a.outcome === 'failed',
    );
    // Each refusal audited: the request's and the action's first run.
    expect(failed).toHaveLength(2);
    expect(h.fake.canvases().filter((c) => c.channelId === order.channelId)).toHaveLength(1);
    const [action] = await h.db.select().from(scheduledActions).where(eq(scheduledActions.kind, 'review-canvas'));
    expect(action).toMatchObject({ status: 'done', incidentId: order.id });
    expect(action!.attempts).toBeGreaterThanOrEqual(1);
    expect(action!.lastError).toContain('MissingScope');
  });

  it("when a follow-up is added from the review's message, then the form opens for that incident and the canvas lists it at once", async () => {
    const order = await declare({ title: 'Fifth removal order', severity: 'sev3', category: 'regulator-request' });
    await h.command('review', { channelId: order.channelId! });
    const canvas = await canvasIn(order.channelId!);
    const message = await eventually(
      () =>
        h.fake
          .callsTo('chat.postMessage')
          .find((c) => c.args.channel === order.channelId && JSON.stringify(c.args).includes("is in this channel's canvas")),
      "the review's message",
    );
    expect(JSON.stringify(message.args.blocks)).toContain('Add follow-up');
    await h.clickButton({ actionId: 'card_follow_up', value: order.id, channelId: order.channelId! });
    const form = await eventually(
      () => h.fake.callsTo('views.open').find((c) => JSON.stringify(c.args.view).includes('Fifth removal order')),
      'the follow-up form',
    );
    expect(JSON.stringify(form.args.view)).toContain('"callback_id":"follow_up_create"');
    seq += 1;
    await h.submitView({
      id: `V0RVW${String(seq).padStart(5, '0')}`,
      callback_id: 'follow_up_create',
      private_metadata: JSON.stringify({ incidentId: order.id }),
      state: {
        values: {
          title: { value: { type: 'plain_text_input', value: 'Confirm removal to the authority in writing' } },
          owner: { value: { type: 'users_select', selected_user: 'U0DECL001' } },
          due: { value: { type: 'datepicker', selected_date: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10) } },
        },
      },
    });
    await eventually(() => canvas.markdown.includes('Confirm removal to the authority in writing'), 'the canvas to list the follow-up');
    expect(h.fake.canvases().filter((c) => c.channelId === order.channelId)).toHaveLength(1);
  });
});
