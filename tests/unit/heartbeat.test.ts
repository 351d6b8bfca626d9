import { describe, expect, it } from 'vitest';
import { reconcilerHealth } from '../../src/jobs/heartbeat.js';

describe("the heartbeat's view of the reconciler", () => {
  it('when it has not run, has just failed, or last succeeded more than two intervals ago, then it is unhealthy; after a success it is healthy again', async () => {
    let now = 0;
    const health = reconcilerHealth(60_000, () => now);
    await expect(health.check()).rejects.toThrow('has not run');
    await health.track(async () => 'ok');
    await expect(health.check()).resolves.toBeUndefined();
    await expect(health.track(async () => Promise.reject(new Error('redis down')))).rejects.toThrow('redis down');
    await expect(health.check()).rejects.toThrow('failed');
    await health.track(async () => 'ok');
    now += 2 * 60_000 + 5_000;
    await expect(health.check()).resolves.toBeUndefined();
    now += 1;
    await expect(health.check()).rejects.toThrow('has not run lately');
  });
});
