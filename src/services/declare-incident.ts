import type { Database } from '../db/client.js';
import { addIncidentMembers, insertIncidentOnce, type Incident } from '../db/repos/incidents.js';
import { addAuditRecord, addTimelineEntry } from '../db/repos/record.js';
import { withPlanning, type Planning } from '../jobs/plan.js';
import { validateDeclaration } from '../domain/declaration.js';
import { InvalidInput, UserError } from '../errors.js';
import { limitReachedMessage } from '../domain/action-limits.js';
import type { ActionLimiter } from '../rate-limiters/action-limiter.js';
import type { ActionScheduler } from '../jobs/action-queue.js';
import { startEscalation, type PolicySource } from './escalation/start-escalation.js';
import type { MeridianConfig } from '../config-file/types.js';
import { setIncidentRole } from '../db/repos/roles.js';
import { nextUpdateDue, updateEveryMinutesFor } from '../domain/update-cadence.js';
import { replanReminder } from './incident/effects.js';
import type { Clock } from './types.js';
import { startDeclarationClocks } from './clocks/start.js';

export interface DeclareIncidentDeps {
  db: Database;
  scheduler: Pick<ActionScheduler, 'enqueue'>;
  clock: Clock;
  /** Categories to validate against, the policies declaring starts, and the admins the limit spares. */
  meridian: PolicySource & Pick<MeridianConfig, 'severities' | 'admins' | 'deadlines'>;
  /** Declarations per person and per workspace an hour. */
  limiter: Pick<ActionLimiter, 'consume' | 'refund'>;
}

export interface DeclareIncidentInput {
  teamId: string;
  userId: string;
  /** Same key, same incident: Slack retries and double submits of one modal share it. */
  idempotencyKey: string;
  originChannelId?: string;
  /** The modal's fields as typed. */
  fields: Record<string, unknown>;
  /**
   * Runs in the declaration's transaction once the incident row exists (not on a replay): an
   * intake report claims itself for the incident here, so a report taken meanwhile (another
   * Declare, a Dismiss) throws and rolls the whole declaration back. It plans in the declaration's transaction.
   */
  claim?: DeclarationClaim;
}

/** See DeclareIncidentInput.claim. */
export type DeclarationClaim = (planning: Planning, incident: Incident, now: Date) => Promise<void>;

/**
 * Records a new incident with its first timeline entry, audit record, the durable action that
 * sets up its Slack channel and the first step of its escalation policy, in one transaction;
 * then hands the actions to the queue.
 * Throws InvalidInput (one message per field) and changes nothing when the input is wrong.
 */
export async function declareIncident(
  deps: DeclareIncidentDeps,
  input: DeclareIncidentInput,
): Promise<{ incident: Incident; created: boolean }> {
  const result = validateDeclaration(input.fields, deps.meridian.categories);
  if (!result.ok) throw new InvalidInput(result.errors);
  const now = deps.clock();
  const respondBy = respondByOf(input.fields, now);
  const receivedAt = receivedAtOf(input.fields, now);
  const declaration = result.value;
  const counted = await checkDeclarationLimit(deps, input, now);
  const { incident, created } = await record(deps, input, declaration, now, respondBy, receivedAt).catch(async (err: unknown) => {
    if (counted) await deps.limiter.refund('declare', counted);
    throw err;
  });
  // A replay of a declaration already made is not another declaration.
  if (!created && counted) await deps.limiter.refund('declare', counted);
  return { incident, created };
}

/** The form's "Respond by" (epoch seconds from Slack's datetimepicker); it must lie ahead. */
function respondByOf(fields: Record<string, unknown>, now: Date): Date | undefined {
  const seconds = fields.respondBy;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return undefined;
  const at = new Date(seconds * 1000);
  if (at.getTime() <= now.getTime())
    throw new InvalidInput({ respond_by: 'That time has passed; choose one still ahead, or leave it empty.' });
  return at;
}

/** The form's "Order received" (epoch seconds): the instant the category's clock runs from; not in the future. */
function receivedAtOf(fields: Record<string, unknown>, now: Date): Date | undefined {
  const seconds = fields.receivedAt;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return undefined;
  const at = new Date(seconds * 1000);
  // Slack's picker has minutes: "now" picked in the current minute is not the future.
  if (at.getTime() > now.getTime() + 60_000)
    throw new InvalidInput({ received: 'That time is still ahead; choose when the order reached you, or leave it empty.' });
  return at.getTime() > now.getTime() ? now : at;
}

/**
 * Counts the declaration against the person's and the workspace's hourly limits (admins are not
 * counted); refuses with the numbers, audited, when one is reached. Returns whom it counted.
 */
async function checkDeclarationLimit(deps: DeclareIncidentDeps, input: DeclareIncidentInput, now: Date) {
  if (deps.meridian.admins.includes(input.userId)) return null;
  const who = { userId: input.userId, teamId: input.teamId };
  const reached = await deps.limiter.consume('declare', who);
  if (!reached) return who;
  await addAuditRecord(deps.db, {
    at: now,
    actorId: input.userId,
    action: 'incident.declare',
    outcome: 'refused',
    details: { reason: 'rate_limited', scope: reached.scope, limit: reached.limit, retryAfterMs: reached.retryAfterMs },
  });
  throw new UserError('rate_limited', limitReachedMessage(reached), 'title');
}

async function record(
  deps: DeclareIncidentDeps,
  input: DeclareIncidentInput,
  declaration: Extract<ReturnType<typeof validateDeclaration>, { ok: true }>['value'],
  now: Date,
  respondBy: Date | undefined,
  receivedAt: Date | undefined,
) {
  return withPlanning(deps, async (planning) => {
    const { tx } = planning;
    const { incident, created } = await insertIncidentOnce(tx, {
      teamId: input.teamId,
      idempotencyKey: input.idempotencyKey,
      title: declaration.title,
      summary: declaration.summary,
      severity: declaration.severity,
      declaredSeverity: declaration.severity,
      peakSeverity: declaration.severity,
      category: declaration.category,
      isPrivate: declaration.isPrivate,
      declaredBy: input.userId,
      commanderId: input.userId,
      declaredAt: now,
      lastUpdateAt: now,
      originChannelId: input.originChannelId ?? null,
    });
    if (!created) return { incident, created };
    await addIncidentMembers(tx, incident.id, [input.userId]);
    await addTimelineEntry(tx, {
      incidentId: incident.id,
      at: now,
      kind: 'declared',
      actorId: input.userId,
      text: 'Incident declared',
      data: { severity: declaration.severity, category: declaration.category, private: declaration.isPrivate },
    });
    await addAuditRecord(tx, {
      incidentId: incident.id,
      at: now,
      actorId: input.userId,
      action: 'incident.declare',
      details: { severity: declaration.severity, category: declaration.category, private: declaration.isPrivate },
    });
    await setIncidentRole(tx, {
      incidentId: incident.id,
      role: 'commander',
      userId: input.userId,
      assignedBy: input.userId,
      assignedAt: now,
    });
    await planning.plan('set-up-channel', {}, now, { incidentId: incident.id });
    await startEscalation(planning, deps.meridian, incident, now);
    const every = updateEveryMinutesFor(declaration.severity, deps.meridian.severities);
    await replanReminder(planning, incident, nextUpdateDue({ updateEveryMinutes: every, lastUpdateAt: now, now }), now);
    await startDeclarationClocks(planning, deps.meridian, incident, { respondBy, receivedAt }, now);
    if (input.claim) await input.claim(planning, incident, now);
    return { incident, created };
  });
}
