import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/meridian-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness(import.meta.url);
});
afterAll(async () => {
  await h?.close();
});

describe('reviews over HTTP without a token configured', () => {
  it('when REVIEW_API_TOKEN is unset, then GET /reviews/INC-<n> answers 404 whatever the request carries', async () => {
    for (const authorization of [undefined, 'Bearer anything-at-all-0123456789']) {
      const res = await fetch(`http://127.0.0.1:${h.runtime.port}/reviews/INC-1`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('REVIEW_API_TOKEN');
    }
  });
});
