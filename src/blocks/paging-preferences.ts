/** `/oncall me`: where a page reaches me (phone, email), after how long, and the code to verify them. */
import type { KnownBlock, View } from '@slack/types';
import { describeRules, maskAddress, type ContactKind, type NotificationRule } from '../domain/notification-rules.js';
import { plainText, section } from './kit.js';

export const ONCALL_ME_CALLBACK_ID = 'oncall_me';
/** The App Home button that opens the same modal as `/oncall me`. */
export const ONCALL_ME_OPEN_ACTION = 'oncall_me_open';

/** Block ids double as field names, so inline errors land on the right input. */
export const ME_BLOCKS = {
  phone: 'phone',
  email: 'email',
  smsAfter: 'sms_after',
  voiceAfter: 'voice_after',
  emailAfter: 'email_after',
  code: 'code',
} as const;
export const ME_ACTION_ID = 'value';

export interface MyContact {
  kind: ContactKind;
  address: string;
  verified: boolean;
}

const KIND_WORDS: Readonly<Record<ContactKind, string>> = { sms: 'Text messages', voice: 'Calls', email: 'Email' };

function input(blockId: string, label: string, opts: { initial?: string; placeholder?: string; hint?: string }) {
  return {
    type: 'input' as const,
    block_id: blockId,
    optional: true,
    label: plainText(label),
    ...(opts.hint ? { hint: plainText(opts.hint) } : {}),
    element: {
      type: 'plain_text_input' as const,
      action_id: ME_ACTION_ID,
      ...(opts.initial ? { initial_value: opts.initial } : {}),
      ...(opts.placeholder ? { placeholder: plainText(opts.placeholder) } : {}),
    },
  };
}

/** What the owner reads about their own pages: their addresses in full (only they and admins see them). */
export function myPagingSummary(contacts: readonly MyContact[], rules: readonly NotificationRule[], own: boolean): string {
  const lines = contacts.map(
    (c) => `• ${KIND_WORDS[c.kind]}: ${c.address} ${c.verified ? '(verified)' : '(waiting for the code we sent)'}`,
  );
  return [
    `*When you are paged:* ${describeRules(rules)}${own ? '' : ' (the team default)'}`,
    lines.length ? lines.join('\n') : 'No phone or email yet: pages reach you in Slack only.',
  ].join('\n');
}

/**
 * App Home's "Where pages reach me": the rules in words and each contact masked (a Home tab is
 * read over a shoulder or on a shared screen; the full address is in the modal), with a button
 * opening the `/oncall me` modal.
 */
export function pagingHomeBlock(contacts: readonly MyContact[], rules: readonly NotificationRule[], own: boolean): KnownBlock {
  const lines = contacts.map(
    (c) =>
      `• ${KIND_WORDS[c.kind]}: ${maskAddress(c.kind, c.address)} ${c.verified ? '(verified)' : '(not verified yet: type the code we sent)'}`,
  );
  const text = [
    `${describeRules(rules)}${own ? '' : ' (the team default)'}`,
    lines.length ? lines.join('\n') : 'No phone or email yet: pages reach you in Slack only.',
  ].join('\n');
  return {
    type: 'section',
    text: { type: 'mrkdwn', text },
    accessory: { type: 'button', action_id: ONCALL_ME_OPEN_ACTION, value: 'me', text: plainText('Change') },
  };
}

export function oncallMeModal(contacts: readonly MyContact[], rules: readonly NotificationRule[], own: boolean): View {
  const phone = contacts.find((c) => c.kind === 'sms')?.address;
  const email = contacts.find((c) => c.kind === 'email')?.address;
  const after = (m: NotificationRule['method']) => {
    const r = own ? rules.find((x) => x.method === m) : undefined;
    return r ? String(r.afterMinutes) : undefined;
  };
  const pending = contacts.some((c) => !c.verified);
  return {
    type: 'modal',
    callback_id: ONCALL_ME_CALLBACK_ID,
    title: plainText('Where pages reach me'),
    submit: plainText('Save'),
    close: plainText('Cancel'),
    blocks: [
      section(myPagingSummary(contacts, rules, own)),
      input(ME_BLOCKS.phone, 'Mobile number (texts and calls)', { ...(phone ? { initial: phone } : {}), placeholder: '+353 85 123 4567' }),
      input(ME_BLOCKS.email, 'Email', { ...(email ? { initial: email } : {}), placeholder: 'name@example.com' }),
      input(ME_BLOCKS.smsAfter, 'Text me after (minutes)', {
        ...(after('sms') ? { initial: after('sms') } : {}),
        hint: 'Empty: never. All three empty: the team default.',
      }),
      input(ME_BLOCKS.voiceAfter, 'Call me after (minutes)', after('voice') ? { initial: after('voice') } : {}),
      input(ME_BLOCKS.emailAfter, 'Email me after (minutes)', after('email') ? { initial: after('email') } : {}),
      ...(pending ? [input(ME_BLOCKS.code, 'Verification code we sent you', { placeholder: '6 digits' })] : []),
    ],
  };
}

/** The modal after saving: what changed, in the reader's words. */
export function oncallMeSaved(text: string): View {
  return { type: 'modal', title: plainText('Where pages reach me'), close: plainText('Done'), blocks: [section(text)] };
}
