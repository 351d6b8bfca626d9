/**
 * A fake Twilio over real HTTP, speaking the REST contract Meridian uses: `Messages.json` and
 * `Calls.json` under `/2010-04-01/Accounts/<sid>/` (create with form fields, list with `To`,
 * `From`, `DateSent>`/`StartTime>` filters), basic auth, Twilio's error body
 * (`{ code, message, more_info, status }`, 20003 unauthenticated, 21211 invalid 'To', 21610
 * unsubscribed recipient, 21205/21201 missing fields), and signed status callbacks with
 * Twilio's fields (a message: `sent`, then `delivered` or `undelivered` with its ErrorCode; a
 * call: its final CallStatus, `completed`, `busy`, `no-answer` or `failed`). A phone's side is
 * here too: what each number was sent, a reply by SMS, a key pressed on a call, each signed with
 * X-Twilio-Signature as Twilio signs them, and what Meridian answered.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

export interface FakeSms {
  sid: string;
  to: string;
  from: string;
  body: string;
  dateCreated: Date;
  status: string;
}

/** An SMS a phone sent to our number, and what the webhook answered (the TwiML's <Message>). */
export interface FakeReply {
  from: string;
  body: string;
  dateCreated: Date;
  status: number;
  answer: string;
}

export interface FakeCall {
  sid: string;
  to: string;
  from: string;
  twiml: string;
  /** The <Gather action> of its TwiML: where a pressed key is posted. */
  gatherUrl: string | undefined;
  dateCreated: Date;
  status: string;
  /** Keys pressed on it, and what Meridian said back (the TwiML's <Say>). */
  keys: { digits: string; status: number; said: string }[];
}

/** What becomes of a message or call to a number once Twilio took it: delivered (the default), or not. */
export interface DeliveryOutcome {
  sms?: 'undelivered' | 'failed';
  voice?: 'busy' | 'no-answer' | 'failed';
}

/** A status callback the fake posted, and the status the webhook answered with. */
export interface FakeStatusCallback {
  sid: string;
  status: string;
  answered: number;
}

/** A fault for the next requests that create messages or calls: an HTTP error, or the request taken and its answer lost (the connection dropped) or never sent. */
export type TwilioFault = { kind: 'http'; status: number } | { kind: 'hold-answer' } | { kind: 'lose-answer' };

export interface FakeTwilio {
  url: string;
  accountSid: string;
  authToken: string;
  /** Our number (TWILIO_FROM). */
  number: string;
  messages: FakeSms[];
  calls: FakeCall[];
  replies: FakeReply[];
  statusCallbacks: FakeStatusCallback[];
  /** Messages or calls to `number` are taken, then not delivered (ErrorCode 30003 for an SMS), or no longer fail with `undefined`. */
  deliver(number: string, outcome: DeliveryOutcome | undefined): void;
  /** Where our number's incoming SMS are posted (the number's "A message comes in" webhook). */
  setSmsWebhook(url: string): void;
  /** Numbers that answer 21610 (the person sent STOP). */
  unsubscribe(number: string): void;
  fail(fault: TwilioFault, opts?: { times?: number; method?: 'sms' | 'voice' }): void;
  clearFaults(): void;
  /** An SMS from `from` to our number, posted signed to the SMS webhook; answers with the webhook's reply. */
  replySms(from: string, body: string, opts?: { signWith?: string }): Promise<{ status: number; text: string }>;
  /** A key pressed on a call: posted signed to its <Gather action>. */
  pressKey(callSid: string, digits: string): Promise<{ status: number; text: string }>;
  reset(): void;
  close(): Promise<void>;
}

const E164 = /^\+[1-9]\d{6,14}$/;
/** TwiML text back to plain text (numeric references, and the five named ones). */
const unxml = (s: string) =>
  s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const sid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

function twilioError(res: ServerResponse, status: number, code: number, message: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
}

function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.once('end', () => resolve(Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))));
    req.once('error', reject);
  });
}

/** Posts form params to `url` signed with `token`, as Twilio does. */
async function signedPost(url: string, params: Record<string, string>, token: string): Promise<{ status: number; text: string }> {
  const signature = twilio.getExpectedTwilioSignature(token, url, params);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, text: await res.text() };
}

export async function startFakeTwilio(
  opts: {
    accountSid?: string;
    authToken?: string;
    number?: string;
    clock?: () => Date;
    /** Told when a message, call, reply, key or status changes (the sandbox redraws its phones). */
    onChange?: () => void;
    /** False: no status callbacks even when asked for (a benchmark's control run). */
    statusCallbacks?: boolean;
  } = {},
): Promise<FakeTwilio> {
  const accountSid = opts.accountSid ?? `AC${'0'.repeat(31)}1`;
  const authToken = opts.authToken ?? 'fake-twilio-auth-token-0123456789';
  const ourNumber = opts.number ?? '+15005550006';
  const clock = opts.clock ?? (() => new Date());
  const changed = () => opts.onChange?.();
  const messages: FakeSms[] = [];
  const calls: FakeCall[] = [];
  const replies: FakeReply[] = [];
  const statusCallbacks: FakeStatusCallback[] = [];
  const outcomes = new Map<string, DeliveryOutcome>();
  const unsubscribed = new Set<string>();
  let faults: { fault: TwilioFault; times: number; method?: 'sms' | 'voice' }[] = [];
  let smsWebhook: string | undefined;
  const held: ServerResponse[] = [];

  const nextFault = (method: 'sms' | 'voice') => {
    const f = faults.find((x) => x.times > 0 && (!x.method || x.method === method));
    if (f) f.times -= 1;
    return f?.fault;
  };
  /**
   * Twilio's status callbacks for a message or call it took, in order, after its answer: a
   * message `sent` then `delivered` (or `undelivered`/`failed` with an ErrorCode), a call its
   * final status (Twilio's default StatusCallbackEvent is `completed`, whatever the outcome).
   */
  const reportStatus = async (url: string, record: FakeSms | FakeCall) => {
    const common = { AccountSid: accountSid, ApiVersion: '2010-04-01', From: record.from, To: record.to };
    const outcome = outcomes.get(record.to);
    let steps: Record<string, string>[];
    if ('body' in record) {
      const final = outcome?.sms ?? 'delivered';
      const status = (s: string) => ({ ...common, MessageSid: record.sid, SmsSid: record.sid, MessageStatus: s, SmsStatus: s });
      // 30003: unreachable destination handset; 30008: unknown error.
      const failure = final === 'delivered' ? {} : { ErrorCode: final === 'failed' ? '30008' : '30003' };
      steps = [...(final === 'failed' ? [] : [status('sent')]), { ...status(final), ...failure }];
    } else {
      const final = outcome?.voice ?? 'completed';
      steps = [
        {
          ...common,
          CallSid: record.sid,
          CallStatus: final,
          Direction: 'outbound-api',
          CallbackSource: 'call-progress-events',
          SequenceNumber: '0',
          Timestamp: clock().toUTCString().replace('GMT', '+0000'),
          Called: record.to,
          Caller: record.from,
          ...(final === 'completed' ? { CallDuration: '12', Duration: '1' } : {}),
        },
      ];
    }
    for (const params of steps) {
      record.status = params.MessageStatus ?? params.CallStatus ?? record.status;
      const answered = await signedPost(url, params, authToken).then(
        (r) => r.status,
        () => 0,
      );
      statusCallbacks.push({ sid: record.sid, status: record.status, answered });
      changed();
    }
  };
  const shown = (r: FakeSms | FakeCall) => ({
    sid: r.sid,
    account_sid: accountSid,
    to: r.to,
    from: r.from,
    status: r.status,
    date_created: r.dateCreated.toUTCString().replace('GMT', '+0000'),
    ...('body' in r ? { body: r.body, num_segments: '1', direction: 'outbound-api' } : { direction: 'outbound-api' }),
  });
  const since = (q: URLSearchParams, key: string) => {
    const day = q.get(`${key}>`) ?? q.get(key);
    return day ? Date.parse(`${day}T00:00:00Z`) : 0;
  };

  async function create(method: 'sms' | 'voice', req: IncomingMessage, res: ServerResponse) {
    const form = await readForm(req);
    const to = form.To ?? '';
    if (!form.To) return twilioError(res, 400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return twilioError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!form.From) return twilioError(res, 400, 21603, "A 'From' phone number is required.");
    if (method === 'sms' && !form.Body) return twilioError(res, 400, 21602, 'Message body is required.');
    if (method === 'voice' && !form.Twiml && !form.Url) return twilioError(res, 400, 21205, 'Url or Twiml is required.');
    if (method === 'sms' && unsubscribed.has(to)) return twilioError(res, 400, 21610, 'Attempt to send to unsubscribed recipient');
    const fault = nextFault(method);
    if (fault?.kind === 'http') return twilioError(res, fault.status, 20500, 'An internal server error has occurred');
    const record =
      method === 'sms'
        ? { sid: sid('SM'), to, from: form.From, body: form.Body ?? '', dateCreated: clock(), status: 'queued' }
        : {
            sid: sid('CA'),
            to,
            from: form.From,
            twiml: form.Twiml ?? '',
            gatherUrl: /<Gather[^>]*\saction="([^"]+)"/
              .exec(form.Twiml ?? '')?.[1]
              ?.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
              .replace(/&amp;/g, '&'),
            dateCreated: clock(),
            status: 'queued',
            keys: [],
          };
    if (method === 'sms') messages.push(record as FakeSms);
    else calls.push(record as FakeCall);
    changed();
    if (fault?.kind === 'lose-answer') {
      res.destroy(); // taken, then the connection drops before the answer
      return;
    }
    if (fault?.kind === 'hold-answer') {
      held.push(res); // taken, never answered: the caller times out, or is killed first
      return;
    }
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify(shown(record)));
    const statusCallback = form.StatusCallback;
    if (statusCallback && opts.statusCallbacks !== false)
      setImmediate(() => void reportStatus(statusCallback, record).catch(() => undefined));
  }

  function list(method: 'sms' | 'voice', url: URL, res: ServerResponse) {
    const q = url.searchParams;
    const from = since(q, method === 'sms' ? 'DateSent' : 'StartTime');
    const rows = (method === 'sms' ? messages : calls).filter(
      (r) => (!q.get('To') || r.to === q.get('To')) && (!q.get('From') || r.from === q.get('From')) && r.dateCreated.getTime() >= from,
    );
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ [method === 'sms' ? 'messages' : 'calls']: [...rows].reverse().map(shown), page: 0, page_size: 50 }));
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(url.pathname);
    if (!m) return twilioError(res, 404, 20404, 'The requested resource was not found');
    const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
    if (m[1] !== accountSid || auth !== `${accountSid}:${authToken}`) return twilioError(res, 401, 20003, 'Authenticate');
    const method = m[2] === 'Messages' ? 'sms' : 'voice';
    if (req.method === 'POST') return void create(method, req, res).catch(() => twilioError(res, 500, 20500, 'Internal error'));
    if (req.method === 'GET') return list(method, url, res);
    return twilioError(res, 405, 20004, 'Method not allowed');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    accountSid,
    authToken,
    number: ourNumber,
    messages,
    calls,
    replies,
    statusCallbacks,
    deliver(number, outcome) {
      if (outcome) outcomes.set(number, outcome);
      else outcomes.delete(number);
    },
    setSmsWebhook(u) {
      smsWebhook = u;
    },
    unsubscribe: (n) => void unsubscribed.add(n),
    fail: (fault, o = {}) =>
      void faults.push({ fault, times: o.times ?? Number.POSITIVE_INFINITY, ...(o.method ? { method: o.method } : {}) }),
    clearFaults() {
      faults = [];
    },
    async replySms(from, body, o = {}) {
      if (!smsWebhook) throw new Error('no SMS webhook set for the number');
      const params = { AccountSid: accountSid, MessageSid: sid('SM'), From: from, To: ourNumber, Body: body, NumMedia: '0' };
      const answer = await signedPost(smsWebhook, params, o.signWith ?? authToken);
      const said = /<Message>([\s\S]*?)<\/Message>/.exec(answer.text)?.[1] ?? '';
      replies.push({ from, body, dateCreated: clock(), status: answer.status, answer: unxml(said) });
      changed();
      return answer;
    },
    async pressKey(callSid, digits) {
      const call = calls.find((c) => c.sid === callSid);
      if (!call?.gatherUrl) throw new Error(`call ${callSid} has no <Gather action>`);
      const answer = await signedPost(
        call.gatherUrl,
        { AccountSid: accountSid, CallSid: call.sid, From: ourNumber, To: call.to, Digits: digits, ApiVersion: '2010-04-01' },
        authToken,
      );
      const said = [...answer.text.matchAll(/<Say>([\s\S]*?)<\/Say>/g)].map((m) => unxml(m[1] ?? '')).join(' ');
      call.keys.push({ digits, status: answer.status, said });
      changed();
      return answer;
    },
    reset() {
      messages.length = 0;
      calls.length = 0;
      replies.length = 0;
      statusCallbacks.length = 0;
      outcomes.clear();
      faults = [];
    },
    async close() {
      for (const res of held.splice(0)) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
