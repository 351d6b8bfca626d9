/**
 * Escalation firing lateness: pending `escalation-step` rows spread over the next minute,
 * enqueued through the real action queue and run by the real bot (a child process), against
 * the floor: bare BullMQ delayed jobs with the same due times and a no-op worker.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker } from 'bullmq';
import { and, count, eq, inArray, lte } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { Database } from '../src/db/client.js';
import { escalations, incidents, pages, scheduledActions, timelineEntries } from '../src/db/schema/index.js';
import { createActionQueue } from '../src/jobs/action-queue.js';
import type { FakeSlack } from '../tests/fakes/fake-slack.js';
import { TEAM_ID } from '../tests/fakes/fake-slack.js';

/** Evenly spaced due times over [start, start + spreadMs). */
export function dueTimes(start: number, spreadMs: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.round(start + ((i + 0.5) * spreadMs) / n));
}

export interface FloorResult {
  lateness: number[];
  lost: number;
  doubled: number;
  enqueueMs: number;
}

/** Bare BullMQ: delayed jobs due at `dues`, a no-op worker recording `Date.now() - dueAt`. */
export async function runFloor(opts: {
  redisUrl: string;
  prefix: string;
  dues: number[];
  concurrency: number;
  graceMs: number;
}): Promise<FloorResult> {
  const producer = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const blocking = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue<{ dueAt: number }>('bench-floor', { connection: producer, prefix: opts.prefix });
  const seen = new Map<string, number>();
  const lateness: number[] = [];
  const worker = new Worker<{ dueAt: number }>(
    'bench-floor',
    async (job) => {
      lateness.push(Date.now() - job.data.dueAt);
      seen.set(job.id!, (seen.get(job.id!) ?? 0) + 1);
    },
    { connection: blocking, prefix: opts.prefix, concurrency: opts.concurrency },
  );
  queue.on('error', (err) => console.error('floor queue error', err));
  worker.on('error', (err) => console.error('floor worker error', err));
  try {
    const t0 = Date.now();
    for (let i = 0; i < opts.dues.length; i += 1000) {
      const now = Date.now();
      await queue.addBulk(
        opts.dues.slice(i, i + 1000).map((dueAt, j) => ({
          name: 'floor',
          data: { dueAt },
          opts: { jobId: `floor-${i + j}`, delay: Math.max(0, dueAt - now), removeOnComplete: true, removeOnFail: true },
        })),
      );
    }
    const enqueueMs = Date.now() - t0;
    const deadline = Math.max(...opts.dues) + opts.graceMs;
    while (seen.size < opts.dues.length && Date.now() < deadline) await sleep(200);
    return {
      lateness,
      lost: opts.dues.length - seen.size,
      doubled: [...seen.values()].filter((c) => c > 1).length,
      enqueueMs,
    };
  } finally {
    await worker.close();
    await queue.close();
    producer.disconnect();
    blocking.disconnect();
  }
}

export interface MeridianPhaseResult {
  steps: number;
  users: number;
  /** DM arrival at the fake Slack minus due_at, ms, one per delivered page. */
  dmLateness: number[];
  /** DM arrival at the fake Slack (epoch ms), one per delivered page, in the order of dmLateness. */
  dmArrivals: number[];
  /** pages.paged_at (the handler's clock, after the row lock) minus due_at. */
  handlerLateness: number[];
  /** scheduled_actions.finished_at (row marked done) minus due_at. */
  doneLateness: number[];
  /** Rows still pending at the end, or escalations without a delivered page. */
  lost: number;
  rowsStillPending: number;
  escalationsWithoutDm: number;
  /** More than one DM for one (escalation, step, user), more than one `paged` timeline entry per incident, or more than one follow-up row. */
  doubled: number;
  extraDms: number;
  doubledTimeline: number;
  doubledFollowUps: number;
  retriedRows: number;
  insertMs: number;
  enqueueMs: number;
  /** Rows already due when enqueueing finished (the lead was too short): should be 0. */
  dueBeforeEnqueued: number;
  slackCalls: Record<string, number>;
}

const USERS = 50;

/** Inserts the incidents, escalations and rows, enqueues them, and waits for the bot to run them. */
export async function runMeridianPhase(opts: {
  fake: FakeSlack;
  db: Database;
  redisUrl: string;
  prefix: string;
  steps: number;
  spreadMs: number;
  leadMs: number;
  graceMs: number;
  /** Keeps incident keys and channel names unique when one database sees several runs (a warm-up, then the measured run). */
  label?: string;
}): Promise<MeridianPhaseResult> {
  const label = opts.label ?? '';
  const { fake, db } = opts;
  const userIds = Array.from({ length: USERS }, (_, i) => `U0ESC${String(i).padStart(4, '0')}`);
  for (const id of userIds) fake.addUser({ id, name: id.toLowerCase(), realName: `Escalation ${id}` });
  const channelIds = Array.from({ length: opts.steps }, (_, i) => fake.addChannel({ name: `inc-esc-${label}${i}`, botIsMember: true }));
  fake.reset();

  const t0 = Date.now();
  const dues = dueTimes(t0 + opts.leadMs, opts.spreadMs, opts.steps);
  const declaredAt = new Date(t0);
  const rows = dues.map((dueAt, i) => ({
    incidentId: randomUUID(),
    escalationId: randomUUID(),
    actionId: `sa-${randomUUID()}`,
    dueAt,
    userId: userIds[i % USERS]!,
    channelId: channelIds[i]!,
  }));
  const dueByEscalation = new Map<string, number>(rows.map((r) => [r.escalationId, r.dueAt]));
  const dueByAction = new Map<string, number>(rows.map((r) => [r.actionId, r.dueAt]));
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await db.insert(incidents).values(
      chunk.map((r, j): typeof incidents.$inferInsert => ({
        id: r.incidentId,
        idempotencyKey: `bench-escalation-${label}${i + j}`,
        teamId: TEAM_ID,
        title: `Escalation bench ${i + j}`,
        severity: 'sev2',
        category: 'harmful-trend',
        declaredBy: 'U0DECL001',
        declaredAt,
        channelId: r.channelId,
        channelName: `inc-esc-${label}${i + j}`,
        lastUpdateAt: declaredAt,
      })),
    );
    await db.insert(escalations).values(
      chunk.map((r): typeof escalations.$inferInsert => ({
        id: r.escalationId,
        incidentId: r.incidentId,
        policyId: 'bench',
        // One step paging one person, then a long wait: the follow-up is planned but not due in the run.
        policy: {
          id: 'bench',
          name: 'bench',
          repeat: 0,
          steps: [{ waitMinutes: 60, targets: [{ kind: 'user', user: { kind: 'user', userId: r.userId } }] }],
        },
        startedAt: declaredAt,
      })),
    );
    await db.insert(scheduledActions).values(
      chunk.map((r): typeof scheduledActions.$inferInsert => ({
        id: r.actionId,
        incidentId: r.incidentId,
        kind: 'escalation-step',
        dueAt: new Date(r.dueAt),
        data: { escalationId: r.escalationId, stepNumber: 0 },
      })),
    );
  }
  const insertMs = Date.now() - t0;

  const producer = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const queue = createActionQueue({ connection: producer, prefix: opts.prefix, logger: pino({ level: 'silent' }) });
  const t1 = Date.now();
  try {
    for (let i = 0; i < rows.length; i += 1000) {
      await queue.add(rows.slice(i, i + 1000).map((r) => ({ id: r.actionId, kind: 'escalation-step', dueAt: new Date(r.dueAt) })));
    }
  } finally {
    await queue.close();
    producer.disconnect();
  }
  const enqueued = Date.now();
  const enqueueMs = enqueued - t1;
  const dueBeforeEnqueued = dues.filter((d) => d < enqueued).length;

  // Wait until no first step is pending (bounded).
  const lastDue = Math.max(...dues);
  const deadline = lastDue + opts.graceMs;
  const pendingFirstSteps = async () => {
    const [row] = await db
      .select({ n: count() })
      .from(scheduledActions)
      .where(
        and(
          eq(scheduledActions.status, 'pending'),
          eq(scheduledActions.kind, 'escalation-step'),
          lte(scheduledActions.dueAt, new Date(lastDue)),
        ),
      );
    return row?.n ?? 0;
  };
  await sleep(Math.max(0, lastDue - Date.now()));
  while ((await pendingFirstSteps()) > 0 && Date.now() < deadline) await sleep(250);
  await sleep(500); // let the last DMs' bookkeeping land

  // What happened.
  const actionRows = await db
    .select({
      id: scheduledActions.id,
      status: scheduledActions.status,
      finishedAt: scheduledActions.finishedAt,
      attempts: scheduledActions.attempts,
      data: scheduledActions.data,
    })
    .from(scheduledActions)
    .where(eq(scheduledActions.kind, 'escalation-step'));
  const firstRows = actionRows.filter((r) => dueByAction.has(r.id));
  // Follow-ups of this run's escalations only (an earlier run's rows may share the database).
  const followUps = actionRows.filter((r) => !dueByAction.has(r.id) && dueByEscalation.has(String(r.data.escalationId)));
  const rowsStillPending = firstRows.filter((r) => r.status === 'pending').length;
  const doneLateness = firstRows.filter((r) => r.finishedAt).map((r) => r.finishedAt!.getTime() - dueByAction.get(r.id)!);
  const retriedRows = firstRows.filter((r) => r.attempts > 0).length;
  const followUpsPerEscalation = new Map<string, number>();
  for (const f of followUps) {
    const id = String(f.data.escalationId);
    followUpsPerEscalation.set(id, (followUpsPerEscalation.get(id) ?? 0) + 1);
  }
  const doubledFollowUps = [...followUpsPerEscalation.values()].filter((c) => c > 1).length;

  const pageRows = await db
    .select({
      escalationId: pages.escalationId,
      stepNumber: pages.stepNumber,
      pagedAt: pages.pagedAt,
      dmChannelId: pages.dmChannelId,
      dmTs: pages.dmTs,
    })
    .from(pages)
    .where(eq(pages.stepNumber, 0));
  const handlerLateness = pageRows
    .filter((p) => dueByEscalation.has(p.escalationId))
    .map((p) => p.pagedAt.getTime() - dueByEscalation.get(p.escalationId)!);

  const dmCalls = fake.callsTo('chat.postMessage').filter((c) => String(c.args.channel).startsWith('U0ESC') && c.status === 200);
  const dmAt = new Map<string, number>();
  for (const call of dmCalls) {
    const res = call.response as { channel?: string; ts?: string };
    dmAt.set(`${res.channel}|${res.ts}`, call.at);
  }
  const myPages = pageRows.filter((p) => dueByEscalation.has(p.escalationId));
  const dmLateness: number[] = [];
  const dmArrivals: number[] = [];
  let escalationsWithoutDm = 0;
  for (const p of myPages) {
    const at = p.dmTs ? dmAt.get(`${p.dmChannelId}|${p.dmTs}`) : undefined;
    if (at === undefined) escalationsWithoutDm += 1;
    else {
      dmLateness.push(at - dueByEscalation.get(p.escalationId)!);
      dmArrivals.push(at);
    }
  }
  const pagedEscalations = new Set(myPages.map((p) => p.escalationId));
  escalationsWithoutDm += rows.filter((r) => !pagedEscalations.has(r.escalationId)).length;
  // Pages are unique per (escalation, step, user); a DM Slack got beyond one per delivered page is a second send.
  const extraDms = Math.max(0, dmCalls.length - myPages.filter((p) => p.dmTs).length);

  const incidentIds = rows.map((r) => r.incidentId);
  let doubledTimeline = 0;
  for (let i = 0; i < incidentIds.length; i += 5000) {
    const counts = await db
      .select({ incidentId: timelineEntries.incidentId, n: count() })
      .from(timelineEntries)
      .where(and(eq(timelineEntries.kind, 'paged'), inArray(timelineEntries.incidentId, incidentIds.slice(i, i + 5000))))
      .groupBy(timelineEntries.incidentId);
    doubledTimeline += counts.filter((c) => c.n > 1).length;
  }

  const slackCalls: Record<string, number> = {};
  for (const call of fake.calls) slackCalls[call.method] = (slackCalls[call.method] ?? 0) + 1;

  return {
    steps: rows.length,
    users: USERS,
    dmLateness,
    dmArrivals,
    handlerLateness,
    doneLateness,
    lost: Math.max(rowsStillPending, escalationsWithoutDm),
    rowsStillPending,
    escalationsWithoutDm,
    doubled: extraDms + doubledTimeline + doubledFollowUps,
    extraDms,
    doubledTimeline,
    doubledFollowUps,
    retriedRows,
    insertMs,
    enqueueMs,
    dueBeforeEnqueued,
    slackCalls,
  };
}
