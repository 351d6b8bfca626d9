/**
 * What a clock's reminder and miss re-check before acting: the clock still exists, has the
 * version the row was planned for, and its incident is open; anything else is a stale row.
 */
import { findClock, type StoredClock } from '../../db/repos/clocks.js';
import { findIncident, type Incident } from '../../db/repos/incidents.js';
import type { ActionData } from '../../domain/action-catalog.js';
import { isOpen } from '../../domain/lifecycle.js';
import type { ClockDeps } from './deps.js';

export async function loadClockAction(
  deps: Pick<ClockDeps, 'db'>,
  data: ActionData<'clock-miss'>,
): Promise<{ clock: StoredClock; incident: Incident; version: number } | undefined> {
  const clock = await findClock(deps.db, data.clockId);
  if (!clock || clock.version !== data.version) return undefined;
  const incident = await findIncident(deps.db, clock.incidentId);
  if (!incident || !isOpen(incident.status)) return undefined;
  return { clock, incident, version: data.version };
}
