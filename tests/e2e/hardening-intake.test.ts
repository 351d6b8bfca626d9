/**
 * Issue 20, intake: a NUL character (6), sources the config does not name, the rate limit per
 * secret and overall (4), and sources bound to their own secret (5). Over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMeridianConfig } from '../../src/config-file/load.js';
import { intakeReports } from '../../src/db/schema/index.js';
import { INTAKE_SECRET, sendReport } from '../support/intake-requests.js';
import { startHarness, type Harness } from '../support/meridian-harness.js';

const yaml = `
intake:
  sources:
    - { id: regulator-portal, name: "Regulator portal" }
`;

let h: Harness;
let seq = 0;

beforeAll(async () => {
  const parsed = parseMeridianConfig(yaml, 'yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  h = await startHarness(import.meta.url, {
    meridian: parsed.config,
    env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET },
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
