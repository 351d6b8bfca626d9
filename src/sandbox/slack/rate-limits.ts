import type { RateTier } from './methods/index.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface TierRule {
  /** Tokens the bucket holds: how big a burst Slack tolerates. */
  capacity: number;
  /** Tokens added per millisecond. */
  refillPerMs: number;
}

const PER_MINUTE: Record<Exclude<RateTier, 'special'>, number> = { 1: 1, 2: 20, 3: 50, 4: 100 };

/** Slack's rule for a tier, `scale` times (burst and rate alike). */
export function ruleFor(tier: RateTier, scale: number): TierRule {
  // chat.postMessage: about 1 per second per channel, with a short burst allowed.
  if (tier === 'special') return { capacity: Math.max(1, Math.round(3 * scale)), refillPerMs: scale / 1000 };
  const perMinute = PER_MINUTE[tier] * scale;
  return { capacity: Math.max(1, Math.round(perMinute)), refillPerMs: perMinute / 60_000 };
}

/** The bucket a call counts against: per method, chat.postMessage per channel too. */
export function limitKey(method: string, tier: RateTier, channel: string | undefined): string {
  return tier === 'special' ? `${method}:${channel ?? ''}` : method;
}

/**
 * Per-method token buckets like Slack's tiers (chat.postMessage per channel). Slack counts per app
 * per workspace, so an Enterprise Grid fake keeps each workspace's buckets apart.
 * On by default, at Slack's published rates (`scale` 1), so the sandbox paces as production
 * does; tests run it at the same `scale` as the bot's `SLACK_RATE_SCALE` (see the harness), and
 * only tests of the enforcement itself switch it off.
 */
export class RateLimiter {
  enabled = true;
  /** Multiplies every tier's allowance (burst and rate): 10 = each tier's per-minute limit x10. */
  scale = 1;
  private readonly buckets = new Map<string, Bucket>();

  /**
   * Takes a token for this call. Returns `undefined` when allowed, else the seconds to wait
   * (what Slack puts in `Retry-After`).
   */
  take(method: string, tier: RateTier, channel: string | undefined, now = Date.now(), teamId?: string): number | undefined {
    if (!this.enabled) return undefined;
    const rule = ruleFor(tier, this.scale);
    const key = `${teamId ?? ''}/${limitKey(method, tier, channel)}`;
    const bucket = this.buckets.get(key) ?? { tokens: rule.capacity, updatedAt: now };
    bucket.tokens = Math.min(rule.capacity, bucket.tokens + (now - bucket.updatedAt) * rule.refillPerMs);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rule.refillPerMs / 1000));
  }

  /** Forgets all buckets (e.g. when limits are switched off and on again). */
  reset(): void {
    this.buckets.clear();
  }
}
