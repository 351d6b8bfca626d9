/**
 * Due -> SMS: how long after its due time a page's SMS reaches the provider, at 50 steps a
 * second, against the floor (bare BullMQ delayed jobs with the same due times, a no-op worker).
 * Rewrites the `sms` section of BENCHMARKS.md.
 *
 * Layout: this process runs the fake Twilio (real HTTP; its arrival stamp is the measure), the
 * zero-latency fake Slack, the bench's inserts and queries, and the floor; the real bot
 * (startMeridian, Twilio configured) runs in bench/escalation-sut.ts, a child process. Each
 * step is a pending `page-notification` row for an open incident's page, whose person has one
 * verified phone and the rule "SMS": the whole path runs (row lock, page, incident and
 * escalation re-checks, rules and contacts, the notification row, Twilio's Messages.json, the
 * SID recorded), and Twilio's status callbacks come back to the bot as they would.
 *
 * Knobs (env): BENCH_SMS_STEPS (3000), BENCH_SMS_SPREAD_S (60), BENCH_SMS_CALLBACKS=0 (the fake sends no
 * status callbacks: to see their cost), BENCH_NO_WRITE=1.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { and, count, eq, inArray } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { Database } from '../src/db/client.js';
import { contactMethods, escalations, incidents, pageNotifications, pages, scheduledActions } from '../src/db/schema/index.js';
import { createActionQueue } from '../src/jobs/action-queue.js';
import { type FakeTwilio, startFakeTwilio } from '../src/sandbox/twilio/fake-twilio.js';
import { startFakeSlack, TEAM_ID, type FakeSlack } from '../tests/fakes/fake-slack.js';
import { ADMIN_DATABASE_URL, ensureTestInfrastructure, TEST_REDIS_URL } from '../tests/support/infra.js';
import { BOT_TOKEN, flushPrefix, SIGNING_SECRET } from '../tests/support/meridian-harness.js';
import { createTestDatabase, testQueuePrefix } from '../tests/support/test-database.js';
import { forkTs, type Child } from './child.js';
import { dueTimes, runFloor } from './escalation-bench.js';
import type { EscalationSutConfig, FromEscalationSut, ToEscalationSut } from './escalation-sut.js';
import { describeMachine, machineLines, writeSection } from './report.js';
import { markdownTable, ms, summarize, table } from './stats.js';

const STEPS = Number(process.env.BENCH_SMS_STEPS ?? 3000);
const SPREAD_S = Number(process.env.BENCH_SMS_SPREAD_S ?? 60);
const USERS = 50;
const LEAD_MS = 5000;
const GRACE_MS = 15_000;
const P99_TARGET_MS = 1000;
const CONCURRENCY = 10; // startMeridian's default worker concurrency
const BENCHMARKS_FILE = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

interface SmsPhase {
  lateness: number[];
  sent: number;
  lost: number;
  doubled: number;
  rowsStillPending: number;
  retriedRows: number;
  callbacksAnswered: number;
  callbacksRefused: number;
  dueBeforeEnqueued: number;
}

/** Inserts the incidents, escalations, pages and rows; enqueues them; waits for the bot; reads what the fake Twilio got. */
async function runSmsPhase(db: Database, twilio: FakeTwilio, prefix: string): Promise<SmsPhase> {
  const users = Array.from({ length: USERS }, (_, i) => ({
    id: `U0SMS${String(i).padStart(4, '0')}`,
    phone: `+3538500${String(i).padStart(5, '0')}`,
  }));
  const t0 = Date.now();
  await db
    .insert(contactMethods)
    .values(users.map((u) => ({ userId: u.id, kind: 'sms' as const, address: u.phone, verifiedAt: new Date(t0) })));
  const dues = dueTimes(t0 + LEAD_MS, SPREAD_S * 1000, STEPS);
  const rows = dues.map((dueAt, i) => ({
    incidentId: randomUUID(),
    escalationId: randomUUID(),
    pageId: randomUUID(),
    actionId: `sa-${randomUUID()}`,
    dueAt,
    user: users[i % USERS]!,
  }));
  const at = new Date(t0);
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await db.insert(incidents).values(
      chunk.map((r, j): typeof incidents.$inferInsert => ({
        id: r.incidentId,
        idempotencyKey: `bench-sms-${i + j}`,
        teamId: TEAM_ID,
        title: `SMS bench ${i + j}`,
        severity: 'sev1',
        category: 'harmful-trend',
        declaredBy: 'U0DECL001',
        declaredAt: at,
        lastUpdateAt: at,
      })),
    );
    await db.insert(escalations).values(
      chunk.map((r): typeof escalations.$inferInsert => ({
        id: r.escalationId,
        incidentId: r.incidentId,
        policyId: 'bench',
        policy: {
          id: 'bench',
          name: 'bench',
          repeat: 0,
          steps: [{ waitMinutes: 60, targets: [{ kind: 'user', user: { kind: 'user', userId: r.user.id } }] }],
        },
        startedAt: at,
        nextStep: 1,
      })),
    );
    await db.insert(pages).values(
      chunk.map((r): typeof pages.$inferInsert => ({
        id: r.pageId,
        incidentId: r.incidentId,
        escalationId: r.escalationId,
        stepNumber: 0,
        userId: r.user.id,
        reason: { kind: 'user' },
        pagedAt: new Date(r.dueAt - 60_000),
      })),
    );
    await db.insert(scheduledActions).values(
      chunk.map((r): typeof scheduledActions.$inferInsert => ({
        id: r.actionId,
        incidentId: r.incidentId,
        kind: 'page-notification',
        dueAt: new Date(r.dueAt),
        data: { pageId: r.pageId, ruleIndex: 0 },
        dedupeKey: `notify:${r.pageId}:0`,
      })),
    );
  }
  const producer = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = createActionQueue({ connection: producer, prefix, logger: pino({ level: 'silent' }) });
  try {
    for (let i = 0; i < rows.length; i += 1000) {
      await queue.add(rows.slice(i, i + 1000).map((r) => ({ id: r.actionId, kind: 'page-notification', dueAt: new Date(r.dueAt) })));
    }
  } finally {
    await queue.close();
    producer.disconnect();
  }
  const enqueued = Date.now();
  const lastDue = Math.max(...dues);
  const actionIds = rows.map((r) => r.actionId);
  const pending = async () => {
    let n = 0;
    for (let i = 0; i < actionIds.length; i += 5000) {
      const [row] = await db
        .select({ n: count() })
        .from(scheduledActions)
        .where(and(eq(scheduledActions.status, 'pending'), inArray(scheduledActions.id, actionIds.slice(i, i + 5000))));
      n += row?.n ?? 0;
    }
    return n;
  };
  await sleep(Math.max(0, lastDue - Date.now()));
  while ((await pending()) > 0 && Date.now() < lastDue + GRACE_MS) await sleep(250);
  await sleep(1000); // the last status callbacks

  const duePerPage = new Map<string, number>(rows.map((r) => [r.pageId, r.dueAt]));
  const notes = await db
    .select({ pageId: pageNotifications.pageId, providerRef: pageNotifications.providerRef, status: pageNotifications.status })
    .from(pageNotifications);
  const arrival = new Map(twilio.messages.map((m) => [m.sid, m.dateCreated.getTime()]));
  const lateness: number[] = [];
  for (const n of notes) {
    const due = duePerPage.get(n.pageId);
    const got = n.providerRef ? arrival.get(n.providerRef) : undefined;
    if (due !== undefined && got !== undefined) lateness.push(got - due);
  }
  const perPhoneAndRef = new Map<string, number>();
  for (const m of twilio.messages) {
    const ref = /\(ref ([0-9a-f]{8})\)/.exec(m.body)?.[1] ?? m.sid;
    perPhoneAndRef.set(`${m.to}|${ref}`, (perPhoneAndRef.get(`${m.to}|${ref}`) ?? 0) + 1);
  }
  const finished = await db
    .select({ attempts: scheduledActions.attempts })
    .from(scheduledActions)
    .where(inArray(scheduledActions.id, actionIds.slice(0, 5000)));
  return {
    lateness,
    sent: twilio.messages.length,
    lost: rows.length - lateness.length,
    doubled: [...perPhoneAndRef.values()].filter((c) => c > 1).length,
    rowsStillPending: await pending(),
    retriedRows: finished.filter((f) => f.attempts > 0).length,
    callbacksAnswered: twilio.statusCallbacks.filter((c) => c.answered === 204).length,
    callbacksRefused: twilio.statusCallbacks.filter((c) => c.answered !== 204).length,
    dueBeforeEnqueued: dues.filter((d) => d < enqueued).length,
  };
}

async function main(): Promise<void> {
  await ensureTestInfrastructure();
  const machine = await describeMachine(ADMIN_DATABASE_URL, TEST_REDIS_URL);
  const loadBefore = os.loadavg();
  let fake: FakeSlack | undefined;
  let twilio: FakeTwilio | undefined;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let bot: Child<ToEscalationSut, FromEscalationSut> | undefined;
  const prefix = testQueuePrefix(import.meta.url);
  const started = Date.now();
  try {
    fake = await startFakeSlack({ token: BOT_TOKEN });
    const feedChannelId = fake.addChannel({ name: 'incidents-feed', botIsMember: true });
    twilio = await startFakeTwilio({ statusCallbacks: process.env.BENCH_SMS_CALLBACKS !== '0' });
    database = await createTestDatabase(import.meta.url);
    await flushPrefix(prefix);
    const cfg: EscalationSutConfig = {
      signingSecret: SIGNING_SECRET,
      botToken: BOT_TOKEN,
      slackApiUrl: fake.url,
      databaseUrl: database.url,
      redisUrl: TEST_REDIS_URL,
      queuePrefix: prefix,
      feedChannelId,
      env: {
        TWILIO_ACCOUNT_SID: twilio.accountSid,
        TWILIO_AUTH_TOKEN: twilio.authToken,
        TWILIO_FROM: twilio.number,
        TWILIO_API_URL: twilio.url,
      },
    };
    bot = forkTs<ToEscalationSut, FromEscalationSut>(new URL('./escalation-sut.ts', import.meta.url), {
      name: 'meridian',
      env: { BENCH_ESCALATION_SUT: JSON.stringify(cfg) },
    });
    await bot.next('ready');

    console.log(`floor: ${STEPS} bare BullMQ delayed jobs over ${SPREAD_S} s, no-op worker, concurrency ${CONCURRENCY} ...`);
    const floor = await runFloor({
      redisUrl: TEST_REDIS_URL,
      prefix,
      dues: dueTimes(Date.now() + 3000, SPREAD_S * 1000, STEPS),
      concurrency: CONCURRENCY,
      graceMs: GRACE_MS,
    });
    console.log(`meridian: ${STEPS} page notifications (SMS) over ${SPREAD_S} s ...`);
    const sms = await runSmsPhase(database.db, twilio, prefix);
    const loadAfter = os.loadavg();

    const f = summarize(floor.lateness);
    const m = summarize(sms.lateness);
    const header = ['lateness (ms after due)', 'bare BullMQ', 'Meridian: SMS at Twilio', 'Meridian / bare'];
    const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}x` : 'n/a');
    const row = (label: string, a: number, b: number) => [label, ms(a, 1), ms(b, 1), ratio(b, a)];
    const rowsOut = [
      row('p50', f.p50, m.p50),
      row('p95', f.p95, m.p95),
      row('p99', f.p99, m.p99),
      row('max', f.max, m.max),
      ['measured', String(f.count), String(m.count), ''],
      ['lost (never sent)', String(floor.lost), String(sms.lost), ''],
      ['doubled', String(floor.doubled), String(sms.doubled), ''],
    ];
    const met = m.count > 0 && m.p99 < P99_TARGET_MS;
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
    const describe = [
      `${STEPS.toLocaleString('en-US')} pending \`page-notification\` rows (${Math.round(STEPS / SPREAD_S)} per second over ${SPREAD_S} s), one per open SEV1's page, each person (${USERS} in turn) with one verified phone and the rule "SMS", enqueued as delayed jobs through the real \`createActionQueue\` and run by the real bot (\`startMeridian\`, worker concurrency ${CONCURRENCY}) in a child process. The bot sends each through its Twilio gateway to the fake Twilio (real HTTP, in the bench process); lateness is the fake's arrival stamp of the Messages.json request minus \`due_at\`. Twilio's status callbacks (\`sent\`, \`delivered\`) went back to the bot as they would: ${sms.callbacksAnswered} answered 204, ${sms.callbacksRefused} otherwise. ${sms.retriedRows} rows needed a retry; ${sms.rowsStillPending} still pending at the end; ${sms.dueBeforeEnqueued} were due before enqueueing finished. Floor: the same number of bare BullMQ delayed jobs with the same spread, a no-op worker of the same concurrency, run just before. Whole run ${((Date.now() - started) / 1000).toFixed(0)} s.`,
      '',
      `Machine load average (1/5/15 min) before ${load(loadBefore)}, after ${load(loadAfter)}: other work shared this 2-core machine during the run (other sessions' tests and builds), so these figures are pessimistic.`,
    ];
    const verdict = `- Due -> SMS request at the provider, p99 under ${P99_TARGET_MS} ms at ${Math.round(STEPS / SPREAD_S)} steps/s: ${met ? 'MET' : 'MISSED'} (${m.count ? `${ms(m.p99, 1)} ms` : 'nothing measured'}; bare BullMQ p99 ${ms(f.p99, 1)} ms)`;
    console.log(`\n${table(header, rowsOut)}\n\n${verdict}\n\n${describe.join('\n')}\n`);
    if (process.env.BENCH_NO_WRITE !== '1') {
      writeSection(
        BENCHMARKS_FILE,
        'sms',
        [
          '## Due to SMS (paging beyond Slack)',
          '',
          ...machineLines(machine),
          '',
          ...describe,
          '',
          markdownTable(header, rowsOut),
          '',
          '### Target',
          '',
          verdict,
        ].join('\n'),
      );
      console.log('BENCHMARKS.md: sms section rewritten');
    }
  } finally {
    await bot?.stop({ type: 'stop' }).catch(() => {});
    await flushPrefix(prefix).catch(() => {});
    await database?.drop().catch((err: unknown) => console.error('could not drop the bench database', err));
    await twilio?.close();
    await fake?.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
