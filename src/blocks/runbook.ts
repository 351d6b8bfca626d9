/** The runbook checklist posted in the incident channel. Pure. */
import type { KnownBlock } from '@slack/types';
import type { RunbookStepState } from '../domain/runbook.js';
import { capBlocks, contextOf, plainText, section } from './kit.js';
import { SLACK_LIMITS } from './slack-limits.js';
import type { RenderedMessage } from './incident-messages.js';

export const RUNBOOK_TICK_ACTION = 'runbook_tick';
/** Slack allows at most 10 options in one checkboxes element. */
export const RUNBOOK_OPTIONS_PER_ELEMENT = 10;
const BLOCK_PREFIX = 'runbook:';

/** `runbook:<incident id>:<first step index>`: which incident and which steps a checkboxes element holds. */
export function runbookBlockId(incidentId: string, start: number): string {
  return `${BLOCK_PREFIX}${incidentId}:${start}`;
}

export function parseRunbookBlockId(blockId: string): { incidentId: string; start: number } | null {
  const match = /^runbook:([^:]+):(\d+)$/.exec(blockId);
  return match ? { incidentId: match[1] as string, start: Number(match[2]) } : null;
}

/** The checklist: one checkboxes element per 10 steps; option values are the step indexes. */
export function runbookChecklist(incidentId: string, steps: readonly RunbookStepState[]): RenderedMessage {
  const groups: KnownBlock[] = [];
  for (let start = 0; start < steps.length; start += RUNBOOK_OPTIONS_PER_ELEMENT) {
    const chunk = steps.slice(start, start + RUNBOOK_OPTIONS_PER_ELEMENT);
    const options = chunk.map((s) => ({ text: plainText(s.text, SLACK_LIMITS.optionText), value: String(s.index) }));
    const initial = options.filter((_, i) => chunk[i]?.doneAt !== null);
    groups.push({
      type: 'actions',
      block_id: runbookBlockId(incidentId, start),
      elements: [
        {
          type: 'checkboxes',
          action_id: RUNBOOK_TICK_ACTION,
          options,
          ...(initial.length ? { initial_options: initial } : {}),
        },
      ],
    });
  }
  const blocks = [
    section(`*Runbook* (${steps.length} ${steps.length === 1 ? 'step' : 'steps'})`),
    ...capBlocks(groups, SLACK_LIMITS.messageBlocks - 2, (n) => contextOf(`${n} more steps are not shown.`)),
    contextOf('Tick a step when it is done; who ticked it and when goes in the timeline.'),
  ];
  return { text: `Runbook: ${steps.length} steps`, blocks };
}
