/**
 * `/incident deadline …`: setting, moving, pausing, resuming, extending and clearing an
 * incident's clocks, one file per use case. Each change is one transaction that bumps the
 * clock's version and re-plans its reminders and miss; the old plan's rows are cancelled, and
 * one that fires anyway finds a newer version.
 */
import { incidentRef } from '../../blocks/incident-messages.js';
import { clocksOfIncident } from '../../db/repos/clocks.js';
import { isOpen } from '../../domain/lifecycle.js';
import { UserError } from '../../errors.js';
import type { DeadlineCommand } from '../../domain/clock-command.js';
import { locateIncident, requireChanger } from '../incident/context.js';
import type { ClockDeps } from './deps.js';
import { withPlanning } from '../../jobs/plan.js';
import { afterChange } from './change-shared.js';
import { dueOf, setClock } from './set-deadline.js';
import { clearClock } from './clear-deadline.js';
import { pauseOrResume } from './pause-deadline.js';
import { extendClock } from './extend-deadline.js';

/** `/incident deadline …` in an incident channel. */
export async function changeDeadline(
  deps: ClockDeps,
  input: { userId: string; channelId: string; command: DeadlineCommand },
): Promise<string> {
  const { command } = input;
  if (command.op === 'error') throw new UserError('invalid_deadline', command.error);
  const incident = await locateIncident(deps, { channelId: input.channelId }, input.userId);
  if (!isOpen(incident.status))
    throw new UserError('incident_closed', `${incidentRef(incident)} is no longer open; its clocks are stopped.`);
  await requireChanger(deps, incident, input.userId, `clock.${command.op}`);
  const now = deps.clock();
  const due = command.op === 'set' ? await dueOf(deps, input.userId, command.when, now) : undefined;
  const changed = await withPlanning(deps, async (planning) => {
    const clocks = await clocksOfIncident(planning.tx, incident.id);
    switch (command.op) {
      case 'set':
        return setClock(deps, planning, incident, clocks, command, due as Exclude<typeof due, undefined>, input.userId, now);
      case 'clear':
        return clearClock(planning, incident, clocks, command.rest, input.userId, now, deps.meridian.retention?.holds ?? []);
      case 'pause':
      case 'resume':
        return pauseOrResume(planning, incident, clocks, command.op, command.rest, input.userId, now, deps.meridian.deadlines ?? []);
      case 'extend':
        return extendClock(planning, incident, clocks, command.name, command.minutes, command.reason, input.userId, now);
    }
  });
  return afterChange(deps, incident, changed);
}
