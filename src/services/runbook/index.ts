/**
 * Runbooks: the category's steps posted as a checklist when the channel is set up, and each
 * tick or untick recorded in the timeline (who, when). A step's state is its latest entry.
 */
import type { Db } from '../../db/client.js';
import type { Incident } from '../../db/repos/incidents.js';
import { addTimelineEntry } from '../../db/repos/record.js';
import { timelineEntriesOfKind } from '../../db/repos/timeline.js';
import { categoryRunbook, type Catalog } from '../../blocks/catalog.js';
import { RUNBOOK_OPTIONS_PER_ELEMENT, runbookChecklist } from '../../blocks/runbook.js';
import { RUNBOOK_POSTED_KIND, RUNBOOK_STEP_KIND, runbookState, type RunbookStepState } from '../../domain/runbook.js';
import type { SlackGateway } from '../../slack-api/gateway.js';
import type { Clock } from '../types.js';
import { incidentForUser } from '../incident-access.js';
import { refreshIncidentCard } from '../incident-card.js';

/** The incident's runbook steps and who ticked them. */
export async function incidentRunbook(deps: { db: Db; catalog: Catalog }, incident: Incident): Promise<RunbookStepState[]> {
  const steps = categoryRunbook(deps.catalog, incident.category);
  if (steps.length === 0) return [];
  return runbookState(steps, await timelineEntriesOfKind(deps.db, incident.id, RUNBOOK_STEP_KIND));
}

/** Posts the checklist once in the incident channel; nothing when the category has no runbook. */
export async function postRunbook(
  deps: { db: Db; catalog: Catalog; slack: Pick<SlackGateway, 'postOnce'>; clock: Clock },
  incident: Incident,
  once: { mayExist?: boolean } = {},
): Promise<void> {
  if (!incident.channelId) return;
  const steps = await incidentRunbook(deps, incident);
  if (steps.length === 0) return;
  if ((await timelineEntriesOfKind(deps.db, incident.id, RUNBOOK_POSTED_KIND)).length) return;
  const { ts } = await deps.slack.postOnce(
    `runbook:${incident.id}`,
    { channel: incident.channelId, ...runbookChecklist(incident.id, steps) },
    once,
  );
  await addTimelineEntry(deps.db, {
    incidentId: incident.id,
    at: deps.clock(),
    kind: RUNBOOK_POSTED_KIND,
    actorId: null,
    text: `Runbook posted (${steps.length} steps)`,
    data: { ts, steps: steps.length },
  });
}

export interface RunbookTickInput {
  userId: string;
  incidentId: string;
  /** The first step index of the checkboxes element that changed. */
  start: number;
  /** The step indexes now ticked in that element. */
  selected: readonly number[];
}

export interface RunbookDeps {
  db: Db;
  catalog: Catalog;
  slack: Pick<SlackGateway, 'postMessage' | 'updateMessage'>;
  clock: Clock;
  /** Admins see every private incident (see incident-access.ts). */
  admins: readonly string[];
}

export interface RunbookServices {
  tick(input: RunbookTickInput): Promise<void>;
}

export function createRunbookServices(deps: RunbookDeps): RunbookServices {
  return { tick: (input) => tickRunbook(deps, input) };
}

/**
 * Records each step of the element whose state changed, then refreshes the card's progress. A
 * private incident's checklist is ticked by its members and admins only: anyone else (a
 * checkbox id replayed from elsewhere) gets the neutral answer, audited, and nothing changes.
 */
export async function tickRunbook(deps: RunbookDeps, input: RunbookTickInput): Promise<void> {
  const incident = await incidentForUser(deps, input.incidentId, input.userId);
  const steps = await incidentRunbook(deps, incident);
  const selected = new Set(input.selected);
  const chunk = steps.slice(input.start, input.start + RUNBOOK_OPTIONS_PER_ELEMENT);
  let changed = false;
  for (const step of chunk) {
    const done = selected.has(step.index);
    if (done === (step.doneAt !== null)) continue;
    changed = true;
    await addTimelineEntry(deps.db, {
      incidentId: incident.id,
      at: deps.clock(),
      kind: RUNBOOK_STEP_KIND,
      actorId: input.userId,
      text: `${done ? 'Runbook step done' : 'Runbook step undone'}: ${step.text}`,
      data: { stepIndex: step.index, done },
    });
  }
  if (!changed) return;
  await refreshRunbookMessage(deps, incident);
  await refreshIncidentCard(deps, incident.id);
}

/** Re-renders the posted checklist from the timeline, so every reader sees the same ticks (who, when). */
async function refreshRunbookMessage(deps: RunbookDeps, incident: Incident): Promise<void> {
  const [posted] = await timelineEntriesOfKind(deps.db, incident.id, RUNBOOK_POSTED_KIND);
  const ts = posted?.data.ts;
  if (!incident.channelId || typeof ts !== 'string') return;
  const steps = await incidentRunbook(deps, incident);
  await deps.slack.updateMessage({ channel: incident.channelId, ts, ...runbookChecklist(incident.id, steps) });
}
