/**
 * Twilio's status callbacks (`POST /webhooks/twilio/status?n=<notification>`): Twilio took an
 * SMS or a call, and later says what became of it. A message that was not delivered
 * (`failed`, `undelivered`) or a call nobody took (`busy`, `no-answer`, `failed`) is a failed
 * notification like a provider refusal: recorded on its row, counted, and the person's next
 * rule runs at once instead of at its own time. Any other status is only recorded.
 */
import { findNotification, recordDeliveryStatus } from '../../db/repos/contacts.js';
import { bringForward, waitForActionByKey } from '../../db/repos/scheduled-actions.js';
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

const FAILED: Readonly<Record<'sms' | 'voice', readonly string[]>> = {
  sms: ['failed', 'undelivered'],
  voice: ['busy', 'no-answer', 'failed'],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Records a status; a delivery failure brings the person's next rule forward to now. Returns what happened, for the log and tests. */
export async function receiveDeliveryStatus(
  deps: DeliveryStatusDeps,
  input: DeliveryStatusInput,
): Promise<'unknown' | 'recorded' | 'failed-over' | 'failed-last'> {
  if (!UUID.test(input.notificationId) || !/^[a-z-]{1,20}$/.test(input.status)) return 'unknown';
  const n = await findNotification(deps.db, input.notificationId);
  if (!n || (n.method !== 'sms' && n.method !== 'voice')) return 'unknown';
  const failed = FAILED[n.method].includes(input.status);
  const now = deps.clock();
  const result = await deps.db.transaction(async (tx) => {
    // The run that sent it may still be finishing (Twilio can call back before its answer is
    // recorded): wait for it, so its row says 'sent' and the next rule it planned is visible.
    await waitForActionByKey(tx, notificationKey(n.pageId, n.ruleIndex));
    const error = input.errorCode && /^\d{1,6}$/.test(input.errorCode) ? input.errorCode : undefined;
    const updated = await recordDeliveryStatus(tx, { id: n.id, providerRef: input.sid, status: input.status, failed, error });
    if (!updated) return { outcome: 'unknown' as const };
    if (!failed) return { outcome: 'recorded' as const };
    const next = await bringForward(tx, notificationKey(n.pageId, n.ruleIndex + 1), now);
    return next ? { outcome: 'failed-over' as const, next } : { outcome: 'failed-last' as const };
  });
  if (result.outcome === 'unknown' || result.outcome === 'recorded') return result.outcome;
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
