/**
 * What a person does on their sandbox phone: texts our number (the fake Twilio posts it, signed,
 * to the bot's SMS webhook) or presses a key on a call (posted, signed, to the call's <Gather
 * action>). The bot cannot tell these from real Twilio's requests.
 */
import type { Mailbox } from './mail/mailbox.js';
import type { FakeTwilio } from './twilio/fake-twilio.js';
import { SANDBOX_PEOPLE } from './workspace.js';

/** The fake Twilio and the mail server behind each person's phone and mailbox (none where real ones are set). */
export interface SandboxDevices {
  twilio: FakeTwilio | undefined;
  mailbox: Mailbox | undefined;
}

/** A text from the person's phone to our number; nothing when the sandbox's Twilio is real. */
export async function textMeridian(devices: SandboxDevices, user: string, text: string): Promise<void> {
  const phone = SANDBOX_PEOPLE.find((p) => p.id === user)?.phone;
  if (!devices.twilio || !phone) return;
  await devices.twilio.replySms(phone, text);
}

/** A key pressed on one of the person's own calls (anyone else's call is not on their phone). */
export async function pressKey(devices: SandboxDevices, user: string, callSid: string, digits: string): Promise<void> {
  const twilio = devices.twilio;
  const phone = SANDBOX_PEOPLE.find((p) => p.id === user)?.phone;
  const call = twilio?.calls.find((c) => c.sid === callSid && c.to === phone);
  if (!twilio || !call?.gatherUrl) return;
  await twilio.pressKey(call.sid, digits);
}
