import { and, asc, desc, eq, gt, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { configSnapshots, scheduleOverrides, schedules } from '../schema/index.js';
import type { Schedule } from '../../domain/schedule.js';

export type ScheduleOverrideRow = typeof scheduleOverrides.$inferSelect;

/**
 * Replaces the file's schedules and file overrides with `next`, keeping overrides set from
 * Slack, and records the config it came from. Schedules the file no longer has are removed.
 */
export async function replaceSchedulesFromFile(
  db: Db,
  next: readonly Schedule[],
  configBody: Record<string, unknown>,
  at: Date,
): Promise<void> {
  const ids = next.map((s) => s.id);
  if (ids.length > 0) await db.delete(schedules).where(notInArray(schedules.id, ids));
  else await db.delete(schedules);
  for (const s of next) {
    await db
      .insert(schedules)
      .values({ id: s.id, name: s.name, layers: s.layers, syncedAt: at })
      .onConflictDoUpdate({ target: schedules.id, set: { name: s.name, layers: s.layers, syncedAt: at } });
    await db.delete(scheduleOverrides).where(and(eq(scheduleOverrides.scheduleId, s.id), eq(scheduleOverrides.source, 'file')));
    if (s.overrides.length > 0) {
      await db.insert(scheduleOverrides).values(
        s.overrides.map((o): typeof scheduleOverrides.$inferInsert => ({
          scheduleId: s.id,
          userId: o.user,
          startsAt: o.from,
          endsAt: o.to,
          source: 'file',
          createdBy: null,
        })),
      );
    }
  }
  await db.insert(configSnapshots).values({ syncedAt: at, body: configBody });
}

/**
 * Schedules with their overrides that end after `overridesEndingAfter`. Slack overrides come
 * first, newest first: the latest decision made in Slack wins over the file.
 */
export async function loadSchedules(db: Db, opts: { ids?: readonly string[]; overridesEndingAfter: Date }): Promise<Schedule[]> {
  const rows = await db
    .select()
    .from(schedules)
    .where(opts.ids ? inArray(schedules.id, [...opts.ids]) : undefined)
    .orderBy(asc(schedules.id));
  if (rows.length === 0) return [];
  const overrides = await db
    .select()
    .from(scheduleOverrides)
    .where(
      and(
        inArray(
          scheduleOverrides.scheduleId,
          rows.map((r) => r.id),
        ),
        gt(scheduleOverrides.endsAt, opts.overridesEndingAfter),
      ),
    )
    .orderBy(sql`case when ${scheduleOverrides.source} = 'slack' then 0 else 1 end`, desc(scheduleOverrides.createdAt));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    // Layers survive JSON as plain data; only overrides carry Dates, and they have their own table.
    layers: r.layers,
    overrides: overrides.filter((o) => o.scheduleId === r.id).map((o) => ({ user: o.userId, from: o.startsAt, to: o.endsAt })),
  }));
}

export async function insertOverride(
  db: Db,
  row: { scheduleId: string; userId: string; startsAt: Date; endsAt: Date; createdBy: string },
): Promise<ScheduleOverrideRow> {
  const [created] = await db
    .insert(scheduleOverrides)
    .values({ ...row, source: 'slack' })
    .returning();
  if (!created) throw new Error('insert into schedule_overrides returned no row');
  return created;
}

/** One override by id, or undefined. */
export async function findOverride(db: Db, id: string): Promise<ScheduleOverrideRow | undefined> {
  const [row] = await db.select().from(scheduleOverrides).where(eq(scheduleOverrides.id, id));
  return row;
}

/** Removes an override; true when a row was removed (false when it was already gone). */
export async function deleteOverride(db: Db, id: string): Promise<boolean> {
  const removed = await db.delete(scheduleOverrides).where(eq(scheduleOverrides.id, id)).returning({ id: scheduleOverrides.id });
  return removed.length > 0;
}

/** What the database holds now from the last sync: how many schedules, and the last synced config's policies. */
export async function syncedConfigCounts(db: Db): Promise<{ schedules: number; policies: number }> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(schedules);
  const [last] = await db.select({ body: configSnapshots.body }).from(configSnapshots).orderBy(desc(configSnapshots.syncedAt)).limit(1);
  const policies = (last?.body as { escalationPolicies?: unknown } | undefined)?.escalationPolicies;
  return { schedules: Number(row?.n ?? 0), policies: Array.isArray(policies) ? policies.length : 0 };
}
