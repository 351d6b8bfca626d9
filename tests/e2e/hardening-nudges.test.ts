/** Issue 20 item 4: a flood of reports does not make one on-call nudge each. Over real HTTP. */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { scheduledActions } from '../../src/db/schema/index.js';
import type { RecordedCall } from '../fakes/fake-slack.js';
import { INTAKE_SECRET, sendReport } from '../support/intake-requests.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';

const yaml = `
intake:
  sources:
    - { id: crm, name: "CRM automation" }
  nudge_after_minutes: 0.05
`;
let h: Harness;
let intakeChannel: string;

beforeAll(async () => {
  const parsed = parseMeridianConfig(yaml, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, {
    meridian: parsed.config,
    env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET },
    channels: { INTAKE_CHANNEL: 'intake-triage' },
  });
  intakeChannel = h.config.INTAKE_CHANNEL as string;
});
afterAll(async () => {
  await h?.close();
});

const isNudge = (c: RecordedCall) => c.args.channel === intakeChannel && String(c.args.text).includes('with nobody on it');

describe('nudges in a flood (issue 20, item 4)', () => {
  it('when 16 reports arrive at once and nobody picks them up, then a few nudges come and one says how many wait, not one nudge each', async () => {
    for (let i = 0; i < 16; i++) {
      expect((await sendReport(h.runtime.port, { external_id: `flood-${i}`, source: 'crm', title: `Flooded report ${i}` })).status).toBe(
        202,
      );
    }
    await eventually(
      () => h.fake.callsTo('chat.postMessage').some((c) => isNudge(c) && String(c.args.text).includes('16 reports are waiting')),
      'the summary nudge',
      20_000,
    );
    // Every nudge is due by now (3 s after receipt); give stragglers their chance to run.
    await eventually(
      async () =>
        (
          await h.db
            .select()
            .from(scheduledActions)
            .where(and(eq(scheduledActions.kind, 'triage-nudge'), eq(scheduledActions.status, 'pending')))
        ).length === 0,
      'every nudge to have run',
      20_000,
    );
    const nudges = h.fake.callsTo('chat.postMessage').filter(isNudge);
    // At most two nudge windows are touched: three each, plus one summary each.
    expect(nudges.length).toBeLessThanOrEqual(8);
  });
});
