/**
 * Plays a T&S incident end to end against the fake Slack, with the shipped example config, and
 * prints what Slack was asked to show, so the messages can be read as a responder would:
 *   npx tsx tests/tools/walkthrough.ts
 */
import { loadMeridianConfig } from '../../src/config-file/load.js';
import { ensureTestInfrastructure } from '../support/infra.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';

type Call = Harness['fake']['calls'][number];

function show(call: Call): void {
  const a = call.args as Record<string, unknown>;
  const where = [a.channel && `channel=${String(a.channel)}`, a.user && `user=${String(a.user)}`].filter(Boolean).join(' ');
  process.stdout.write(`\n--- ${call.method} ${where}${call.status !== 200 ? ` (HTTP ${call.status})` : ''}\n`);
  for (const key of ['name', 'topic', 'text', 'filename']) if (a[key]) process.stdout.write(`${key}: ${String(a[key])}\n`);
  const blocks = (a.blocks ?? (a.view as { blocks?: unknown })?.blocks) as Array<Record<string, unknown>> | undefined;
  for (const b of blocks ?? []) {
    const t = (b.text as { text?: string })?.text;
    const fields = (b.fields as Array<{ text: string }> | undefined)?.map((f) => f.text.replace('\n', ': ')).join(' | ');
    const els = (b.elements as Array<{ text?: string | { text: string } }> | undefined)
      ?.map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? '')))
      .join(' · ');
    process.stdout.write(`  [${String(b.type)}${b.block_id ? ` ${String(b.block_id)}` : ''}] ${t ?? fields ?? els ?? ''}\n`);
  }
}

async function main(): Promise<void> {
  await ensureTestInfrastructure();
  const loaded = await loadMeridianConfig('config/meridian.example.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  // Tuesday 3 March 2026, 10:05 in Dublin: EMEA is on call.
  const base = Date.parse('2026-03-03T10:05:00Z');
  const started = Date.now();
  const h = await startHarness(import.meta.url, { meridian: loaded.config, clock: () => new Date(base + Date.now() - started) });
  for (const id of ['U0DUA0001', 'U0DUB0002', 'U0DUC0003', 'U0LEAD0001'])
    h.fake.addUser({ id, name: id.toLowerCase(), tz: 'Europe/Dublin' });
  h.fake.addUsergroup('S0TNSLEAD1', ['U0LEAD0001']);
  let seen = 0;
  const flush = (label: string) => {
    process.stdout.write(`\n==================== ${label}\n`);
    for (const c of h.fake.calls.slice(seen).filter((c) => !['auth.test', 'users.info', 'usergroups.users.list'].includes(c.method)))
      show(c);
    seen = h.fake.calls.length;
  };
  try {
    await h.submitView({
      id: 'V0WALK0001',
      callback_id: 'declare_incident',
      state: declareState({
        title: 'Toxic "blackout" challenge spreading in TR',
        severity: 'sev1',
        category: 'harmful-trend',
        summary: 'Videos up 400% in 2h',
      }),
    });
    const incident = await eventually(
      async () => ((await h.db.query.incidents.findFirst())?.declarerToldAt ? h.db.query.incidents.findFirst() : undefined),
      'set-up',
      10_000,
    );
    const page = await eventually(
      () => h.fake.calls.find((c) => c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('page_ack')),
      'page',
    );
    await new Promise((r) => setTimeout(r, 300));
    flush('declare (SEV1, harmful trend)');
    const pageId = JSON.stringify(page.args.blocks).match(/"page_ack","value":"([^"]+)"/)?.[1] ?? '';
    await h.clickButton({ actionId: 'page_ack', value: pageId, userId: String(page.args.channel) });
    await new Promise((r) => setTimeout(r, 500));
    flush('acknowledge from the page DM');
    const modal = (callback: string, values: Record<string, Record<string, unknown>>) =>
      h.submitView({
        id: `V0W${callback}`,
        callback_id: callback,
        private_metadata: JSON.stringify({ incidentId: incident!.id }),
        state: { values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])) },
      });
    await modal('incident_update', {
      status: { selected_option: { value: 'investigating' } },
      known: { value: 'Challenge videos traced to 12 accounts' },
      doing: { value: 'Removing videos; adding hash to matcher' },
    });
    await new Promise((r) => setTimeout(r, 300));
    flush('status update');
    await h.command('role <@U0DUB0002> comms', { channelId: incident!.channelId! });
    await new Promise((r) => setTimeout(r, 300));
    flush('/incident role @… comms');
    await modal('incident_severity', {
      severity: { selected_option: { value: 'sev2' } },
      reason: { value: 'Spread slowed after removals' },
    });
    await new Promise((r) => setTimeout(r, 300));
    flush('severity lowered to SEV2');
    await modal('incident_resolve', {
      resolution: { value: 'All 12 accounts actioned; hash blocks re-uploads' },
      mitigation: { value: 'Hash match on upload' },
      follow_ups: { value: 'Add challenge keywords to classifier\nBrief regional policy team' },
    });
    await new Promise((r) => setTimeout(r, 800));
    flush('resolve');
    const timeline = await h.command('timeline', { channelId: incident!.channelId! });
    process.stdout.write(`\n==================== /incident timeline\n${(JSON.parse(timeline.text) as { text: string }).text}\n`);
    const review = h.fake.canvases().find((c) => c.channelId === incident!.channelId);
    process.stdout.write(`\n==================== review canvas ${review?.title}\n${review?.markdown}\n`);
    await h.submitView({
      id: 'V0WALK0002',
      callback_id: 'declare_incident',
      state: declareState({
        title: 'Minor identified in a livestream',
        severity: 'sev1',
        category: 'child-safety',
        summary: 'Reported by a trusted flagger; stream ended',
      }),
    });
    await eventually(
      async () => ((await h.db.query.incidents.findMany()).find((i) => i.category === 'child-safety')?.declarerToldAt ? true : undefined),
      'child-safety set-up',
      10_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    flush('declare (SEV1, child safety: private, sensitive, runbook)');
    // A TCO removal order received 40 minutes before it is declared: its clock runs from receipt.
    const receivedAt = Math.floor((base + Date.now() - started) / 1000) - 40 * 60;
    const order = declareState({ title: 'TCO removal order for a recruitment video', category: 'regulator-request' });
    Object.assign(order.values, { received: { value: { type: 'datetimepicker', selected_date_time: receivedAt } } });
    await h.submitView({ id: 'V0WALK0003', callback_id: 'declare_incident', state: order });
    await eventually(
      async () =>
        (await h.db.query.incidents.findMany()).find((i) => i.category === 'regulator-request')?.declarerToldAt ? true : undefined,
      'regulator order set-up',
      10_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    flush(`declare (TCO order received 40 min earlier: respond by ${new Date((receivedAt + 3600) * 1000).toISOString()})`);
    const asked = await h.command('report 2026-03-02 2026-03-08', { userId: 'U0LEAD0001', channelId: 'C0ELSEWHERE' });
    if (asked.text) process.stdout.write(`(answer: ${asked.text})\n`);
    await eventually(() => h.fake.calls.slice(seen).find((c) => c.args.channel === 'U0LEAD0001'), 'the digest', 30_000);
    flush('/incident report 2026-03-02 2026-03-08 (typed outside the reports channel: only the lead sees it)');
  } finally {
    await h.close();
  }
}

void main();
