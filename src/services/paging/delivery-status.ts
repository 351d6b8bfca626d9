/**
 * Twilio's status callbacks (`POST /webhooks/twilio/status?n=<notification>`): Twilio took an
 * SMS or a call, and later says what became of it. A message that was not delivered
 * (`failed`, `undelivered`) or a call nobody took (`busy`, `no-answer`, `failed`) is a failed
 * notification like a provider refusal: recorded on its row, counted, and the person's next
 * rule runs at once instead of at its own time. Any other status is only recorded.
 */
import { findNotification, recordDeliveryStatus } from '../../db/repos/contacts.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { bringForward, tryLockActionByKey } from '../../db/repos/scheduled-actions.js';
import { notificationKey } from '../../domain/notification-rules.js';
import type { ActionScheduler } from '../../jobs/action-queue.js';
import type { PagingDeps } from './deps.js';

export type DeliveryStatusDeps = Pick<PagingDeps, 'db' | 'metrics' | 'logger' | 'clock'> & {
  scheduler: Pick<ActionScheduler, 'enqueue' | 'remove'>;
};

/** What Twilio posted: the notification named in the callback's address, and the form's fields. */
export interface DeliveryStatusInput {
  notificationId: string;
  /** MessageSid or CallSid. */
  sid: string;
  /** MessageStatus or CallStatus. */
  status: string;
  /** ErrorCode, on a failed or undelivered message (30003 unreachable, 30005 unknown number, ...). */
  errorCode: string | undefined;
}

/** Not delivered (a message) or not answered (a call). */
const FAILED: ReadonlySet<string> = new Set(['failed', 'undelivered', 'busy', 'no-answer']);
/** Where a message or call ends; the statuses on the way (`queued`, `sent`, `ringing`, ...) are not written down. */
const FINAL: ReadonlySet<string> = new Set([...FAILED, 'delivered', 'read', 'completed', 'canceled']);

/** How long a status waits for the run that sent its message to finish: tries, and the pause between. */
const RUN_WAIT_TRIES = 50;
const RUN_WAIT_MS = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Records a status; a delivery failure brings the person's next rule forward to now. Returns what happened, for the log and tests. */
export async function receiveDeliveryStatus(
  deps: DeliveryStatusDeps,
  input: DeliveryStatusInput,
): Promise<'unknown' | 'recorded' | 'failed-over' | 'failed-last'> {
  if (!UUID.test(input.notificationId) || !FINAL.has(input.status)) return 'unknown';
  const failed = FAILED.has(input.status);
  // Delivered or answered: one note on the row (the common case, kept cheap).
  if (!failed) {
    const noted = await recordDeliveryStatus(deps.db, {
      id: input.notificationId,
      providerRef: input.sid,
      status: input.status,
      failed,
      error: undefined,
    });
    return noted ? 'recorded' : 'unknown';
  }
  const n = await findNotification(deps.db, input.notificationId);
  if (!n || (n.method !== 'sms' && n.method !== 'voice')) return 'unknown';
  const error = input.errorCode && /^\d{1,6}$/.test(input.errorCode) ? input.errorCode : undefined;
  const record = (waitForRun: boolean) =>
    deps.db.transaction(async (tx) => {
      // The run that sent it may still be finishing (Twilio can call back before its answer is
      // recorded): until it commits, its row says 'sending' and the next rule is not planned yet.
      if (waitForRun && !(await tryLockActionByKey(tx, notificationKey(n.pageId, n.ruleIndex)))) return { outcome: 'busy' as const };
      const updated = await recordDeliveryStatus(tx, { id: n.id, providerRef: input.sid, status: input.status, failed: true, error });
      if (!updated) return { outcome: 'unknown' as const };
      const next = await bringForward(tx, notificationKey(n.pageId, n.ruleIndex + 1), deps.clock());
      return next ? { outcome: 'failed-over' as const, next } : { outcome: 'failed-last' as const };
    });
  // Waiting for the run's lock inside a transaction would hold a pooled connection the run itself
  // may need to finish: try, and try again a little later, a few seconds at most.
  let result = await record(true);
  for (let attempt = 1; result.outcome === 'busy' && attempt < RUN_WAIT_TRIES; attempt += 1) {
    await sleep(RUN_WAIT_MS);
    result = await record(attempt < RUN_WAIT_TRIES - 1);
  }
  if (result.outcome === 'busy' || result.outcome === 'unknown') return 'unknown';
  if (result.next) {
    // Its job was delayed until the rule's own time: replaced by one due now.
    await deps.scheduler.remove([result.next.id]);
    await deps.scheduler.enqueue([result.next]);
  }
  deps.metrics.notifications.inc({ method: n.method, outcome: 'failed' });
  deps.logger.warn(
    { notificationId: n.id, method: n.method, status: input.status, nextRuleNow: result.next !== undefined },
    'page notification not delivered',
  );
  return result.outcome;
}
