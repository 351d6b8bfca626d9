/** `/oncall help`, and the answer to any subcommand we do not know. */
import { WHEN_FORMS } from '../domain/when-forms.js';
import { truncate } from '../domain/text.js';
import { escapeInCode } from '../slack-api/mrkdwn.js';
import { messageOf, type OncallMessage } from './oncall-format.js';

export function oncallHelpMessage(unknown?: string): OncallMessage {
  const shown = unknown && truncate(unknown, 61);
  const intro = shown ? `I don't know \`${escapeInCode(shown)}\`. Here is what I can do:` : 'Here is what I can do:';
  const text = [
    intro,
    '• `/oncall` or `/oncall now`: who is on call now in every schedule and hub, and until when',
    '• `/oncall next` (or `/oncall next 24h`): the coming handoffs, from whom to whom',
    '• `/oncall gaps`: stretches in the next 14 days with nobody on call',
    `• \`/oncall at <when>\`: who is (or was) on call then; <when> is ${WHEN_FORMS}, \`tomorrow 03:00\` or \`today 18:30\` (optionally with a zone), or \`in 3 hours\``,
    '• `/oncall load`: shifts, hours and out-of-hours hours per person over the next 4 weeks',
    "• `/oncall override`: cover someone's shift (opens a form)",
    '• `/oncall me`: where pages reach you beyond Slack (phone, email) and after how long (opens a form)',
    '• `/oncall help`: this help',
  ].join('\n');
  return messageOf([text]);
}
