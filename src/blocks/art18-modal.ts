/** `/incident art18`: a DSA Art. 18 notification (suspicion of an offence threatening life or safety). */
import type { KnownBlock, View } from '@slack/types';
import { plainText } from './kit.js';

export const ART18_CALLBACK_ID = 'art18_notice';
export const ART18_ACTION_ID = 'value';

const input = (block_id: string, label: string, element: Record<string, unknown>, optional: boolean, hint?: string): KnownBlock =>
  ({
    type: 'input',
    block_id,
    label: plainText(label),
    ...(optional ? { optional: true } : {}),
    ...(hint ? { hint: plainText(hint) } : {}),
    element: { action_id: ART18_ACTION_ID, ...element },
  }) as KnownBlock;

export function art18Modal(incidentId: string, incidentRef: string, promptlyMinutes: number): View {
  return {
    type: 'modal',
    callback_id: ART18_CALLBACK_ID,
    private_metadata: JSON.stringify({ incidentId }),
    title: plainText(`Art. 18 ${incidentRef}`, 24),
    submit: plainText('Record', 24),
    close: plainText('Cancel', 24),
    blocks: [
      input('suspected_offence', 'Suspected offence', { type: 'plain_text_input', multiline: true, max_length: 500 }, false),
      input(
        'member_states',
        'Member States concerned',
        { type: 'plain_text_input', max_length: 200 },
        false,
        'Codes (DE, FR), or Europol when none can be identified.',
      ),
      input(
        'aware_at',
        'Suspicion arose at',
        { type: 'datetimepicker' },
        false,
        `The "promptly" clock runs ${promptlyMinutes} min from it (internal target).`,
      ),
      input('authority', 'Authority informed', { type: 'plain_text_input', max_length: 200 }, true),
      input('informed_at', 'Informed at', { type: 'datetimepicker' }, true, 'Empty until the authority is informed; record it again then.'),
    ],
  };
}
