/** `/incident ncmec`: the CyberTipline packet's fields, and NCMEC's report id once submitted. */
import type { KnownBlock, View } from '@slack/types';
import { NCMEC_ANNOTATIONS, NCMEC_INCIDENT_TYPES } from '../domain/ncmec.js';
import { plainText } from './kit.js';

export const NCMEC_CALLBACK_ID = 'ncmec_packet';
export const NCMEC_ACTION_ID = 'value';

const input = (block_id: string, label: string, element: Record<string, unknown>, optional = true, hint?: string): KnownBlock =>
  ({
    type: 'input',
    block_id,
    label: plainText(label),
    ...(optional ? { optional: true } : {}),
    ...(hint ? { hint: plainText(hint) } : {}),
    element: { action_id: NCMEC_ACTION_ID, ...element },
  }) as KnownBlock;

export function ncmecModal(incidentId: string, incidentRef: string): View {
  return {
    type: 'modal',
    callback_id: NCMEC_CALLBACK_ID,
    private_metadata: JSON.stringify({ incidentId }),
    title: plainText(`CyberTipline ${incidentRef}`, 24),
    submit: plainText('Prepare', 24),
    close: plainText('Cancel', 24),
    blocks: [
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'Meridian prepares the packet; you submit it and the files in the CyberTipline. Never paste the material here.',
          },
        ],
      },
      input(
        'incident_type',
        'Incident type',
        { type: 'static_select', options: NCMEC_INCIDENT_TYPES.map((t, i) => ({ text: plainText(t, 75), value: String(i) })) },
        false,
      ),
      input(
        'escalate_reason',
        'Escalate to high priority because',
        { type: 'plain_text_input', max_length: 300 },
        true,
        'e.g. immediate risk to a child; empty: not escalated',
      ),
      input('annotations', 'Annotations', {
        type: 'checkboxes',
        options: NCMEC_ANNOTATIONS.map((a) => ({ text: plainText(a), value: a })),
      }),
      input('incident_at', 'When it happened', { type: 'datetimepicker' }, false),
      input('incident_at_description', 'About that time', { type: 'plain_text_input', max_length: 300 }),
      input('agency_name', 'Law enforcement agency (if it began as a request)', { type: 'plain_text_input', max_length: 300 }),
      input('case_number', 'Case number', { type: 'plain_text_input', max_length: 300 }),
      input(
        'report_id',
        'NCMEC report id (once submitted)',
        { type: 'plain_text_input', max_length: 40 },
        true,
        'Starts the one-year preservation clock.',
      ),
      input('submitted_at', 'Submitted at', { type: 'datetimepicker' }, true, 'Empty: now.'),
    ],
  };
}
