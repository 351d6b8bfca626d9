import type { Fault } from './types.js';

/** Which calls a fault may hit, by their arguments (e.g. only chat.postMessage to one channel). */
export type FaultMatch = (args: Record<string, unknown>) => boolean;

interface QueuedFault {
  method: string;
  fault: Fault;
  remaining: number;
  when: FaultMatch | undefined;
}

/**
 * Faults a test queued, consumed in the order they were queued. `method` may be `*` to hit
 * whichever method is called next.
 */
export class FaultQueue {
  private queued: QueuedFault[] = [];

  /** Queues `fault` for the next `times` calls to `method` (those `when` accepts, if given). */
  add(method: string, fault: Fault, times = 1, when?: FaultMatch): void {
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be a positive integer, got ${times}`);
    this.queued.push({ method, fault, remaining: times, when });
  }

  /** The fault for this call, if any, counting it as used. */
  take(method: string, args: Record<string, unknown> = {}): Fault | undefined {
    const entry = this.queued.find((q) => (q.method === method || q.method === '*') && (q.when === undefined || q.when(args)));
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.queued = this.queued.filter((q) => q !== entry);
    return entry.fault;
  }

  /** Drops every queued fault. */
  clear(): void {
    this.queued = [];
  }
}
