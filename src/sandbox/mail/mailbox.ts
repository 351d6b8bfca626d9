/**
 * The sandbox's mail server: a real SMTP server on loopback (the `smtp-server` package, as the
 * tests use) that keeps what it receives, so the bot sends its page emails exactly as it would
 * to a real server (SMTP_URL), and each person's mailbox panel shows them.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One email as a mail client shows it: decoded subject and text. */
export interface SandboxMail {
  id: string;
  to: string[];
  from: string;
  subject: string;
  text: string;
  receivedAt: Date;
}

export interface Mailbox {
  /** smtp://127.0.0.1:<port> */
  url: string;
  mails: SandboxMail[];
  close(): Promise<void>;
}

/** Mails kept, at most: the oldest go first. */
const KEEP = 200;
/** A page email is a few kilobytes: anything far larger is refused. */
const MAX_SIZE = 1024 * 1024;

/** Decodes RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`) in a header. */
function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=\s*/g, (_, _charset: string, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

function decodeBody(body: string, encoding: string): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

interface Part {
  headers: Map<string, string>;
  body: string;
}

function splitPart(raw: string): Part {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** The first text/plain of a message (multipart or not), decoded. */
function plainText(part: Part, depth = 0): string | undefined {
  const type = part.headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary && depth < 4) {
    for (const chunk of part.body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const text = plainText(splitPart(chunk.replace(/^\r?\n/, '')), depth + 1);
      if (text !== undefined) return text;
    }
    return undefined;
  }
  if (!/^text\/plain/i.test(type)) return undefined;
  const text = decodeBody(part.body, (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase());
  return text.replace(/\r\n/g, '\n').trimEnd();
}

/** What a mail client shows of a raw message. */
export function readMail(raw: string): Pick<SandboxMail, 'from' | 'subject' | 'text'> {
  const message = splitPart(raw);
  return {
    from: decodeWords(message.headers.get('from') ?? ''),
    subject: decodeWords(message.headers.get('subject') ?? ''),
    text: plainText(message) ?? '',
  };
}

/** Starts the mail server on loopback; `onMail` is told of each message kept. */
export async function startMailbox(opts: { onMail?: () => void } = {}): Promise<Mailbox> {
  const mails: SandboxMail[] = [];
  let seq = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: MAX_SIZE,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        seq += 1;
        mails.push({
          id: `mail-${seq}`,
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          ...readMail(Buffer.concat(chunks).toString('utf8')),
          receivedAt: new Date(),
        });
        if (mails.length > KEEP) mails.splice(0, mails.length - KEEP);
        opts.onMail?.();
        done();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
