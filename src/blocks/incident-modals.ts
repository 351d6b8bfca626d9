import type { View } from '@slack/types';
import type { Incident } from '../domain/incident.js';
import { INCIDENT_ROLES, ROLE_LABEL } from '../domain/roles.js';
import { severityLabel, severityOptions, type Catalog } from './catalog.js';
import { incidentRef } from './incident-messages.js';
import { plainText } from './kit.js';
import { SLACK_LIMITS } from './slack-limits.js';

/** Callback ids of the modals an incident is run with; the metadata carries the incident id. */
export const INCIDENT_MODAL_CALLBACKS = {
  severity: 'incident_severity',
  update: 'incident_update',
  role: 'incident_role',
  resolve: 'incident_resolve',
} as const;

/** Every input's action id; the block id names the field. */
export const FIELD = 'value';

/**
 * The longest value each text input takes. The modal sets them as `max_length`, and the server
 * checks them again (`src/slack/inputs/incident-modals.ts`): a hand-built submission skips the modal.
 */
export const INCIDENT_TEXT_MAX = {
  reason: 1000,
  known: 3000,
  doing: 3000,
  resolution: 3000,
  mitigation: 3000,
  follow_ups: 3000,
} as const;

type TextField = keyof typeof INCIDENT_TEXT_MAX;

function shell(callbackId: string, incident: Incident, title: string, submit: string, blocks: View['blocks']): View {
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: JSON.stringify({ incidentId: incident.id }),
    title: plainText(title, SLACK_LIMITS.viewTitle),
    submit: plainText(submit),
    close: plainText('Cancel'),
    blocks: [{ type: 'context', elements: [plainText(`${incidentRef(incident)}: ${incident.title}`)] }, ...blocks],
  };
}

const textInput = (
  blockId: TextField,
  label: string,
  opts: { multiline?: boolean; optional?: boolean; initial?: string; placeholder?: string } = {},
) => ({
  type: 'input' as const,
  block_id: blockId,
  optional: opts.optional ?? false,
  label: plainText(label),
  element: {
    type: 'plain_text_input' as const,
    action_id: FIELD,
    multiline: opts.multiline ?? false,
    max_length: INCIDENT_TEXT_MAX[blockId],
    ...(opts.initial ? { initial_value: opts.initial } : {}),
    ...(opts.placeholder ? { placeholder: plainText(opts.placeholder) } : {}),
  },
});

export function severityModal(incident: Incident, catalog: Catalog): View {
  const options = severityOptions(catalog);
  const current = options.find((o) => o.value === incident.severity);
  return shell(INCIDENT_MODAL_CALLBACKS.severity, incident, 'Change severity', 'Change', [
    {
      type: 'input',
      block_id: 'severity',
      label: plainText(`Severity (now ${severityLabel(catalog, incident.severity)})`),
      element: { type: 'radio_buttons', action_id: FIELD, options, ...(current ? { initial_option: current } : {}) },
    },
    textInput('reason', 'Why', { multiline: true, placeholder: 'What changed: reach, harm, a deadline, press interest' }),
  ]);
}

export const UPDATE_STATUSES = ['investigating', 'mitigated'] as const;

export function updateModal(incident: Incident): View {
  const statusOptions = UPDATE_STATUSES.map((s) => ({ text: plainText(s === 'investigating' ? 'Investigating' : 'Mitigated'), value: s }));
  const current = statusOptions.find((o) => o.value === incident.status);
  return shell(INCIDENT_MODAL_CALLBACKS.update, incident, 'Post status update', 'Post', [
    {
      type: 'input',
      block_id: 'status',
      label: plainText('Status'),
      element: { type: 'static_select', action_id: FIELD, options: statusOptions, ...(current ? { initial_option: current } : {}) },
    },
    textInput('known', 'What we know', { multiline: true }),
    textInput('doing', 'What we are doing', { multiline: true }),
    {
      type: 'input',
      block_id: 'next_update',
      optional: true,
      label: plainText('Next update by'),
      element: { type: 'datetimepicker', action_id: FIELD },
    },
  ]);
}

export function roleModal(incident: Incident): View {
  return shell(INCIDENT_MODAL_CALLBACKS.role, incident, 'Assign a role', 'Assign', [
    {
      type: 'input',
      block_id: 'role',
      label: plainText('Role'),
      element: {
        type: 'static_select',
        action_id: FIELD,
        options: INCIDENT_ROLES.map((r) => ({ text: plainText(ROLE_LABEL[r]), value: r })),
      },
    },
    { type: 'input', block_id: 'user', label: plainText('Person'), element: { type: 'users_select', action_id: FIELD } },
  ]);
}

export function resolveModal(incident: Incident): View {
  return shell(INCIDENT_MODAL_CALLBACKS.resolve, incident, 'Resolve incident', 'Resolve', [
    textInput('resolution', 'Resolution summary', { multiline: true, placeholder: 'What happened and how it ended' }),
    textInput('mitigation', 'What mitigated it', { multiline: true, optional: true }),
    textInput('follow_ups', 'Follow-up actions (one per line)', { multiline: true, optional: true }),
  ]);
}
