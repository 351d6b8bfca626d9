/**
 * `/incident ncmec`: the CyberTipline packet for a child-safety incident (JSON in NCMEC's field
 * names, to the analyst's DM), and, once NCMEC returned a report id, the submission on record
 * and the one-year preservation clock (18 U.S.C. 2258A(h)), a clock of kind
 * `ncmec-report-preservation` that legal holds key on.
 */
import type { View } from '@slack/types';
import { incidentRef } from '../../blocks/incident-messages.js';
import { ncmecModal } from '../../blocks/ncmec-modal.js';
import { DEFAULT_REGULATORY } from '../../config-file/regulatory.js';
import { upsertClock } from '../../db/repos/clocks.js';
import { keepDutyHold } from '../retention/duty-holds.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { ncmecReports } from '../../db/schema/index.js';
import { clockLabelOf, type DeadlineKind, kindInForce } from '../../domain/clocks.js';
import type { Incident } from '../../domain/incident.js';
import { checkNcmecForm, NCMEC_PRESERVATION_KIND, type NcmecDraft, ncmecPacket, preservationUntil } from '../../domain/ncmec.js';
import { InvalidInput, UserError } from '../../errors.js';
import { withPlanning } from '../../jobs/plan.js';
import { slackDate } from '../../slack-api/mrkdwn.js';
import { planClockActions } from '../clocks/plan.js';
import { clockFromKind } from '../clocks/start.js';
import { refreshIncidentCard } from '../incident-card.js';
import { locateIncident, requireChanger } from '../incident/context.js';
import type { IncidentLocator } from '../incident/index.js';
import type { RegulatoryDeps } from './deps.js';

/** Used when `deadlines:` has no `ncmec-report-preservation` kind: a year, told a month before it ends. */
const BUILT_IN_PRESERVATION: DeadlineKind = {
  id: NCMEC_PRESERVATION_KIND,
  name: 'CyberTipline preservation (1 year)',
  withinMinutes: 366 * 24 * 60,
  remindBeforeMinutes: [30 * 24 * 60],
  escalateTo: [],
  source: '18 U.S.C. 2258A(h)',
  task: 'Keep the reported content and its data preserved until this date',
  effectiveFrom: null,
  internalTarget: false,
};

async function childSafetyIncident(deps: RegulatoryDeps, where: IncidentLocator, userId: string): Promise<Incident> {
  const incident = await locateIncident(deps, where, userId);
  const categories = (deps.meridian.regulatory ?? DEFAULT_REGULATORY).ncmecCategories;
  if (!categories.includes(incident.category))
    throw new UserError(
      'not_child_safety',
      `The CyberTipline packet is for child-safety incidents (categories: ${categories.join(', ') || 'none configured'}).`,
    );
  await requireChanger(deps, incident, userId, 'ncmec.report');
  return incident;
}

export async function ncmecForm(deps: RegulatoryDeps, input: { userId: string; where: IncidentLocator }): Promise<View> {
  const incident = await childSafetyIncident(deps, input.where, input.userId);
  return ncmecModal(incident.id, incidentRef(incident));
}

/**
 * Checks the form and records the submission when a report id is given; then `answer` (the
 * modal's acknowledgement) before anything goes to Slack, so a slow upload cannot outlast the
 * modal's 3 seconds; then the packet to the analyst's DM and the channel line.
 */
export async function prepareNcmecReport(
  deps: RegulatoryDeps,
  input: { userId: string; where: IncidentLocator; draft: NcmecDraft; answer?: () => Promise<void> },
): Promise<string> {
  const incident = await childSafetyIncident(deps, input.where, input.userId);
  const now = deps.clock();
  const checked = checkNcmecForm(input.draft, now);
  if (!checked.ok) throw new InvalidInput(checked.errors);
  const { form } = checked;
  const ref = incidentRef(incident);
  const packet = ncmecPacket(form, { ref }, now);
  const submission = form.submission;
  if (!submission) {
    await addAuditRecord(deps.db, {
      incidentId: incident.id,
      at: now,
      actorId: input.userId,
      action: 'ncmec.packet',
      details: { incidentType: form.incidentType },
    });
    await input.answer?.();
    await sendPacket(deps, input.userId, ref, packet);
    return `The packet is in your DM with me.`;
  }
  const until = preservationUntil(submission.submittedAt);
  const recorded = await withPlanning(deps, async (planning) => {
    const { tx } = planning;
    const [row] = await tx
      .insert(ncmecReports)
      .values({
        incidentId: incident.id,
        reportId: submission.reportId,
        submittedAt: submission.submittedAt,
        incidentType: form.incidentType,
        highPriorityReason: form.escalateReason,
        annotations: form.annotations,
        packet,
        recordedBy: input.userId,
      })
      .onConflictDoNothing()
      .returning({ id: ncmecReports.id });
    if (!row) return false;
    const kind = kindInForce(deps.meridian.deadlines ?? [], NCMEC_PRESERVATION_KIND, submission.submittedAt) ?? BUILT_IN_PRESERVATION;
    const label = clockLabelOf(`ncmec-${submission.reportId}`);
    const clock = await upsertClock(tx, { ...clockFromKind(kind, incident.id, submission.submittedAt, 'received', label), dueAt: until });
    await keepDutyHold(tx, deps.meridian.retention?.holds ?? [], clock, { actorId: input.userId, now });
    await planClockActions(planning, clock, now);
    const text = `CyberTipline report ${submission.reportId} submitted; preserved until ${until.toISOString().slice(0, 10)}`;
    const data = { reportId: submission.reportId, submittedAt: submission.submittedAt.toISOString(), clockId: clock.id };
    await addTimelineEntry(tx, { incidentId: incident.id, at: now, kind: 'ncmec_reported', actorId: input.userId, text, data });
    await addAuditRecord(tx, { incidentId: incident.id, at: now, actorId: input.userId, action: 'ncmec.report', details: data });
    return true;
  });
  if (!recorded) throw new UserError('ncmec_report_exists', `CyberTipline report ${submission.reportId} is already recorded.`);
  await input.answer?.();
  await sendPacket(deps, input.userId, ref, packet);
  const line = `:shield: CyberTipline report ${submission.reportId} recorded by <@${input.userId}>; the content is preserved until ${slackDate(until, '{date_short_pretty}')} (18 U.S.C. 2258A(h)).`;
  if (incident.channelId)
    await deps.slack
      .postMessage({ channel: incident.channelId, text: line })
      .catch((err: unknown) => deps.logger.warn({ err }, 'ncmec line not posted'));
  await refreshIncidentCard(deps, incident.id).catch((err: unknown) => deps.logger.warn({ err }, 'card not refreshed'));
  return `Recorded CyberTipline report ${submission.reportId}; the packet is in your DM with me.`;
}

/** The packet (JSON) to the analyst's DM; an upload Slack refuses is logged and the analyst told to ask again. */
async function sendPacket(deps: RegulatoryDeps, userId: string, ref: string, packet: unknown): Promise<void> {
  let dm: string | undefined;
  try {
    dm = await deps.slack.openDm(userId);
    await deps.slack.uploadFile({
      channelId: dm,
      filename: `cybertipline-${ref}.json`,
      title: `CyberTipline packet, ${ref}`,
      content: `${JSON.stringify(packet, null, 2)}\n`,
      initialComment: `:package: The CyberTipline packet for ${ref}. Submit it with the files in the CyberTipline; then record NCMEC's report id with \`/incident ncmec\`.`,
    });
  } catch (err) {
    deps.logger.warn({ err }, 'cybertipline packet not uploaded');
    if (dm)
      await deps.slack
        .postMessage({
          channel: dm,
          text: `:warning: I could not upload the CyberTipline packet for ${ref}. Run \`/incident ncmec\` again for it.`,
        })
        .catch((e: unknown) => deps.logger.warn({ err: e }, 'packet failure not told'));
  }
}
