import { Queue } from 'bullmq';
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

export function createActionQueue(opts: { connection: Redis | Cluster; prefix: string; logger: Logger; clock?: () => Date }): ActionQueue {
  const clock = opts.clock ?? (() => new Date());
  const log = opts.logger.child({ component: 'action-queue' });
  const queue = new Queue<ActionJobPayload>(ACTION_QUEUE, { connection: opts.connection, prefix: opts.prefix });
  queue.on('error', (err) => log.error({ err }, 'queue error'));

  const add: ActionQueue['add'] = async (rows) => {
    if (rows.length === 0) return;
    const now = clock().getTime();
    await queue.addBulk(
      rows.map((row) => {
        if (!isActionKind(row.kind)) throw new Error(`unknown action kind ${row.kind}`);
        return {
          name: row.kind,
          data: { actionId: row.id },
          opts: { ...ACTION_JOB_OPTIONS[row.kind], jobId: row.id, delay: Math.max(0, row.dueAt.getTime() - now) },
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
        log.warn({ err, actionIds: rows.map((r) => r.id) }, 'enqueue failed; the reconciler will retry');
      }
    },
    async remove(ids) {
      await Promise.all(ids.map((id) => queue.remove(id).catch((err: unknown) => log.debug({ err, actionId: id }, 'job not removed'))));
    },
    async close() {
      await queue.close();
    },
  };
}
