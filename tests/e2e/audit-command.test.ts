import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, incidents } from '../../src/db/schema/index.js';
import { eventually, startHarness, type Harness } from '../support/meridian-harness.js';
import { addStepUsers, declare, durabilityConfig } from '../durability/support.js';

/** `/incident audit INC-n`: the audit log for admins (U0ADMIN001 in this config), newest first. */
let h: Harness;

beforeAll(async () => {
  h = await startHarness(import.meta.url, { meridian: durabilityConfig({ firstWaitMinutes: 60 }) });
  addStepUsers(h);
});
afterAll(async () => {
  await h?.close();
});

const textOf = (reply: { json?: unknown; text: string }) => String((reply.json as { text?: string } | undefined)?.text ?? reply.text);

describe('/incident audit', () => {
  it('when a non-admin asks, then they are refused politely and the refusal is audited; an admin then sees every refused attempt, newest first', async () => {
    const incident = await declare(h, 'Audited incident');
    const withChannel = await eventually(async () => {
      const [inc] = await h.db.select().from(incidents).where(eq(incidents.id, incident.id));
      return inc?.channelId ? inc : undefined;
    }, 'the incident channel');

    // A stranger tries to change the incident in its channel: refused, and audited.
    const stranger = await h.command('mitigate', { userId: 'U0STRANGE1', channelId: withChannel.channelId! });
    expect(stranger.status).toBe(200);
    await eventually(
      async () =>
        (
          await h.db
            .select()
            .from(auditLog)
            .where(and(eq(auditLog.incidentId, incident.id), eq(auditLog.actorId, 'U0STRANGE1')))
        )[0],
      'the stranger’s attempt to be audited',
    );

    const refused = await h.command(`audit INC-${incident.number}`, { userId: 'U0NOTADMIN' });
    expect(refused.status).toBe(200);
    expect(textOf(refused)).toMatch(/admins only/);
    expect(textOf(refused)).not.toContain('Audited incident');
    const refusals = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.incidentId, incident.id), eq(auditLog.actorId, 'U0NOTADMIN')));
    expect(refusals.map((r) => [r.action, r.outcome])).toEqual([['audit_viewed', 'refused']]);

    const shown = textOf(await h.command(`audit INC-${incident.number}`, { userId: 'U0ADMIN001' }));
    expect(shown).toContain(`Audit log of INC-${incident.number}`);
    const viewAt = shown.indexOf('<@U0NOTADMIN> `audit_viewed` — *refused*');
    const strangerAt = shown.indexOf('<@U0STRANGE1>');
    expect(viewAt, shown).toBeGreaterThan(0);
    expect(strangerAt, shown).toBeGreaterThan(viewAt); // newest first

    expect(textOf(await h.command('audit INC-999999', { userId: 'U0ADMIN001' }))).toBe('There is no INC-999999.');
  });
});
