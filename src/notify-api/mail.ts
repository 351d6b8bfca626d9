/**
 * The one place that sends email (nodemailer over SMTP_URL). SMTP has no way to ask "did you
 * take this one?": each email carries a Message-ID made from its notification, so a rare resend
 * after a crash is one thread in the reader's mail client.
 */
import nodemailer from 'nodemailer';
import { ProviderFailure } from './errors.js';

export interface MailGateway {
  send(input: { to: string; subject: string; text: string; html: string; messageId: string }): Promise<{ messageId: string }>;
  close(): void;
}

export function createMailGateway(settings: { url: string; from: string; timeoutMs?: number }): MailGateway {
  const timeout = settings.timeoutMs ?? 10_000;
  const url = new URL(settings.url);
  for (const [key, value] of Object.entries({ connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout })) {
    if (!url.searchParams.has(key)) url.searchParams.set(key, String(value));
  }
  const transport = nodemailer.createTransport(url.toString());
  return {
    async send({ to, subject, text, html, messageId }) {
      try {
        await transport.sendMail({ from: settings.from, to, subject, text, html, messageId });
        return { messageId };
      } catch (err) {
        const responseCode = (err as { responseCode?: number }).responseCode;
        // 5xx from the server: the address or the message is refused for good; anything else may heal.
        if (responseCode && responseCode >= 500) throw new ProviderFailure('refused', `smtp_${responseCode}`, { cause: err });
        throw new ProviderFailure('unavailable', responseCode ? `smtp_${responseCode}` : 'connection', { cause: err });
      }
    },
    close: () => transport.close(),
  };
}
