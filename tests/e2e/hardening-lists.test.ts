/**
 * Issue 20: lists say the true total and how many are not shown (12); an actor id that is not a
 * Slack user id is refused at the edge and an old one renders as text in /incident audit (13).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { auditLog, incidentClocks, incidents, intakeReports } from '../../src/db/schema/index.js';
import { INTAKE_SECRET } from '../support/intake-requests.js';
import { startHarness, type Harness } from '../support/meridian-harness.js';

const ADMIN = 'U0ADMIN001';
let h: Harness;

beforeAll(async () => {
  const parsed = parseMeridianConfig(`admins: [${ADMIN}]\n`, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, {
    meridian: parsed.config,
    env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET },
    channels: { INTAKE_CHANNEL: 'intake-triage' },
  });
  h.fake.addUser({ id: ADMIN, name: 'admin', tz: 'UTC' });
});
afterAll(async () => {
  await h?.close();
});

const textOf = (reply: { json?: unknown; text: string }) => String((reply.json as { text?: string } | undefined)?.text ?? reply.text);

async function insertIncident(title: string): Promise<{ id: string; number: number }> {
  const [row] = await h.db
    .insert(incidents)
    .values({
      teamId: 'T0MERIDIAN',
      idempotencyKey: `lists-${title}`,
      title,
      severity: 'sev3',
      category: 'other',
      status: 'investigating',
      declaredBy: 'U0DECL001',
      declaredAt: new Date(),
    })
    .returning({ id: incidents.id, number: incidents.number });
  return row!;
}

describe('lists state the true total (issue 20, item 12)', () => {
  it('when 41 reports wait, then /incident intake says 41 waiting and that 11 are not shown', async () => {
    const receivedAt = new Date(Date.now() - 60_000);
    await h.db
      .insert(intakeReports)
      .values(Array.from({ length: 41 }, (_, i) => ({ source: 'crm', externalId: `many-${i}`, title: `Waiting report ${i}`, receivedAt })));
    const shown = textOf(await h.command('intake', { userId: ADMIN }));
    expect(shown).toContain('*41 reports waiting for triage*');
    expect(shown).toContain('the 30 oldest shown, 11 more not shown');
  });

  it('when 63 clocks run, then /incident deadlines says 63 running clocks and that 13 are not shown', async () => {
    const incident = await insertIncident('Many clocks');
    const now = Date.now();
    await h.db.insert(incidentClocks).values(
      Array.from({ length: 63 }, (_, i) => ({
        incidentId: incident.id,
        label: `order-${i}`,
        name: `Order ${i}`,
        startKind: 'typed' as const,
        startedAt: new Date(now),
        dueAt: new Date(now + (i + 1) * 3_600_000),
      })),
    );
    const shown = textOf(await h.command('deadlines', { userId: ADMIN }));
    expect(shown).toContain('63 running clocks');
    expect(shown).toContain('the 50 soonest shown, 13 more not shown');
  });
});

describe('actors that are not Slack users (issue 20, item 13)', () => {
  it('when an audit row has an actor that is not a Slack user id, then /incident audit still answers and shows it as text', async () => {
    const incident = await insertIncident('Audited by a tool');
    await h.db.insert(auditLog).values({
      incidentId: incident.id,
      at: new Date(),
      actorId: 'sandbox-admin',
      action: 'incident.note',
      details: {},
    });
    const shown = textOf(await h.command(`audit INC-${incident.number}`, { userId: ADMIN }));
    expect(shown).toContain(`*Audit log of INC-${incident.number}*`);
    expect(shown).toContain('`sandbox-admin`');
    expect(shown).not.toContain('<@sandbox-admin>');
  });

  it('when a signed command names a user id that is not a Slack user id, then it is refused and nothing is recorded for it', async () => {
    const reply = await h.command(`audit INC-1`, { userId: 'not-a-user' });
    expect(textOf(reply)).toContain('cannot tell who sent this request');
    const rows = await h.db.select().from(auditLog);
    expect(rows.filter((r) => r.actorId === 'not-a-user')).toEqual([]);
  });
});
