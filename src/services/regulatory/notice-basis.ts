/**
 * `/incident basis law|terms`: the basis of the action taken on the notices (intake reports)
 * declared as or merged into this incident, which the transparency report counts apart (DSA
 * Art. 15(1)(b): "whether the action was taken on the basis of the law or the terms and
 * conditions"). A report that carried an authority's order is `law` from the start.
 */
import { incidentRef } from '../../blocks/incident-messages.js';
import { setNoticeBasis } from '../../db/repos/orders.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { ACTION_BASES, type ActionBasis } from '../../domain/orders.js';
import { UserError } from '../../errors.js';
import { escapeMrkdwn } from '../../slack-api/mrkdwn.js';
import { locateIncident, requireChanger } from '../incident/context.js';
import type { RegulatoryDeps } from './deps.js';

const USAGE = '`/incident basis law` (illegal content, an order) or `/incident basis terms` (the terms and conditions)';

export async function noticeBasisCommand(
  deps: RegulatoryDeps,
  input: { userId: string; channelId: string; args: string },
): Promise<string> {
  const word = input.args.trim().toLowerCase();
  if (!Object.hasOwn(ACTION_BASES, word))
    throw new UserError(
      'bad_notice_basis',
      `${word ? `\`${escapeMrkdwn(word.slice(0, 20))}\` is not a basis. ` : ''}Say what the action on this incident's notices was based on: ${USAGE}.`,
    );
  const basis = word as ActionBasis;
  const incident = await locateIncident(deps, { channelId: input.channelId }, input.userId);
  await requireChanger(deps, incident, input.userId, 'notice.basis');
  const now = deps.clock();
  const count = await deps.db.transaction(async (tx) => {
    const n = await setNoticeBasis(tx, incident.id, basis);
    if (n === 0) return 0;
    const text = `Action on ${n} notice${n === 1 ? '' : 's'} taken on the basis of ${ACTION_BASES[basis]}`;
    await addTimelineEntry(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'notice_basis',
      actorId: input.userId,
      text,
      data: { basis, notices: n },
    });
    await addAuditRecord(tx, {
      incidentId: incident.id,
      at: now,
      actorId: input.userId,
      action: 'notice.basis',
      details: { basis, notices: n },
    });
    return n;
  });
  if (count === 0)
    throw new UserError(
      'no_notices',
      `No intake report was declared as or merged into ${incidentRef(incident)}: there is no notice to record a basis for.`,
    );
  return `Recorded: the action on ${count} notice${count === 1 ? '' : 's'} behind ${incidentRef(incident)} was taken on the basis of ${ACTION_BASES[basis]} (DSA Art. 15(1)(b)).`;
}
