import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import type { MeridianConfig } from '../../src/config-file/types.js';
import { auditLog, incidents } from '../../src/db/schema/index.js';
import { startMeridian, type Runtime } from '../../src/runtime.js';
import { declareState, SIGNING_SECRET, startHarness, type Harness } from '../support/meridian-harness.js';
import { sendToSlackEndpoint, viewSubmissionBody } from '../support/slack-requests.js';

const ADMIN = 'U0ADMIN01';
const LIMITED = 'U0LIMIT01';

function configWithLimits(): MeridianConfig {
  const parsed = parseMeridianConfig(
    JSON.stringify({ admins: [ADMIN], limits: { declarations_per_user_per_hour: 3, declarations_per_team_per_hour: 50 } }),
    'json',
  );
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.config;
}

let h: Harness;
let viewSeq = 0;

beforeAll(async () => {
  const meridian = configWithLimits();
  h = await startHarness(import.meta.url, { meridian, limits: meridian.limits });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.fake.reset();
});

function declareView(title: string) {
  viewSeq += 1;
  return {
    id: `V0LIMIT${String(viewSeq).padStart(4, '0')}`,
    callback_id: 'declare_incident',
    private_metadata: JSON.stringify({ originChannelId: 'C0GENERAL1' }),
    state: declareState({ title, severity: 'sev1', category: 'harmful-trend', summary: 'Spreading fast' }),
  };
}

async function declaredBy(userId: string) {
  return h.db.select({ id: incidents.id }).from(incidents).where(eq(incidents.declaredBy, userId));
}

describe('limits on declarations', () => {
  it('when a person declares more than the hourly limit, then the next one is refused inline with the numbers and audited, while an admin may go on', async () => {
    for (let i = 1; i <= 3; i++) {
      const reply = await h.submitView(declareView(`Burst ${i}`), { userId: LIMITED });
      expect(reply.text).toBe('');
    }
    const refused = await h.submitView(declareView('Burst 4'), { userId: LIMITED });
    const body = refused.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.title).toMatch(
      /^You have declared 3 incidents in the last hour; the limit is 3\. An admin can declare more, or wait \d+ minutes?\.$/,
    );
    expect(await declaredBy(LIMITED)).toHaveLength(3);
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, LIMITED), eq(auditLog.action, 'incident.declare'), eq(auditLog.outcome, 'refused')));
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ reason: 'rate_limited', scope: 'user', limit: 3 });

    for (let i = 1; i <= 4; i++) {
      const reply = await h.submitView(declareView(`Admin ${i}`), { userId: ADMIN });
      expect(reply.text).toBe('');
    }
    expect(await declaredBy(ADMIN)).toHaveLength(4);
  });

  it('when the same declaration is submitted again, then the replay does not count against the limit', async () => {
    const view = declareView('Replayed once');
    await h.submitView(view, { userId: 'U0REPLAY1' });
    await h.submitView(view, { userId: 'U0REPLAY1' });
    await h.submitView(view, { userId: 'U0REPLAY1' });
    for (let i = 2; i <= 3; i++) expect((await h.submitView(declareView(`Replay ${i}`), { userId: 'U0REPLAY1' })).text).toBe('');
    expect(await declaredBy('U0REPLAY1')).toHaveLength(3);
  });

  it('when two replicas share one Redis, then a person at the limit on one is refused on the other', async () => {
    const other: Runtime = await startMeridian(h.config, { logger: pino({ level: 'silent' }), meridian: configWithLimits() });
    try {
      const otherUrl = `http://127.0.0.1:${other.port}/slack/events`;
      const submitOn = (url: string, title: string) =>
        sendToSlackEndpoint(url, viewSubmissionBody({ userId: 'U0TWORUN1', view: declareView(title) }), { secret: SIGNING_SECRET });
      expect((await submitOn(h.eventsUrl, 'Replica A 1')).text).toBe('');
      expect((await submitOn(otherUrl, 'Replica B 2')).text).toBe('');
      expect((await submitOn(h.eventsUrl, 'Replica A 3')).text).toBe('');
      const refused = await submitOn(otherUrl, 'Replica B 4');
      expect((refused.json as { errors: Record<string, string> }).errors.title).toMatch(/the limit is 3/);
      expect(await declaredBy('U0TWORUN1')).toHaveLength(3);
    } finally {
      await other.close();
    }
  });
});
