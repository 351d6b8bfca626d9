import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { readMail } from '../../src/sandbox/mail/mailbox.js';

/** A message as nodemailer writes it on the wire (what the sandbox's SMTP server receives). */
async function wire(mail: { subject: string; text: string; html?: string }): Promise<string> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await transport.sendMail({ from: 'Meridian <meridian@sandbox.example>', to: 'aoife@sandbox.example', ...mail });
  return (info.message as Buffer).toString('utf8');
}

describe("the sandbox mailbox's reader", () => {
  it('when a page email has text and html parts, a non-ASCII subject and a long link, then the subject and the text read as sent', async () => {
    const link = `http://127.0.0.1:3000/ack/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}.1800000000.${'A'.repeat(43)}`;
    const text = `You are paged for INC-7: Désinformation — vague coordonnée.\n\nAcknowledge: ${link}\n`;
    const raw = await wire({ subject: '[Meridian] Page: INC-7 SEV1 Critical: Désinformation — vague', text, html: '<p>html</p>' });
    expect(raw).toContain('multipart/alternative');
    const read = readMail(raw);
    expect(read.subject).toBe('[Meridian] Page: INC-7 SEV1 Critical: Désinformation — vague');
    expect(read.from).toBe('Meridian <meridian@sandbox.example>');
    expect(read.text).toBe(text.trimEnd());
  });

  it('when a message is plain text only, then its text is read', async () => {
    const read = readMail(await wire({ subject: 'Code', text: 'Your code is 123456.' }));
    expect(read).toMatchObject({ subject: 'Code', text: 'Your code is 123456.' });
  });
});
