import type { Db } from '../../db/client.js';
import { loadSchedules } from '../../db/repos/schedules.js';
import { onCallAt } from '../../domain/rotation.js';

/** Whoever is on call at `now` in each schedule (overrides included), each person once. */
export async function onCallNow(db: Db, now: Date): Promise<string[]> {
  const schedules = await loadSchedules(db, { overridesEndingAfter: now });
  const people = schedules.map((s) => onCallAt(s, now)?.userId).filter((id): id is string => id !== undefined);
  return [...new Set(people)];
}
