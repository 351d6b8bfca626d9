import type { KnownBlock } from '@slack/types';
/** `/oncall ...`: read-only views of the schedules, and the override modal. */
import { gapsMessage, loadMessage, nextHandoffsMessage } from '../../blocks/oncall-outlook.js';
import { oncallHelpMessage } from '../../blocks/oncall-help.js';
import { overrideModal } from '../../blocks/oncall-override-modal.js';
import { NO_SCHEDULES_TEXT, whoIsOnCallMessage } from '../../blocks/oncall-who.js';
import { loadSchedules } from '../../db/repos/schedules.js';
import { placeRelative, resolveWhen, type RelativeWhen, type ResolvedWhen, type WhenInput } from '../../domain/when-input.js';
import type { OncallDeps, OncallReply, OncallRequest } from './deps.js';
import { loadByPerson, scheduleStatus, upcomingGaps, upcomingHandoffs } from '../../domain/schedule-status.js';

export const GAP_DAYS = 14;
export const LOAD_DAYS = 28;

type CommandDeps = Pick<OncallDeps, 'db' | 'slack' | 'clock' | 'logger'>;

function message(rendered: { text: string; blocks: KnownBlock[] }): OncallReply {
  return { kind: 'message', text: rendered.text, blocks: rendered.blocks };
}

/** users.info gets this long inside a slash command, whose answer is due within 3 s. */
const ZONE_LOOKUP_BUDGET_MS = 1200;

/** The caller's Slack zone, or null when Slack cannot say in time. */
async function callerZone(deps: CommandDeps, userId: string): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ZONE_LOOKUP_BUDGET_MS);
  });
  const lookup = deps.slack.userInfo(userId).then(
    (user) => user.tz,
    (err: unknown) => {
      deps.logger.warn({ err, userId }, 'users.info failed; reading the time in UTC');
      return null;
    },
  );
  try {
    return await Promise.race([lookup, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A local time without a zone is read in the caller's Slack zone (UTC if Slack cannot say). */
async function placeWhen(deps: CommandDeps, userId: string, typed: WhenInput | RelativeWhen, now: Date): Promise<ResolvedWhen> {
  if (typed.kind === 'in') return resolveWhen(placeRelative(typed, now, 'UTC'), 'UTC');
  if (typed.kind === 'instant' || typed.timeZone !== null) {
    return resolveWhen(typed.kind === 'day' ? placeRelative(typed, now, 'UTC') : typed, 'UTC');
  }
  const zone = await callerZone(deps, userId);
  const when = typed.kind === 'day' ? placeRelative(typed, now, zone ?? 'UTC') : typed;
  const resolved = resolveWhen(when, zone ?? 'UTC');
  const read = zone ? `read in your time zone, ${zone}` : 'read in UTC, as Slack did not tell me your time zone';
  return { ...resolved, note: resolved.note ? `${read}; ${resolved.note}` : read };
}

/** Answers a `/oncall` request from `userId`. */
export async function oncallCommand(deps: CommandDeps, input: { userId: string; request: OncallRequest }): Promise<OncallReply> {
  const command = input.request;
  const now = deps.clock();
  switch (command.kind) {
    case 'help':
      return message(oncallHelpMessage(command.unknown));
    case 'now': {
      const schedules = await loadSchedules(deps.db, { overridesEndingAfter: now });
      return message(whoIsOnCallMessage({ statuses: schedules.map((s) => scheduleStatus(s, now)), at: now, now }));
    }
    case 'at': {
      const resolved = await placeWhen(deps, input.userId, command.when, now);
      const at = resolved.at;
      const schedules = await loadSchedules(deps.db, { overridesEndingAfter: at });
      return message(
        whoIsOnCallMessage({
          statuses: schedules.map((s) => scheduleStatus(s, at)),
          at,
          now,
          asked: command.asked,
          ...(resolved.note ? { note: resolved.note } : {}),
        }),
      );
    }
    case 'next': {
      const schedules = await loadSchedules(deps.db, { overridesEndingAfter: now });
      const list = schedules.map((s) => ({ scheduleName: s.name, handoffs: upcomingHandoffs(s, now, command.hours) }));
      return message(nextHandoffsMessage({ schedules: list, hoursAhead: command.hours }));
    }
    case 'gaps': {
      const schedules = await loadSchedules(deps.db, { overridesEndingAfter: now });
      const list = schedules.map((s) => ({ scheduleName: s.name, gaps: upcomingGaps(s, now, GAP_DAYS) }));
      return message(gapsMessage({ schedules: list, days: GAP_DAYS }));
    }
    case 'load': {
      const schedules = await loadSchedules(deps.db, { overridesEndingAfter: now });
      const list = schedules.map((s) => ({ scheduleName: s.name, entries: loadByPerson(s, now, LOAD_DAYS) }));
      const to = new Date(now.getTime() + LOAD_DAYS * 86_400_000);
      return message(loadMessage({ schedules: list, from: now, to }));
    }
    case 'override': {
      const schedules = await loadSchedules(deps.db, { overridesEndingAfter: now });
      if (schedules.length === 0) return { kind: 'message', text: NO_SCHEDULES_TEXT };
      return { kind: 'modal', view: overrideModal({ schedules, userId: input.userId, now }) };
    }
  }
}
