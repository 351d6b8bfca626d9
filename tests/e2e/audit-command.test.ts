import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
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

  it('when an admin filters by person, action and period, then only the matching rows across incidents show, the look is audited with its filters; a bad filter is named and changes nothing', async () => {
    const [strangerRow] = await h.db.select().from(auditLog).where(eq(auditLog.actorId, 'U0STRANGE1'));
    const incidentNumber = (await h.db.select().from(incidents).where(eq(incidents.id, strangerRow!.incidentId!)))[0]!.number;
    const day = strangerRow!.at.toISOString().slice(0, 10);

    const byStranger = textOf(await h.command('audit by <@U0STRANGE1|stranger>', { userId: 'U0ADMIN001' }));
    expect(byStranger).toMatch(/^\*Audit log\* by <@U0STRANGE1>, newest first:\n/);
    expect(byStranger).toContain(`INC-${incidentNumber} <@U0STRANGE1> \`${strangerRow!.action}\` — *refused*`);
    expect(byStranger).not.toContain('U0NOTADMIN');

    const looks = textOf(await h.command(`audit action audit_viewed from ${day} to ${day}`, { userId: 'U0ADMIN001' }));
    expect(looks).toContain(`*Audit log* action \`audit_viewed\`, from ${day}, to ${day}, newest first:`);
    expect(looks).toContain('<@U0NOTADMIN> `audit_viewed` — *refused*');
    expect(looks).toContain('<@U0ADMIN001> `audit_viewed`');
    expect(looks).not.toContain('<@U0STRANGE1>');
    const [lastLook] = await h.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.actorId, 'U0ADMIN001'))
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(1);
    expect(lastLook?.details).toEqual({ action: 'audit_viewed', from: day, to: day });

    expect(textOf(await h.command(`audit INC-${incidentNumber} from 2001-01-01 to 2001-01-31`, { userId: 'U0ADMIN001' }))).toBe(
      `*Audit log of INC-${incidentNumber}* from 2001-01-01, to 2001-01-31: no records match.`,
    );

    // Bad filters: the reply names the filter, and nothing is written.
    const before = (await h.db.select().from(auditLog)).length;
    expect(textOf(await h.command('audit action clock.stretch', { userId: 'U0ADMIN001' }))).toMatch(
      /^`action`: `clock\.stretch` is not an audit action\./,
    );
    expect(textOf(await h.command(`audit by dana from ${day}`, { userId: 'U0ADMIN001' }))).toMatch(/^`by`: `dana` is not a person/);
    expect(textOf(await h.command('audit from 2026-02-30', { userId: 'U0NOTADMIN' }))).toMatch(/^`from`: `2026-02-30` is not a date/);
    expect(textOf(await h.command(`audit from ${day} to 2001-01-01`, { userId: 'U0ADMIN001' }))).toMatch(
      /^`to` \(2001-01-01\) is before `from`/,
    );
    expect((await h.db.select().from(auditLog)).length).toBe(before);

    // A non-admin's filtered look is refused, and audited with what was asked.
    expect(textOf(await h.command('audit by <@U0ADMIN001>', { userId: 'U0NOTADMIN' }))).toMatch(/admins only/);
    const refusedLooks = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, 'U0NOTADMIN'), eq(auditLog.outcome, 'refused')));
    expect(refusedLooks.map((r) => r.details)).toContainEqual({ by: 'U0ADMIN001' });
  });
  it('when a resolve is refused, then it is written under the same name as a resolve, and a filter by either the current or the legacy name shows old and new rows', async () => {
    const incident = await declare(h, 'Resolve naming');
    const withChannel = await eventually(async () => {
      const [inc] = await h.db.select().from(incidents).where(eq(incidents.id, incident.id));
      return inc?.channelId ? inc : undefined;
    }, 'the incident channel');
    expect(textOf(await h.command('status resolved', { userId: 'U0STRANGE2', channelId: withChannel.channelId! }))).toMatch(/./);
    const [refusal] = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.incidentId, incident.id), eq(auditLog.actorId, 'U0STRANGE2')));
    expect([refusal?.action, refusal?.outcome]).toEqual(['incident.resolve', 'refused']);
    // A row written before the names were made one (the log is append-only: it keeps its name).
    await h.db.insert(auditLog).values({
      incidentId: incident.id,
      at: new Date('2026-01-05T10:00:00Z'),
      actorId: 'U0STRANGE3',
      action: 'incident.status.resolved',
      outcome: 'refused',
      details: {},
    });
    for (const name of ['incident.resolve', 'incident.status.resolved']) {
      const shown = textOf(await h.command(`audit INC-${incident.number} action ${name}`, { userId: 'U0ADMIN001' }));
      expect(shown, name).toContain('<@U0STRANGE2> `incident.resolve` — *refused*');
      expect(shown, name).toContain('<@U0STRANGE3> `incident.status.resolved` — *refused*');
      expect(shown, name).toContain('action `incident.resolve`');
    }
  });
});
