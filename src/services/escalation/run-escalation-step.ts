import type { Database, Db } from '../../db/client.js';
import { isKnownTimeZone } from '../../domain/zoned-format.js';
import {
  advanceEscalationThen,
  endEscalation,
  insertPageOnce,
  lockEscalationForStepWithIncident,
  updatePage,
} from '../../db/repos/escalations.js';
import { addIncidentMembers, findIncident } from '../../db/repos/incidents.js';
import { addAuditRecord, addTimelineEntry } from '../../db/repos/record.js';
import { planAfterResolution, stepAt } from '../../domain/escalation-plan.js';
import type { Incident } from '../../domain/incident.js';
import { isOpen } from '../../domain/lifecycle.js';
import type { Escalation, PageRepeat } from '../../domain/paging.js';
import type { MeridianConfig } from '../../config-file/types.js';
import type { Catalog } from '../../blocks/catalog.js';
import { nobodyReachedLine, pageDm, unacknowledgedAlert, unreachableLine } from '../../blocks/page-messages.js';
import { RateLimited, SlackApiError, SlackConfigurationError, SlackUnavailable } from '../../slack-api/errors.js';
import type { ActionContext, ActionOutcome } from '../../jobs/run-action.js';
import type { Logger } from '../../log.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';
import { announcePages } from './announce-pages.js';
import { type HeldChannelLine, postHeldChannelLines } from './held-channel-lines.js';
import { isQuietIncident } from '../quiet-channels.js';
import { resolveTargets, type ResolvedTarget } from './resolve-targets.js';
import type { PagingDeps } from '../paging/deps.js';
import { planFirstNotification } from '../paging/notify-page.js';

export interface EscalationStepDeps {
  db: Database;
  slack: Pick<SlackGateway, 'postOnce' | 'invite' | 'updateMessage' | 'usergroupMembers' | 'lookupUserByEmail' | 'userInfo'>;
  catalog: Catalog;
  meridian: Pick<MeridianConfig, 'admins' | 'privacy'>;
  feedChannelId: string | undefined;
  logger: Logger;
  clock: Clock;
  /** SMS, calls and email by each person's notification rules; unset: Slack DMs only. */
  paging?: PagingDeps;
}

/** A person a step could not reach by DM, and Slack's reason. */
interface Unreachable {
  userId: string;
  code: string;
}

/**
 * Runs one step of an escalation: pages the people its targets name now, then plans the next
 * step in `tx` (or, after the last step of the last round, alerts the feed). The escalation row
 * is locked for the whole step, so an acknowledgement waits for a step in flight and a step never
 * pages after an acknowledgement. A stale job (the escalation moved on, ended, or the incident
 * closed) does nothing.
 */
export async function runEscalationStep(deps: EscalationStepDeps, ctx: ActionContext<'escalation-step'>): Promise<ActionOutcome> {
  const { escalationId, stepNumber } = ctx.data;
  const { tx } = ctx;
  const loaded = await loadStep(deps, tx, escalationId, stepNumber);
  if (!loaded) return 'skipped';
  const { escalation, incident } = loaded;
  const planned = stepAt(escalation.policy, stepNumber);
  const now = deps.clock();
  if (planned === 'exhausted') {
    await alertUnacknowledged(deps, ctx, incident, escalation, escalation.policy.repeat + 1, now);
    return 'done';
  }
  const resolved = await resolveTargets({ db: deps.db, slack: deps.slack }, planned.targets, now);
  const round = { round: planned.round, rounds: escalation.policy.repeat + 1, stepIndex: planned.stepIndex };
  // A later round says so in the DM and the channel: which round, and why (nobody acknowledged).
  const repeat = planned.round > 0 ? { round: planned.round + 1, rounds: round.rounds } : undefined;
  const { reached, unreachable } = await pageTargets(deps, ctx, incident, escalation, stepNumber, resolved, now, repeat);
  const nextDue = planAfterResolution(escalation.policy, stepNumber, 0, now).action.kind === 'step' ? 'now' : 'alert';
  await recordStep(deps, ctx, incident, { escalationId: escalation.id, stepNumber, nextDue, ...round }, { reached, unreachable }, now);
  return planNextStep(deps, ctx, incident, escalation, stepNumber, reached.length, now);
}

/**
 * Locks the escalation and checks the step still applies: undefined for a stale job. An
 * escalation whose incident is no longer open is ended here, cancelled.
 */
async function loadStep(deps: EscalationStepDeps, tx: Db, escalationId: string, stepNumber: number) {
  const locked = await lockEscalationForStepWithIncident(tx, escalationId);
  if (locked?.escalation.status !== 'active' || locked.escalation.nextStep !== stepNumber) return undefined;
  const { escalation, incident } = locked;
  if (!incident || !isOpen(incident.status)) {
    await endEscalation(tx, escalation.id, { status: 'cancelled', at: deps.clock() });
    return undefined;
  }
  return { escalation, incident };
}

/** Pages each person once for this step (a retry finds the earlier page); says who could not be reached. */
async function pageTargets(
  deps: EscalationStepDeps,
  ctx: Pick<ActionContext<'escalation-step'>, 'deliver' | 'plan'>,
  incident: Incident,
  escalation: Escalation,
  stepNumber: number,
  resolved: readonly ResolvedTarget[],
  now: Date,
  repeat: PageRepeat | undefined,
): Promise<{ reached: ResolvedTarget[]; unreachable: Unreachable[] }> {
  const reached: ResolvedTarget[] = [];
  const unreachable: Unreachable[] = [];
  for (const target of resolved) {
    const outcome = await pageOne(
      deps,
      ctx,
      incident,
      escalation,
      stepNumber,
      repeat ? { ...target, reason: { ...target.reason, repeat } } : target,
      now,
    );
    if (outcome === 'reached') reached.push(target);
    else unreachable.push({ userId: target.userId, code: outcome.code });
  }
  return { reached, unreachable };
}

/**
 * The person's own Slack zone, for someone paged outside a rotation layer (a user or a group):
 * the record reads their out-of-hours and hub in it. A layer's page has its zone already; a
 * lookup that fails leaves it unknown (read in UTC) rather than holding up the page.
 */
async function ownTimeZone(deps: EscalationStepDeps, target: ResolvedTarget): Promise<string | null> {
  if (target.reason.kind === 'schedule' && target.reason.timeZone) return null;
  try {
    const { tz } = await deps.slack.userInfo(target.userId);
    return tz && isKnownTimeZone(tz) ? tz : null;
  } catch (err) {
    deps.logger.debug({ err, userId: target.userId }, 'page: no Slack time zone, the record reads it in UTC');
    return null;
  }
}

async function pageOne(
  deps: EscalationStepDeps,
  ctx: Pick<ActionContext<'escalation-step'>, 'deliver' | 'plan'>,
  incident: Incident,
  escalation: Escalation,
  stepNumber: number,
  target: ResolvedTarget,
  now: Date,
): Promise<'reached' | { code: string }> {
  const page = await insertPageOnce(deps.db, {
    incidentId: incident.id,
    escalationId: escalation.id,
    stepNumber,
    userId: target.userId,
    reason: target.reason,
    pagedAt: now,
    userTimeZone: await ownTimeZone(deps, target),
  });
  // SMS, a call, an email by the person's rules, planned with the step (a DM that failed makes them matter more).
  if (deps.paging && page.status !== 'acknowledged') await planFirstNotification(deps.paging, ctx, page, now);
  if (page.status === 'undeliverable') return { code: 'undeliverable' };
  if (page.dmTs) return 'reached'; // sent by an earlier attempt of this step
  try {
    // The page row is the intent. A retried or late run (the one answer of run-action.ts) may
    // follow an attempt whose DM Slack accepted before a crash or a timeout: `deliver` looks for its tag first.
    const dm = pageDm(incident, page.id, page.reason, page.pagedAt, deps.catalog);
    // A sensitive incident's page DM carries its title: no previews of a link in it either.
    const message = { channel: target.userId, ...dm, ...(isQuietIncident(deps.catalog, incident) ? { unfurl: false } : {}) };
    const sent = await ctx.deliver(`page:${page.id}`, message);
    await updatePage(deps.db, page.id, { dmChannelId: sent.channel, dmTs: sent.ts, dmHasChannel: Boolean(incident.channelId) });
    return 'reached';
  } catch (err) {
    // Slack down or rate limiting, or a refusal of our configuration (a scope, the token): retry the
    // step, which goes out once fixed. Anything else (a user Slack does not know) will not heal by
    // retrying, and must not hold the escalation back.
    if (
      err instanceof SlackUnavailable ||
      err instanceof RateLimited ||
      err instanceof SlackConfigurationError ||
      !(err instanceof SlackApiError)
    )
      throw err;
    await updatePage(deps.db, page.id, { status: 'undeliverable' });
    deps.logger.warn({ err, incidentId: incident.id, userId: target.userId }, 'page could not be delivered');
    return { code: err.code };
  }
}

/** What the step did, for the channel and the record: who could not be reached, who was paged. */
async function recordStep(
  deps: EscalationStepDeps,
  ctx: Pick<ActionContext<'escalation-step'>, 'deliver' | 'mayExist'>,
  incident: Incident,
  {
    escalationId,
    stepNumber,
    round,
    rounds,
    stepIndex,
    nextDue,
  }: { escalationId: string; stepNumber: number; round: number; rounds: number; stepIndex: number; nextDue: 'now' | 'alert' },
  { reached, unreachable }: { reached: readonly ResolvedTarget[]; unreachable: readonly Unreachable[] },
  now: Date,
): Promise<void> {
  if (unreachable.length > 0 && incident.channelId) {
    const message = { channel: incident.channelId, text: unreachableLine(unreachable) };
    await ctx.deliver(`unreachable:${escalationId}:${stepNumber}:channel`, message);
  }
  // Before the channel exists, the step's warnings wait on its timeline entry for it (never dropped).
  const held: HeldChannelLine[] = [];
  if (!incident.channelId) {
    if (unreachable.length > 0) held.push({ key: `unreachable:${escalationId}:${stepNumber}:channel`, text: unreachableLine(unreachable) });
    if (reached.length === 0)
      held.push({ key: `nobody-reached:${escalationId}:${stepNumber}:channel`, text: nobodyReachedLine(stepNumber, nextDue) });
  }
  await addIncidentMembers(
    deps.db,
    incident.id,
    reached.map((t) => t.userId),
  );
  await addTimelineEntry(deps.db, {
    incidentId: incident.id,
    at: now,
    kind: 'paged',
    actorId: null,
    text: reached.length
      ? `Escalation step ${stepNumber + 1}: paged ${reached.length}`
      : `Escalation step ${stepNumber + 1} reached nobody`,
    data: { stepNumber, round, rounds, stepIndex, userIds: reached.map((t) => t.userId), ...(held.length ? { heldLines: held } : {}) },
  });
  // A channel recorded once stays: only an incident read before its channel existed is read again.
  const current = incident.channelId ? incident : ((await findIncident(deps.db, incident.id)) ?? incident);
  // A run that may repeat an earlier one (ctx.mayExist) re-checks this step's claimed lines: it may have died between claiming and posting.
  await announcePages(deps, ctx, current, { escalationId, stepNumber });
  // The channel came while this step ran: its held lines go now (the set-up may have taken them first).
  if (held.length) await postHeldChannelLines({ db: deps.db }, ctx.deliver, current);
}

/** Moves the escalation on and plans the next step (or the feed alert); skipped when another run moved it first. */
async function planNextStep(
  _deps: EscalationStepDeps,
  ctx: Pick<ActionContext<'escalation-step'>, 'tx' | 'deliver' | 'plan'>,
  incident: Incident,
  escalation: Escalation,
  stepNumber: number,
  reachedCount: number,
  now: Date,
): Promise<ActionOutcome> {
  const followUp = planAfterResolution(escalation.policy, stepNumber, reachedCount, now);
  const nextStepNumber = followUp.action.kind === 'step' ? followUp.action.stepNumber : stepNumber + 1;
  if (reachedCount === 0 && incident.channelId) {
    const text = nobodyReachedLine(stepNumber, followUp.action.kind === 'step' ? 'now' : 'alert');
    await ctx.deliver(`nobody-reached:${escalation.id}:${stepNumber}:channel`, { channel: incident.channelId, text });
  }
  // Moving on and planning the next step commit together, or not at all: a step another run moved first plans nothing.
  const next = { escalationId: escalation.id, stepNumber: nextStepNumber };
  const moved = await advanceEscalationThen(ctx.tx, { id: escalation.id, from: stepNumber, to: nextStepNumber }, async (within) => {
    await ctx.plan('escalation-step', next, followUp.dueAt, { incidentId: incident.id, within });
    return true;
  });
  return moved ? 'done' : 'skipped';
}

/**
 * "Nobody acknowledged after N rounds", to the feed (or each admin by DM) and the channel. Each
 * destination's message is tagged `unacknowledged:<escalation>:<who>`: a retry after one of them
 * failed adopts the ones Slack already has and sends only the rest.
 */
async function alertUnacknowledged(
  deps: EscalationStepDeps,
  ctx: Pick<ActionContext<'escalation-step'>, 'tx' | 'deliver'>,
  incident: Incident,
  escalation: Escalation,
  rounds: number,
  now: Date,
) {
  const alert = unacknowledgedAlert(incident, rounds, deps.meridian.admins, deps.catalog);
  const key = `unacknowledged:${escalation.id}`;
  // By default the feed does not learn that a private incident exists; the admins are told by DM.
  const toAdmins = incident.isPrivate && deps.meridian.privacy.privateEscalationNotice === 'admins';
  if (toAdmins) {
    for (const admin of deps.meridian.admins) await ctx.deliver(`${key}:dm:${admin}`, { channel: admin, ...alert });
  } else if (deps.feedChannelId) {
    await ctx.deliver(`${key}:feed`, { channel: deps.feedChannelId, ...alert });
  }
  if (incident.channelId) await ctx.deliver(`${key}:channel`, { channel: incident.channelId, ...alert });
  await endEscalation(ctx.tx, escalation.id, { status: 'exhausted', at: now });
  await addTimelineEntry(deps.db, {
    incidentId: incident.id,
    at: now,
    kind: 'unacknowledged',
    actorId: null,
    text: `Unacknowledged after ${rounds} rounds of paging`,
    data: {},
  });
  await addAuditRecord(deps.db, {
    incidentId: incident.id,
    at: now,
    actorId: null,
    action: 'escalation.exhausted',
    details: { escalationId: escalation.id, rounds },
  });
}
