/**
 * `/incident art18`: DSA Art. 18 notifications. The first record starts the "promptly" clock (kind
 * `dsa-art18-notification`, the config's target) from when the suspicion arose; it reminds and
 * escalates like every clock. Recording the authority informed answers it.
 */
import type { View } from '@slack/types';
import { art18Modal } from '../../blocks/art18-modal.js';
import { incidentRef } from '../../blocks/incident-messages.js';
import { DEFAULT_REGULATORY } from '../../config-file/regulatory.js';
import { clocksOfIncident, lockClock, updateClock, upsertClock } from '../../db/repos/clocks.js';
import { keepDutyHold } from '../retention/duty-holds.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { ART18_KIND, type Art18Draft, checkArt18 } from '../../domain/art18.js';
import { answerOutcome, type DeadlineKind, isOpenClock, kindInForce } from '../../domain/clocks.js';
import { InvalidInput } from '../../errors.js';
import { withPlanning } from '../../jobs/plan.js';
import { escapeMrkdwn } from '../../slack-api/mrkdwn.js';
import { planClockActions, replanClock } from '../clocks/plan.js';
import { clockFromKind } from '../clocks/start.js';
import { refreshIncidentCard } from '../incident-card.js';
import { locateIncident, requireChanger } from '../incident/context.js';
import type { IncidentLocator } from '../incident/index.js';
import type { RegulatoryDeps } from './deps.js';

const promptly = (deps: RegulatoryDeps) => (deps.meridian.regulatory ?? DEFAULT_REGULATORY).art18PromptlyMinutes;

export async function art18Form(deps: RegulatoryDeps, input: { userId: string; where: IncidentLocator }): Promise<View> {
  const incident = await locateIncident(deps, input.where, input.userId);
  await requireChanger(deps, incident, input.userId, 'art18.notify');
  return art18Modal(incident.id, incidentRef(incident), promptly(deps));
}

export async function recordArt18(
  deps: RegulatoryDeps,
  input: { userId: string; where: IncidentLocator; draft: Art18Draft; answer?: () => Promise<void> },
): Promise<string> {
  const incident = await locateIncident(deps, input.where, input.userId);
  await requireChanger(deps, incident, input.userId, 'art18.notify');
  const now = deps.clock();
  const checked = checkArt18(input.draft, now);
  if (!checked.ok) throw new InvalidInput(checked.errors);
  const { notice } = checked;
  const where = notice.europol ? 'Europol' : notice.memberStates.join(', ');
  await withPlanning(deps, async (planning) => {
    const { tx } = planning;
    let clock = (await clocksOfIncident(tx, incident.id)).find(
      (c) => c.kindId === ART18_KIND && (isOpenClock(c) || (c.state === 'missed' && !c.respondedAt)),
    );
    if (!clock) {
      const builtIn: DeadlineKind = {
        id: ART18_KIND,
        name: 'DSA Art. 18 notification (promptly)',
        withinMinutes: promptly(deps),
        remindBeforeMinutes: null,
        escalateTo: [],
        source: 'DSA Art. 18(1): promptly (internal target)',
        task: `Inform the law enforcement of ${where}`,
        effectiveFrom: null,
        internalTarget: true,
      };
      const kind = kindInForce(deps.meridian.deadlines ?? [], ART18_KIND, notice.awareAt) ?? builtIn;
      clock = await upsertClock(tx, clockFromKind(kind, incident.id, notice.awareAt, 'received', ART18_KIND));
      await keepDutyHold(tx, deps.meridian.retention?.holds ?? [], clock, { actorId: input.userId, now });
      await planClockActions(planning, clock, now);
    }
    if (notice.informedAt) {
      const locked = (await lockClock(tx, clock.id)) ?? clock;
      const answered = await updateClock(tx, locked.id, {
        state: answerOutcome(locked, notice.informedAt).met ? 'met' : 'missed',
        respondedAt: notice.informedAt,
        respondedBy: input.userId,
        responseNote: `informed ${notice.authority ?? ''}`.trim(),
        pausedAt: null,
      });
      await keepDutyHold(tx, deps.meridian.retention?.holds ?? [], answered, { actorId: input.userId, now, doneAt: notice.informedAt });
      await replanClock(planning, answered, now);
    }
    const details = {
      ...notice,
      awareAt: notice.awareAt.toISOString(),
      informedAt: notice.informedAt?.toISOString() ?? null,
      clockId: clock.id,
    };
    const text = `Art. 18 notification: ${notice.suspectedOffence} (${where})${notice.informedAt ? `; informed ${notice.authority}` : ''}`;
    await addTimelineEntry(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'art18_notification',
      actorId: input.userId,
      text,
      data: details,
    });
    await addAuditRecord(tx, { incidentId: incident.id, at: now, actorId: input.userId, action: 'art18.notify', details });
  });
  // Stored: the modal is answered before anything goes to Slack.
  await input.answer?.();
  const line = notice.informedAt
    ? `:police_car: Art. 18: ${escapeMrkdwn(notice.authority ?? '')} informed (${escapeMrkdwn(where)}), recorded by <@${input.userId}>.`
    : `:police_car: Art. 18 suspicion recorded by <@${input.userId}> (${escapeMrkdwn(where)}): inform the authority promptly.`;
  if (incident.channelId)
    await deps.slack
      .postMessage({ channel: incident.channelId, text: line })
      .catch((err: unknown) => deps.logger.warn({ err }, 'art18 line not posted'));
  await refreshIncidentCard(deps, incident.id).catch((err: unknown) => deps.logger.warn({ err }, 'card not refreshed'));
  return 'Recorded.';
}
