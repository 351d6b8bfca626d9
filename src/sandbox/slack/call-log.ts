import type { RecordedCall } from './types.js';

const POLL_INTERVAL_MS = 10;

/** Every request the fake answered (or left hanging), in order, with helpers to wait on them. */
export class CallLog {
  readonly calls: RecordedCall[] = [];

  /** `keep`: how many calls to remember; a long-running sandbox keeps the last few only. */
  constructor(private readonly keep = Number.POSITIVE_INFINITY) {}

  record(call: RecordedCall): void {
    this.calls.push(call);
    if (this.calls.length > this.keep) this.calls.splice(0, this.calls.length - this.keep);
  }

  /** All calls to `method`, oldest first. */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The most recent call to `method`, if any. */
  lastCallTo(method: string): RecordedCall | undefined {
    return this.callsTo(method).at(-1);
  }

  /**
   * Resolves with the first call to `method` that satisfies `predicate`, polling until
   * `timeoutMs` passes; then rejects, naming the methods that were seen instead.
   */
  async waitForCall(method: string, predicate: (call: RecordedCall) => boolean = () => true, timeoutMs = 5_000): Promise<RecordedCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.find((c) => c.method === method && predicate(c));
      if (found !== undefined) return found;
      if (Date.now() >= deadline) throw new Error(this.describeMiss(method, timeoutMs));
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }

  /** Forgets the recorded calls (the workspace state is kept). */
  reset(): void {
    this.calls.length = 0;
  }

  private describeMiss(method: string, timeoutMs: number): string {
    const counts = new Map<string, number>();
    for (const c of this.calls) counts.set(c.method, (counts.get(c.method) ?? 0) + 1);
    const seen = [...counts].map(([m, n]) => `${m} x${n}`).join(', ') || 'none';
    const toMethod = this.callsTo(method).length;
    return (
      `fake Slack: no matching call to ${method} within ${timeoutMs} ms ` +
      `(${toMethod} call(s) to it did not match). Methods seen: ${seen}`
    );
  }
}
