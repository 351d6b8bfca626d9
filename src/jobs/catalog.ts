import { z } from 'zod';
import { UnrecoverableError, type JobsOptions } from 'bullmq';
import { ACTION_CATALOG, type ActionDefinition, type ActionKind, type ActionUrgency } from '../domain/action-catalog.js';
import { isActionKind } from '../domain/scheduled-action.js';

/**
 * Every kind of future action (listed in the domain). A job carries only its `scheduled_actions`
 * row id (never incident text); the job id is that same id, so enqueueing twice is harmless.
 */
export type { ActionKind };

const actionJobPayload = z.object({ actionId: z.string().regex(/^sa-[0-9a-f-]{36}$/) });
export type ActionJobPayload = z.infer<typeof actionJobPayload>;

/**
 * The row id a job carries. A payload that is not one can never succeed, so it throws
 * `UnrecoverableError` and BullMQ fails the job without retrying it.
 */
export function actionIdOf(data: unknown): string {
  const parsed = actionJobPayload.safeParse(data);
  if (!parsed.success) throw new UnrecoverableError('the job carries no scheduled action id');
  return parsed.data.actionId;
}

/** The one queue all scheduled actions go through. */
export const ACTION_QUEUE = 'actions';

/** BullMQ job priorities: lower runs first. */
const PRIORITY = { urgent: 1, soon: 3, normal: 5, bulk: 10 } as const;

/**
 * Retries with backoff, then the job is dropped from Redis: the row stays pending in Postgres
 * and the reconciler enqueues it again, so retrying never stops while the work is undone.
 */
const defaults: JobsOptions = {
  // BullMQ runs lower numbers first, and jobs without a priority before all prioritized ones, so
  // every kind has one. Promoted delayed jobs keep theirs (BullMQ 6.7 moves them to the
  // prioritized set). Pages and missed deadlines (PRIORITY.urgent) are not stuck behind channel set-ups.
  priority: PRIORITY.normal,
  attempts: 6,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: true,
};

/** What each urgency means to BullMQ. */
const BY_URGENCY: Readonly<Record<ActionUrgency, JobsOptions>> = {
  // A page or a missed deadline that failed is retried sooner and longer: a missed page is worse than a duplicate.
  urgent: { ...defaults, priority: PRIORITY.urgent, attempts: 8, backoff: { type: 'exponential', delay: 500 } },
  soon: { ...defaults, priority: PRIORITY.soon },
  normal: defaults,
  bulk: { ...defaults, priority: PRIORITY.bulk },
};

/** A kind's job options, from its urgency in the catalog. */
export function jobOptionsFor(definition: Pick<ActionDefinition<unknown>, 'urgency' | 'waitsForChannel'>): JobsOptions {
  const options = BY_URGENCY[definition.urgency];
  // Waits for the incident's channel, which its set-up may still be opening.
  return definition.waitsForChannel ? { ...options, attempts: 10 } : options;
}

export const ACTION_JOB_OPTIONS: Readonly<Record<ActionKind, JobsOptions>> = Object.fromEntries(
  Object.entries(ACTION_CATALOG).map(([kind, definition]) => [kind, jobOptionsFor(definition)]),
) as Record<ActionKind, JobsOptions>;

export { isActionKind };
