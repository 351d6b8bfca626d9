import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMeridianConfig } from '../../src/config-file/defaults.js';
import { incidents } from '../../src/db/schema/index.js';
import type { ActionLimits } from '../../src/domain/action-limits.js';
import { createActionLimiter } from '../../src/rate-limiters/action-limiter.js';
import { createLogger } from '../../src/log.js';
import { declareIncident } from '../../src/services/declare-incident.js';
import { TEST_REDIS_URL } from '../support/infra.js';
import { createTestDatabase } from '../support/test-database.js';

const ONE: ActionLimits = {
  declare: { perUserPerHour: 1, perTeamPerHour: 1 },
  escalate: { perUserPerHour: 1, perTeamPerHour: null },
  review: { perUserPerHour: 1, perTeamPerHour: null },
  override: { perUserPerHour: 1, perTeamPerHour: null },
};

let pg: Awaited<ReturnType<typeof createTestDatabase>>;
const redises: Redis[] = [];
beforeAll(async () => {
  pg = await createTestDatabase(import.meta.url);
});
afterAll(async () => {
  for (const r of redises) r.disconnect();
  await pg?.drop();
});

/** Declares with a limit of one an hour, counted on `redis`; returns what was logged as well. */
function declarer(redis: Redis) {
  const lines: Array<{ msg: string; level: number }> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger('warn', sink);
  const limiter = createActionLimiter({ redis, keyPrefix: `test:limiter:${Date.now()}:${Math.random()}`, limits: ONE, logger });
  const meridian = { ...defaultMeridianConfig(), limits: ONE };
  const declare = (userId: string, title: string) =>
    declareIncident(
      { db: pg.db, scheduler: { enqueue: async () => {} }, clock: () => new Date(), meridian, limiter },
      { teamId: 'T0LIMITER', userId, idempotencyKey: `view:${title}`, fields: { title, severity: 'sev3', category: 'other' } },
    );
  return { declare, lines };
}

describe('the action limiter', () => {
  it('when its Redis is reachable, then a second declaration within the hour is refused', async () => {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    redises.push(redis);
    await redis.ping();
    const { declare } = declarer(redis);
    await declare('U0REACH01', 'Reachable 1');
    await expect(declare('U0REACH01', 'Reachable 2')).rejects.toThrow(/the limit is 1/);
  });

  it('when its Redis is unreachable, then declarations still go through (fail open) and the skipped check is logged', async () => {
    // Nothing listens on port 1: the connection never becomes ready, and commands fail at once.
    const redis = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    redises.push(redis);
    const { declare, lines } = declarer(redis);
    for (const title of ['Unreachable 1', 'Unreachable 2', 'Unreachable 3']) {
      const { created } = await declare('U0AWAY001', title);
      expect(created).toBe(true);
    }
    const rows = await pg.db.select().from(incidents).where(eq(incidents.declaredBy, 'U0AWAY001'));
    expect(rows).toHaveLength(3);
    expect(lines.some((l) => l.msg.includes('rate limit not checked'))).toBe(true);
  });
});
