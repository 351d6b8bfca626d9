import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/meridian-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(import.meta.url);
});
afterAll(async () => {
  await h?.close();
});

it('when REPORTS_API_TOKEN is unset, then GET /api/incidents.csv answers 404 whatever the token', async () => {
  const res = await fetch(`http://127.0.0.1:${h.runtime.port}/api/incidents.csv?from=2026-03-01&to=2026-03-31`, {
    headers: { authorization: 'Bearer anything-at-all-0000000' },
  });
  expect(res.status).toBe(404);
  expect(await res.text()).toBe('The CSV export is off: set REPORTS_API_TOKEN.\n');
});
