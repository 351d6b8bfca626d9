import { type JobsOptions, Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { ACTION_JOB_OPTIONS, ACTION_QUEUE, isActionKind, type ActionJobPayload } from './catalog.js';

/** What a service needs to hand its new rows to BullMQ after its transaction commits. */
export interface ActionScheduler {
  /** Best effort: a failure is logged, and the reconciler enqueues the rows later. */
  enqueue(rows: ReadonlyArray<{ id: string; kind: string; dueAt: Date }>): Promise<void>;
  /** Best effort: a row no longer pending makes a job that still fires harmless. */
  remove(ids: readonly string[]): Promise<void>;
}

export interface ActionQueue extends ActionScheduler {
  queue: Queue<ActionJobPayload>;
  /** The producer connection, for the reconciler's batched look-ups. */
  redis: Redis | Cluster;
  /** Adds jobs and lets errors through, for the reconciler. */
  add(rows: ReadonlyArray<{ id: string; kind: string; dueAt: Date }>): Promise<void>;
  close(): Promise<void>;
}

/** Rows kept for re-enqueueing after a Redis outage, at most. */
const UNSENT_CAP = 10_000;

/** The kind's job options, its retry backoff multiplied by `scale` (JOB_BACKOFF_SCALE; 1 leaves them as the catalog says). */
function jobOptions(kind: keyof typeof ACTION_JOB_OPTIONS, scale: number): JobsOptions {
  const options = ACTION_JOB_OPTIONS[kind];
  const { backoff } = options;
  if (scale === 1 || typeof backoff !== 'object' || backoff.delay === undefined) return options;
  return { ...options, backoff: { ...backoff, delay: Math.max(1, Math.round(backoff.delay * scale)) } };
}

export function createActionQueue(opts: {
  connection: Redis | Cluster;
  prefix: string;
  logger: Logger;
  clock?: () => Date;
  /** JOB_BACKOFF_SCALE: every kind's backoff delay times this (default 1). */
  backoffScale?: number;
}): ActionQueue {
  const clock = opts.clock ?? (() => new Date());
  const backoffScale = opts.backoffScale ?? 1;
  const log = opts.logger.child({ component: 'action-queue' });
  const queue = new Queue<ActionJobPayload>(ACTION_QUEUE, { connection: opts.connection, prefix: opts.prefix });
  queue.on('error', (err) => log.error({ err }, 'queue error'));

  // Rows whose enqueue failed while Redis was away: added again as soon as the connection is
  // ready, so a step planned during a Redis restart is not left for the next reconcile (up to a
  // minute late). Adding is idempotent (the job id is the row id); past the cap the reconciler
  // still finds every pending row.
  const unsent = new Map<string, { id: string; kind: string; dueAt: Date }>();
  const resend = () => {
    if (unsent.size === 0) return;
    const rows = [...unsent.values()];
    unsent.clear();
    add(rows).then(
      () => log.info({ count: rows.length }, 'enqueued rows that failed while Redis was away'),
      (err: unknown) => {
        log.warn({ err, count: rows.length }, 'enqueue after reconnect failed; the reconciler will retry');
        for (const row of rows) if (unsent.size < UNSENT_CAP) unsent.set(row.id, row);
      },
    );
  };
  opts.connection.on('ready', resend);

  const add: ActionQueue['add'] = async (rows) => {
    if (rows.length === 0) return;
    const now = clock().getTime();
    await queue.addBulk(
      rows.map((row) => {
        if (!isActionKind(row.kind)) throw new Error(`unknown action kind ${row.kind}`);
        return {
          name: row.kind,
          data: { actionId: row.id },
          opts: { ...jobOptions(row.kind, backoffScale), jobId: row.id, delay: Math.max(0, row.dueAt.getTime() - now) },
        };
      }),
    );
  };

  return {
    queue,
    redis: opts.connection,
    add,
    async enqueue(rows) {
      try {
        await add(rows);
      } catch (err) {
        log.warn({ err, actionIds: rows.map((r) => r.id) }, 'enqueue failed; enqueued again when Redis is back (and by the reconciler)');
        for (const row of rows) if (unsent.size < UNSENT_CAP) unsent.set(row.id, row);
      }
    },
    async remove(ids) {
      await Promise.all(ids.map((id) => queue.remove(id).catch((err: unknown) => log.debug({ err, actionId: id }, 'job not removed'))));
    },
    async close() {
      opts.connection.off('ready', resend);
      await queue.close();
    },
  };
}
