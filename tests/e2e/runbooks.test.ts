import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { auditLog, incidents, timelineEntries } from '../../src/db/schema/index.js';
import { declareState, eventually, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';
import { blockActionBody, sendToSlackEndpoint } from '../support/slack-requests.js';

const LONG_STEP =
  'Restrict access: never download or forward the material, not even to colleagues; link to the report in the moderation tool instead';

const CONFIG = `
severities:
  sev1: { label: "SEV1 Critical" }
  sev2: { label: "SEV2 Major" }
  sev3: { label: "SEV3 Minor" }
  sev4: { label: "SEV4 Low" }
categories:
  - id: child-safety
    name: Child safety
    default_severity: sev1
    runbook: ["Preserve evidence: URLs, hashes, account ids", "Tell Legal", "Report to NCMEC"]
  - id: grooming
    name: Grooming
    default_severity: sev1
    runbook: ["${LONG_STEP}", "Tell Legal"]
  - id: other
    name: Other
`;

let h: Harness;

beforeAll(async () => {
  const parsed = parseMeridianConfig(CONFIG, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, { meridian: parsed.config, env: { REVIEW_API_TOKEN: 'review-token-0123456789' } });
  for (const id of ['U0DECL001', 'U0TICK001']) h.fake.addUser({ id, name: id.toLowerCase(), tz: 'Europe/Dublin' });
});
afterAll(async () => {
  await h?.close();
});

describe('a category runbook', () => {
  it('is posted as a checklist; ticks go in the timeline, the card and the review', async () => {
    await h.submitView({
      id: 'V0RUNBOOK01',
      callback_id: 'declare_incident',
      state: declareState({ title: 'Runbook case', severity: 'sev1', category: 'child-safety' }),
    });
    const incident = await eventually(async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, 'Runbook case'));
      return row?.cardTs && row.declarerToldAt ? row : undefined;
    }, 'the incident to be set up');
    const channel = incident.channelId as string;

    const checklist = h.fake
      .callsTo('chat.postMessage')
      .find((c) => c.args.channel === channel && JSON.stringify(c.args.blocks ?? []).includes('runbook_tick'));
    expect(checklist).toBeDefined();
    const blocks = checklist!.args.blocks as Array<{ block_id?: string; elements?: Array<{ type: string; options: unknown[] }> }>;
    const group = blocks.find((b) => b.block_id?.startsWith('runbook:'))!;
    expect(group.elements![0]!.type).toBe('checkboxes');
    expect(group.elements![0]!.options).toHaveLength(3);

    const tick = (selected: string[], ts: string) =>
      sendToSlackEndpoint(
        h.eventsUrl,
        blockActionBody({
          userId: 'U0TICK001',
          actionId: 'runbook_tick',
          value: '',
          blockId: group.block_id!,
          triggerId: h.fake.mintTriggerId(),
          channelId: channel,
          messageTs: '1700000000.000100',
          actionTs: ts,
          selectedOptions: selected,
        }),
        { secret: SIGNING_SECRET },
      );
    expect((await tick(['0'], '1700000001.000001')).status).toBe(200);
    await eventually(async () => {
      const rows = await h.db
        .select()
        .from(timelineEntries)
        .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'runbook_step')));
      return rows.length === 1 ? rows : undefined;
    }, 'the first tick');
    expect((await tick(['0', '1'], '1700000002.000001')).status).toBe(200);
    const steps = await eventually(async () => {
      const rows = await h.db
        .select()
        .from(timelineEntries)
        .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'runbook_step')));
      return rows.length === 2 ? rows : undefined;
    }, 'two runbook entries');
    expect(steps.every((s) => s.actorId === 'U0TICK001')).toBe(true);

    await eventually(
      () =>
        h.fake.callsTo('chat.update').find((c) => c.args.ts === incident.cardTs && JSON.stringify(c.args.blocks).includes('Runbook 2/3')),
      'the card to say Runbook 2/3',
    );

    await h.command('review', { channelId: channel, userId: 'U0DECL001' });
    const canvas = await eventually(() => h.fake.canvases().find((c) => c.channelId === channel), 'the review');
    const review = canvas.markdown;
    expect(review).toContain('## Runbook');
    expect(review).toMatch(/- \[x\] Preserve evidence: URLs, hashes, account ids \(.*u0tick001/i);
    expect(review).toMatch(/- \[x\] Tell Legal \(.*u0tick001/i);
    expect(review).toContain('- [ ] Report to NCMEC');
  });

  it('when a non-member ticks a private incident runbook item, then it is refused, audited, and nothing is recorded', async () => {
    await h.submitView({
      id: 'V0RUNBOOK02',
      callback_id: 'declare_incident',
      state: declareState({ title: 'Private runbook case', severity: 'sev1', category: 'child-safety', private: true }),
    });
    const incident = await eventually(async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, 'Private runbook case'));
      return row?.cardTs && row.declarerToldAt ? row : undefined;
    }, 'the private incident to be set up');
    const channel = incident.channelId as string;
    const checklist = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === channel && JSON.stringify(c.args.blocks ?? []).includes('runbook_tick'),
    );
    const blocks = checklist.args.blocks as Array<{ block_id?: string }>;
    const blockId = blocks.find((b) => b.block_id?.startsWith('runbook:'))!.block_id!;
    const answer = await sendToSlackEndpoint(
      h.eventsUrl,
      blockActionBody({
        userId: 'U0TICK001',
        actionId: 'runbook_tick',
        value: '',
        blockId,
        triggerId: h.fake.mintTriggerId(),
        channelId: channel,
        messageTs: '1700000000.000200',
        actionTs: '1700000002.000001',
        selectedOptions: ['0'],
      }),
      { secret: SIGNING_SECRET },
    );
    expect(answer.status).toBe(200);
    const refusal = await eventually(async () => {
      const rows = await h.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.incidentId, incident.id), eq(auditLog.actorId, 'U0TICK001')));
      return rows.length ? rows : undefined;
    }, 'the refusal to be audited');
    expect(refusal.map((r) => [r.action, r.outcome])).toEqual([['incident.access', 'refused']]);
    // The person is told the neutral answer, and the tick is not recorded.
    const told = await eventually(
      () =>
        [...h.fake.callsTo('chat.postEphemeral'), ...h.fake.callsTo('chat.postMessage')].find(
          (c) => (c.args.user === 'U0TICK001' || c.args.channel === 'U0TICK001') && (c.response as { ok?: boolean }).ok,
        ),
      'the person to be told',
    );
    expect(String(told.args.text)).toContain('not available to you');
    const ticks = await h.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, incident.id), eq(timelineEntries.kind, 'runbook_step')));
    expect(ticks).toEqual([]);
  });

  it('when a step is longer than Slack lets an option be and someone ticks it, then the whole step stays readable and the checklist shows everyone who ticked it and when', async () => {
    await h.submitView({
      id: 'V0RUNBOOK03',
      callback_id: 'declare_incident',
      state: declareState({ title: 'Long runbook step case', severity: 'sev1', category: 'grooming' }),
    });
    const incident = await eventually(async () => {
      const [row] = await h.db.select().from(incidents).where(eq(incidents.title, 'Long runbook step case'));
      return row?.cardTs && row.declarerToldAt ? row : undefined;
    }, 'the incident to be set up');
    const channel = incident.channelId as string;
    const checklist = await h.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === channel && JSON.stringify(c.args.blocks ?? []).includes('runbook_tick'),
    );
    expect(LONG_STEP.length).toBeGreaterThan(75);
    expect(JSON.stringify(checklist.args.blocks)).toContain(LONG_STEP);
    const blocks = checklist.args.blocks as Array<{ block_id?: string }>;
    const blockId = blocks.find((b) => b.block_id?.startsWith('runbook:'))!.block_id!;
    const ts = (checklist.response as { ts: string }).ts;

    const answer = await sendToSlackEndpoint(
      h.eventsUrl,
      blockActionBody({
        userId: 'U0TICK001',
        actionId: 'runbook_tick',
        value: '',
        blockId,
        triggerId: h.fake.mintTriggerId(),
        channelId: channel,
        messageTs: ts,
        actionTs: '1700000003.000001',
        selectedOptions: ['0'],
      }),
      { secret: SIGNING_SECRET },
    );
    expect(answer.status).toBe(200);
    const updated = await h.fake.waitForCall('chat.update', (c) => c.args.ts === ts && c.args.channel === channel);
    const text = JSON.stringify(updated.args.blocks);
    expect(text).toContain(LONG_STEP);
    expect(text).toContain('done by <@U0TICK001> <!date^');
    expect(String(updated.args.text)).toBe('Runbook: 1 of 2 steps done');
    const group = (
      updated.args.blocks as Array<{ block_id?: string; elements?: Array<{ initial_options?: Array<{ value: string }> }> }>
    ).find((b) => b.block_id === blockId)!;
    expect(group.elements![0]!.initial_options!.map((o) => o.value)).toEqual(['0']);
  });
});
