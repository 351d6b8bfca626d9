/**
 * Issue 20, intake: a NUL character (6), sources the config does not name, the rate limit per
 * secret and overall (4), and sources bound to their own secret (5). Over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { eq } from 'drizzle-orm';
import { intakeReports } from '../../src/db/schema/index.js';
import { INTAKE_SECRET, sendReport } from '../support/intake-requests.js';
import { startHarness, type Harness } from '../support/meridian-harness.js';

const NGO_SECRET = 'safety-ngo-secret-0123456789';
const yaml = `
intake:
  sources:
    - { id: regulator-portal, name: "Regulator portal" }
    - { id: tco-desk, name: "TCO desk" }
    - { id: "partner:safety-ngo", name: "Safety NGO (trusted flagger)", priority: true, secret: safety-ngo }
  rate_limit_per_minute: 5
  overall_rate_limit_per_minute: 8
`;

let h: Harness;
let seq = 0;

beforeAll(async () => {
  const parsed = parseMeridianConfig(yaml, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, {
    meridian: parsed.config,
    env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET, INTAKE_SOURCE_SECRETS: `safety-ngo=${NGO_SECRET}` },
    channels: { INTAKE_CHANNEL: 'intake-triage' },
  });
});
afterAll(async () => {
  await h?.close();
});

const port = () => h.runtime.port;
function report(overrides: Record<string, unknown> = {}) {
  seq += 1;
  return { external_id: `hard-${seq}`, source: 'regulator-portal', title: `Hardening report ${seq}`, ...overrides };
}
const storedCount = async () => (await h.db.select({ id: intakeReports.id }).from(intakeReports)).length;

describe('intake: bad characters (issue 20, item 6)', () => {
  it('when a field holds U+0000, then the answer is 400 naming that field, not a 500 to retry, and nothing is stored', async () => {
    const before = await storedCount();
    for (const field of ['title', 'summary', 'reporter', 'external_id']) {
      const body = report({ [field]: `before\u0000after ${field}` });
      const reply = await sendReport(port(), body);
      expect(reply.status, field).toBe(400);
      expect(reply.json?.error).toBe('invalid_report');
      expect(reply.json?.issues).toEqual([{ path: field, message: 'expected text without the NUL character (U+0000)' }]);
    }
    expect(await storedCount()).toBe(before);
    const fine = await sendReport(port(), report());
    expect(fine.status).toBe(202);
  });
});

describe('intake: who may send, and how much (issue 20, items 4 and 5)', () => {
  it('when a report names a source the config does not list, then 400 names the source field and nothing is stored', async () => {
    const before = await storedCount();
    const reply = await sendReport(port(), report({ source: 'made-up-17' }));
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({
      error: 'invalid_report',
      issues: [{ path: 'source', message: "expected a source listed in the config's intake.sources" }],
    });
    expect(await storedCount()).toBe(before);
  });

  it('when the shared secret claims to be the trusted flagger, then 403 and nothing stored; signed by its own secret, it is flagged', async () => {
    const before = await storedCount();
    const forged = await sendReport(port(), report({ source: 'partner:safety-ngo' }));
    expect(forged.status).toBe(403);
    expect(forged.json?.error).toBe('wrong_secret_for_source');
    // Its own secret speaks for it alone, not for the other sources.
    const crossed = await sendReport(port(), report({ source: 'regulator-portal' }), { secret: NGO_SECRET });
    expect(crossed.status).toBe(403);
    expect(await storedCount()).toBe(before);

    const real = await sendReport(port(), report({ source: 'partner:safety-ngo' }), { secret: NGO_SECRET });
    expect(real.status).toBe(202);
    const [row] = await h.db
      .select()
      .from(intakeReports)
      .where(eq(intakeReports.id, String(real.json?.report_id)));
    expect(row?.priority).toBe(true);
  });

  it('when one secret sends many reports under many sources, then its limit counts them all; past the overall limit every secret waits', async () => {
    // Accepted before this test: one under the shared secret (item 6's), one under the NGO's (above).
    const shared: number[] = [];
    for (let i = 0; i < 8; i++) shared.push((await sendReport(port(), report({ source: i % 2 ? 'tco-desk' : 'regulator-portal' }))).status);
    expect(shared).toEqual([202, 202, 202, 202, 429, 429, 429, 429]);
    const limited = await sendReport(port(), report({ source: 'tco-desk' }));
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    const ngo: number[] = [];
    for (let i = 0; i < 4; i++)
      ngo.push((await sendReport(port(), report({ source: 'partner:safety-ngo' }), { secret: NGO_SECRET })).status);
    expect(ngo).toEqual([202, 202, 429, 429]);
    expect(await storedCount()).toBe(8);
  });
});
