/** The runbook checklist posted in the incident channel. Pure. */
import type { KnownBlock } from '@slack/types';
import { runbookProgress, type RunbookStepState } from '../domain/runbook.js';
import { escapeMrkdwn, slackDate, userMention } from '../slack-api/mrkdwn.js';
import { capBlocks, contextOf, plainText, section, sectionsOf } from './kit.js';
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

/** One step in full, with who ticked it and when: Slack cuts option text at 75 characters, a section is not cut. */
function stepLine(step: RunbookStepState): string {
  const box = step.doneAt ? ':white_check_mark:' : ':white_large_square:';
  const done = step.doneAt ? ` (done${step.doneBy ? ` by ${userMention(step.doneBy)}` : ''} ${slackDate(step.doneAt)})` : '';
  return `${box} *${step.index + 1}.* ${escapeMrkdwn(step.text)}${done}`;
}

/**
 * The checklist: each group of 10 steps is a section with every step in full (a safety
 * instruction is never cut off) and who ticked it when, then a checkboxes element whose option
 * values are the step indexes. The option text is the step's number and its start, as Slack
 * cuts option text at 75 characters. Re-rendered on every tick, so everyone sees the same state.
 */
export function runbookChecklist(incidentId: string, steps: readonly RunbookStepState[]): RenderedMessage {
  const groups: KnownBlock[] = [];
  for (let start = 0; start < steps.length; start += RUNBOOK_OPTIONS_PER_ELEMENT) {
    const chunk = steps.slice(start, start + RUNBOOK_OPTIONS_PER_ELEMENT);
    const options = chunk.map((s) => ({ text: plainText(`${s.index + 1}. ${s.text}`, SLACK_LIMITS.optionText), value: String(s.index) }));
    const initial = options.filter((_, i) => chunk[i]?.doneAt !== null);
    groups.push(...sectionsOf(chunk.map(stepLine).join('\n')));
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
  const { done, total } = runbookProgress(steps);
  const blocks = [
    section(`*Runbook* (${done} of ${total} ${total === 1 ? 'step' : 'steps'} done)`),
    ...capBlocks(groups, SLACK_LIMITS.messageBlocks - 2, (n) => contextOf(`${n} more blocks of steps are not shown.`)),
    contextOf('Tick a step when it is done; this message shows everyone who ticked it and when, and so does the timeline.'),
  ];
  return { text: `Runbook: ${done} of ${total} steps done`, blocks };
}
