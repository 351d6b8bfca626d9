import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents } from '../../src/db/schema/index.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { addStepUsers, declare, dmsTo, durabilityConfig, STEP_USERS } from '../durability/support.js';

/** GET /metrics after a SEV1 is declared, paged and acknowledged: what an operator scrapes. */
let h: Harness;

beforeAll(async () => {
  h = await startHarness(import.meta.url, { meridian: durabilityConfig({ firstWaitMinutes: 5 }) });
  addStepUsers(h);
});
afterAll(async () => {
  await h?.close();
});

const scrape = async () => (await fetch(`http://127.0.0.1:${h.runtime.port}/metrics`)).text();
/** The value of one series: `labels` like `{a="1",b="2"}`, in any order; undefined when absent. */
const series = (text: string, name: string, labels = '') => {
  const wanted = labels
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean);
  const line = text.split('\n').find((l) => {
    const m = /^([^{ ]+)(?:\{(.*)\})? /.exec(l);
    if (!m || m[1] !== name) return false;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    return have.length === wanted.length && wanted.every((w) => have.includes(w));
  });
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe('/metrics', () => {
  it('when a SEV1 is declared and its page acknowledged, then incidents, pages, acknowledgements, lateness, pending actions, Slack calls and queue depths are all there', async () => {
    const incident = await declare(h, 'Metrics after an acknowledged page');
    const dm = await eventually(() => dmsTo(h, STEP_USERS[0], incident)[0], 'the first page');
    const blocks = dm.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
    const pageId = blocks.find((b) => b.type === 'actions')!.elements!.find((e) => e.action_id === 'page_ack')!.value;
    const reply = await h.clickButton({ actionId: 'page_ack', value: pageId, userId: STEP_USERS[0] });
    expect(reply.status).toBe(200);
    const text = await eventually(async () => {
      const t = await scrape();
      return series(t, 'meridian_pages_acknowledged_total') === 1 ? t : undefined;
    }, 'the acknowledgement to be counted');

    expect(series(text, 'meridian_incidents_declared', '{severity="sev1",category="harmful-trend"}')).toBe(1);
    expect(series(text, 'meridian_pages', '{status="acknowledged"}')).toBe(1);
    expect(series(text, 'meridian_time_to_acknowledge_seconds_count')).toBe(1);
    expect(series(text, 'meridian_escalation_lateness_seconds_count')).toBeGreaterThanOrEqual(1);
    // The status-update reminder is still pending; nothing is overdue.
    expect(series(text, 'meridian_scheduled_actions_pending')).toBeGreaterThanOrEqual(1);
    expect(series(text, 'meridian_scheduled_actions_overdue')).toBe(0);
    expect(series(text, 'meridian_slack_calls_total', '{method="chat.postMessage",result="ok"}')).toBeGreaterThanOrEqual(2);
    expect(series(text, 'meridian_queue_jobs', '{state="delayed"}')).toBeGreaterThanOrEqual(1);
    for (const state of ['waiting', 'active', 'failed'])
      expect(series(text, 'meridian_queue_jobs', `{state="${state}"}`), state).toBeDefined();
  });

  it('when a SEV1 is lowered to SEV2, then it still counts as declared SEV1 (and peak SEV1): no "declared by severity" series goes down', async () => {
    const before = await scrape();
    const incident = await declare(h, 'Metrics after a lowered severity');
    const declared = await eventually(async () => {
      const t = await scrape();
      const sev1 = series(t, 'meridian_incidents_declared', '{severity="sev1",category="harmful-trend"}') ?? 0;
      return sev1 > (series(before, 'meridian_incidents_declared', '{severity="sev1",category="harmful-trend"}') ?? 0) ? t : undefined;
    }, 'the declaration to be counted');
    const sev1 = series(declared, 'meridian_incidents_declared', '{severity="sev1",category="harmful-trend"}');
    const sev2 = series(declared, 'meridian_incidents_declared', '{severity="sev2",category="harmful-trend"}');

    const reply = await h.submitView({
      id: 'V0METRICSSEV',
      callback_id: 'incident_severity',
      private_metadata: JSON.stringify({ incidentId: incident.id }),
      state: {
        values: { severity: { value: { selected_option: { value: 'sev2' } } }, reason: { value: { value: 'Contained to one region' } } },
      },
    });
    expect(reply.status).toBe(200);
    await eventually(
      async () => (await h.db.select().from(incidents).where(eq(incidents.id, incident.id)))[0]?.severity === 'sev2',
      'the severity to be lowered',
    );

    const after = await scrape();
    expect(series(after, 'meridian_incidents_declared', '{severity="sev1",category="harmful-trend"}')).toBe(sev1);
    expect(series(after, 'meridian_incidents_declared', '{severity="sev2",category="harmful-trend"}')).toBe(sev2);
    expect(series(after, 'meridian_incidents_peak_severity', '{severity="sev1",category="harmful-trend"}')).toBe(sev1);
  });

  it('when Slack answers 429, then the call is counted as ratelimited', async () => {
    h.fake.fail('chat.postMessage', { kind: 'ratelimited', retryAfterSeconds: 1 });
    await declare(h, 'Metrics with a rate-limited call');
    await eventually(
      async () => (series(await scrape(), 'meridian_slack_calls_total', '{method="chat.postMessage",result="ratelimited"}') ?? 0) >= 1,
      'the 429 to be counted',
    );
  });

  it('when Slack delivers the same submission twice, then the repeat is refused and counted as deduplicated', async () => {
    const before = series(await scrape(), 'meridian_slack_deliveries_deduplicated_total', '{kind="view"}') ?? 0;
    const incident = await declare(h, 'Metrics for a repeated update');
    const view = {
      id: 'V0METRICDUP1',
      callback_id: 'incident_update',
      private_metadata: JSON.stringify({ incidentId: incident.id }),
      state: {
        values: {
          status: { value: { selected_option: { value: 'mitigated' } } },
          known: { value: { value: 'Accounts found' } },
          doing: { value: { value: 'Removing' } },
          next_update: { value: { selected_date_time: null } },
        },
      },
    };
    await h.submitView(view, { userId: 'U0DECL001' });
    await h.submitView(view, { userId: 'U0DECL001' });
    await eventually(
      async () => (series(await scrape(), 'meridian_slack_deliveries_deduplicated_total', '{kind="view"}') ?? 0) === before + 1,
      'the repeat to be counted',
    );
  });
});
