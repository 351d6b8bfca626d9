import { clockMissAcknowledgedDm, deadlinesListMessage, type RenderedMessage } from '../../blocks/clock-messages.js';
import { incidentRef } from '../../blocks/incident-messages.js';
import { findClock, lockClock, missAcknowledged, openClocksVisibleTo } from '../../db/repos/clocks.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import type { DeadlineCommand } from '../../domain/clock-command.js';
import { NotFound, PermissionDenied, UserError } from '../../errors.js';
import { escapeMrkdwn, userMention } from '../../slack-api/mrkdwn.js';
import { incidentForUser } from '../incident-access.js';
import type { IncidentLocator } from '../incident/index.js';
import type { View } from '@slack/types';
import { clockRespondModal } from '../../blocks/clock-respond-modal.js';
import { isOpenClock } from '../../domain/clocks.js';
import { locateIncident, requireChanger } from '../incident/context.js';
import { answerClock, undoResponse } from './answer-deadline.js';
import { changeDeadline } from './change.js';
import type { ClockDeps } from './deps.js';

export type { ClockDeps } from './deps.js';

/**
 * Response clocks from Slack: each returns what to tell the caller, empty when the incident channel
 * already has the line (the record): the caller is not sent the same text again.
 */
export interface ClockServices {
  /** `/incident deadline …` in an incident channel. */
  deadline(input: { userId: string; channelId: string; command: DeadlineCommand }): Promise<string>;
  /** `/incident responded [name] [note]`, or the card's "Mark responded" modal (the clock id, when it was done, the evidence). */
  responded(input: {
    userId: string;
    where?: IncidentLocator;
    note?: string;
    clockId?: string;
    at?: Date;
    evidence?: string | null;
  }): Promise<string>;
  /** The "Mark responded" modal for a clock still to answer, to someone who may change its incident. */
  respondForm(input: { userId: string; clockId: string }): Promise<View>;
  /** `/incident responded undo [name]`: takes back a wrongly recorded response, audited. */
  undoResponse(input: { userId: string; channelId: string; rest: string }): Promise<string>;
  /** `/incident deadlines`: every running clock the reader may see, soonest first. */
  list(input: { userId: string; teamId: string }): Promise<RenderedMessage>;
  /**
   * "Acknowledge" on a missed deadline's DM, by one of the people it was sent to (or an admin),
   * once: recorded, said in the channel, and that person's DM (as recorded when sent) updated.
   */
  acknowledgeMiss(input: { userId: string; clockId: string }): Promise<string>;
}

export function createClockServices(deps: ClockDeps): ClockServices {
  return {
    deadline: (input) => changeDeadline(deps, input),
    async responded(input) {
      const clock = input.clockId ? await findClock(deps.db, input.clockId) : undefined;
      const where = clock ? { incidentId: clock.incidentId } : input.where;
      if (!where) throw new NotFound('That deadline no longer exists.');
      return answerClock(deps, { ...input, where });
    },
    async respondForm(input) {
      const clock = await findClock(deps.db, input.clockId);
      if (!clock) throw new NotFound('That deadline no longer exists.');
      const incident = await locateIncident(deps, { incidentId: clock.incidentId }, input.userId);
      await requireChanger(deps, incident, input.userId, 'clock.respond');
      if (!(isOpenClock(clock) || (clock.state === 'missed' && !clock.respondedAt)))
        throw new UserError('clock_already_answered', `${escapeMrkdwn(clock.name)} was already answered.`);
      return clockRespondModal(clock, deps.clock());
    },
    undoResponse: (input) => undoResponse(deps, input),
    async list(input) {
      const isAdmin = deps.meridian.admins.includes(input.userId);
      const open = await openClocksVisibleTo(deps.db, input.teamId, input.userId, isAdmin);
      return deadlinesListMessage(open.rows, open.total, deps.clock());
    },
    async acknowledgeMiss(input) {
      const clock = await findClock(deps.db, input.clockId);
      if (!clock) throw new NotFound('That deadline no longer exists.');
      const incident = await incidentForUser(
        { db: deps.db, admins: deps.meridian.admins, clock: deps.clock },
        clock.incidentId,
        input.userId,
      );
      const told = clock.missProgress.dms ?? [];
      if (!deps.meridian.admins.includes(input.userId) && !told.includes(input.userId)) {
        throw new PermissionDenied('Only the people told about this missed deadline (its escalation contacts) can acknowledge it.');
      }
      if (clock.state !== 'missed' && !clock.missedAt) throw new UserError('not_missed', 'That deadline was not missed.');
      const now = deps.clock();
      const details = { clockId: clock.id };
      // Under the clock's row lock, so of two clicks at once only the first records anything.
      const first = await deps.db.transaction(async (tx) => {
        await lockClock(tx, clock.id);
        if (await missAcknowledged(tx, incident.id, clock.id)) return false;
        await addTimelineEntry(tx, {
          incidentId: incident.id,
          at: now,
          kind: 'clock_miss_acknowledged',
          actorId: input.userId,
          text: `Missed deadline acknowledged: ${clock.name}`,
          data: details,
        });
        await addAuditRecord(tx, { incidentId: incident.id, at: now, actorId: input.userId, action: 'clock.miss_acknowledge', details });
        return true;
      });
      if (!first) return `The missed deadline of ${incidentRef(incident)} was already acknowledged.`;
      if (incident.channelId) {
        await deps.slack
          .postMessage({
            channel: incident.channelId,
            text: `${userMention(input.userId)} acknowledged the missed deadline: ${escapeMrkdwn(clock.name)}.`,
          })
          .catch((err: unknown) => deps.logger.warn({ err }, 'miss acknowledgement not posted'));
      }
      const dm = clock.missProgress.dmMessages?.[input.userId];
      if (dm) {
        await deps.slack
          .updateMessage({ channel: dm.channel, ts: dm.ts, ...clockMissAcknowledgedDm(clock, incident, input.userId, now) })
          .catch((err: unknown) => deps.logger.warn({ err }, 'missed deadline DM not updated'));
      }
      return `:white_check_mark: You acknowledged the missed deadline of ${incidentRef(incident)}.`;
    },
  };
}
