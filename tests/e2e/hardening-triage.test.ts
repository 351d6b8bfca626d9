/**
 * Issue 20, triage: two Declares / Declare racing Dismiss on one report (2), Declare, Merge and
 * Dismiss only for the triage channel (10), and the dismiss reason's limit on the server (14).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { incidents, intakeReports } from '../../src/db/schema/index.js';
import { INTAKE_SECRET, sendReport } from '../support/intake-requests.js';
import { declareState, eventually, startHarness, type Harness } from '../support/meridian-harness.js';

const TRIAGER = 'U0TRIAGE01';
const TRIAGER2 = 'U0TRIAGE02';
const OUTSIDER = 'U0OUTSIDE1';
const yaml = `
intake:
  sources:
    - { id: crm, name: "CRM automation" }
  nudge_after_minutes: 600
`;

let h: Harness;
let intakeChannel: string;
let seq = 0;
let viewSeq = 0;
const nextViewId = () => `V0HARDTRI${String(++viewSeq).padStart(3, '0')}`;

beforeAll(async () => {
  const parsed = parseMeridianConfig(yaml, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, {
    meridian: parsed.config,
    env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET },
    channels: { INTAKE_CHANNEL: 'intake-triage' },
  });
  intakeChannel = h.config.INTAKE_CHANNEL as string;
  for (const id of [TRIAGER, TRIAGER2, OUTSIDER, 'U0DECL001']) h.fake.addUser({ id, name: id.toLowerCase(), tz: 'UTC' });
  h.fake.channel(intakeChannel)?.members.add(TRIAGER);
  h.fake.channel(intakeChannel)?.members.add(TRIAGER2);
});
afterAll(async () => {
  await h?.close();
});

async function pendingReport(title: string): Promise<string> {
  seq += 1;
  const reply = await sendReport(h.runtime.port, { external_id: `tri-${seq}`, source: 'crm', title });
  expect(reply.status).toBe(202);
  return String(reply.json?.report_id);
}
const reportRow = async (id: string) => (await h.db.select().from(intakeReports).where(eq(intakeReports.id, id)))[0]!;
const incidentsTitled = (title: string) => h.db.select().from(incidents).where(eq(incidents.title, title));
const metadataOf = (reportId: string) => JSON.stringify({ reportId });

function submitDismiss(reportId: string, reason: string, userId: string) {
  return h.submitView(
    {
      id: nextViewId(),
      callback_id: 'triage_dismiss',
      private_metadata: metadataOf(reportId),
      state: { values: { reason: { value: { type: 'plain_text_input', value: reason } } } },
    },
    { userId },
  );
}

function submitDeclare(reportId: string, title: string, userId: string) {
  return h.submitView(
    {
      id: nextViewId(),
      callback_id: 'declare_incident',
      private_metadata: metadataOf(reportId),
      state: declareState({ title, severity: 'sev3', category: 'other', summary: 'From a report' }),
    },
    { userId },
  );
}

describe('form limits on the server (issue 20, item 14)', () => {
  it('when a dismiss reason of 10,011 characters is submitted by hand, then the form says the limit inline and the report stays pending', async () => {
    const reportId = await pendingReport('Report with a huge dismiss reason');
    const reply = await submitDismiss(reportId, 'x'.repeat(10_011), TRIAGER);
    expect(JSON.stringify(reply.json)).toContain('Keep the reason under 500 characters.');
    expect(await reportRow(reportId)).toMatchObject({ status: 'pending', dismissReason: null });
  });
});

describe('triage is for the triage channel (issue 20, item 10)', () => {
  it('when someone outside the triage channel clicks Declare, Merge or Dismiss, then no form opens and they are told why', async () => {
    const reportId = await pendingReport('Report an outsider pokes at');
    for (const actionId of ['triage_declare', 'triage_merge', 'triage_dismiss']) {
      await h.clickButton({ actionId, value: reportId, userId: OUTSIDER, channelId: intakeChannel });
    }
    await eventually(
      () =>
        h.fake
          .callsTo('chat.postEphemeral')
          .filter((c) => c.args.user === OUTSIDER && String(c.args.text).includes('members of the triage channel')).length === 3,
      'three refusals',
    );
    expect(h.fake.callsTo('views.open').filter((c) => JSON.stringify(c.args.view).includes(reportId))).toEqual([]);
  });

  it('when someone outside the triage channel submits a forged Dismiss or Declare, then nothing is decided or declared', async () => {
    const reportId = await pendingReport('Report an outsider forges');
    const dismissed = await submitDismiss(reportId, 'Not needed', OUTSIDER);
    expect(JSON.stringify(dismissed.json)).toContain('members of the triage channel');
    const declared = await submitDeclare(reportId, 'Forged declaration', OUTSIDER);
    expect(JSON.stringify(declared.json)).toContain('members of the triage channel');
    expect(await reportRow(reportId)).toMatchObject({ status: 'pending', decidedBy: null });
    expect(await incidentsTitled('Forged declaration')).toEqual([]);
  });
});

describe('one decision per report (issue 20, item 2)', () => {
  it('when two people submit Declare on one report at once, then one incident is made and the other is told which', async () => {
    const reportId = await pendingReport('Report declared twice');
    const title = 'Declared from one report';
    const [a, b] = await Promise.all([submitDeclare(reportId, title, TRIAGER), submitDeclare(reportId, title, TRIAGER2)]);
    const made = await incidentsTitled(title);
    expect(made).toHaveLength(1);
    const row = await reportRow(reportId);
    expect(row).toMatchObject({ status: 'declared', incidentId: made[0]!.id });
    const loser = row.decidedBy === TRIAGER ? b : a;
    expect(JSON.stringify(loser.json)).toContain(`INC-${made[0]!.number}`);
  });

  it('when Declare and Dismiss race on one report, then either the incident exists and the report is declared as it, or neither incident nor channel exists', async () => {
    for (let round = 0; round < 3; round++) {
      const reportId = await pendingReport(`Report raced ${round}`);
      const title = `Raced declaration ${round}`;
      await Promise.all([submitDeclare(reportId, title, TRIAGER), submitDismiss(reportId, 'Duplicate', TRIAGER2)]);
      const row = await reportRow(reportId);
      const made = await incidentsTitled(title);
      if (row.status === 'dismissed') expect(made).toEqual([]);
      else expect(row).toMatchObject({ status: 'declared', incidentId: made[0]?.id });
      expect(made.length).toBeLessThanOrEqual(1);
    }
  });
});
