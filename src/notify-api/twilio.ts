/**
 * The one place that calls Twilio's REST API (`/2010-04-01/Accounts/<sid>/Messages.json` and
 * `Calls.json`, form-encoded, basic auth). `TWILIO_API_URL` points it at the sandbox's fake.
 * Twilio has no idempotency key for messages or calls: a retry that may follow an accepted
 * request looks it up first (a message by the tag in its body, a call by its number and time).
 */
import { ProviderFailure } from './errors.js';

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  from: string;
  apiUrl: string;
  timeoutMs?: number;
}

/** What Twilio returned for a message or call we made. */
export interface TwilioResource {
  sid: string;
}

export interface TwilioGateway {
  sendSms(input: { to: string; body: string; statusCallback?: string }): Promise<TwilioResource>;
  /** A message to `to` since `since` whose body contains `tag`: the one an earlier attempt sent. */
  findSms(input: { to: string; since: Date; tag: string }): Promise<TwilioResource | undefined>;
  call(input: { to: string; twiml: string; statusCallback?: string }): Promise<TwilioResource>;
  /** A call from our number to `to` started at or after `since`. */
  findCall(input: { to: string; since: Date }): Promise<TwilioResource | undefined>;
}

interface Listed {
  sid: string;
  body?: string;
  to: string;
  from: string;
  date_created: string;
}

export function createTwilioGateway(settings: TwilioSettings): TwilioGateway {
  const base = `${settings.apiUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}`;
  const auth = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`;
  const timeoutMs = settings.timeoutMs ?? 5000;

  async function request(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await fetch(`${base}/${path}`, {
        method,
        headers: { authorization: auth, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(form ? { body: new URLSearchParams(form).toString() } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new ProviderFailure('unavailable', timedOut ? 'timeout' : 'connection', { cause: err });
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.ok) return body;
    const code = typeof body.code === 'number' ? String(body.code) : `http_${res.status}`;
    // 4xx with a Twilio code (21211 invalid number, 21610 unsubscribed, 21614 not a mobile): will not heal by retrying.
    throw new ProviderFailure(res.status >= 500 || res.status === 429 ? 'unavailable' : 'refused', code);
  }

  const day = (d: Date) => d.toISOString().slice(0, 10);
  const sidOf = (body: Record<string, unknown>): TwilioResource => {
    if (typeof body.sid !== 'string') throw new ProviderFailure('unavailable', 'no_sid');
    return { sid: body.sid };
  };

  return {
    async sendSms({ to, body, statusCallback }) {
      return sidOf(
        await request('POST', 'Messages.json', {
          To: to,
          From: settings.from,
          Body: body,
          ...(statusCallback ? { StatusCallback: statusCallback } : {}),
        }),
      );
    },
    async findSms({ to, since, tag }) {
      const query = new URLSearchParams({ To: to, From: settings.from, 'DateSent>': day(since) });
      const listed = (await request('GET', `Messages.json?${query}`)).messages as Listed[] | undefined;
      const found = (listed ?? []).find((m) => (m.body ?? '').includes(tag));
      return found && { sid: found.sid };
    },
    async call({ to, twiml, statusCallback }) {
      return sidOf(
        await request('POST', 'Calls.json', {
          To: to,
          From: settings.from,
          Twiml: twiml,
          ...(statusCallback ? { StatusCallback: statusCallback } : {}),
        }),
      );
    },
    async findCall({ to, since }) {
      const query = new URLSearchParams({ To: to, From: settings.from, 'StartTime>': day(since) });
      const listed = (await request('GET', `Calls.json?${query}`)).calls as Listed[] | undefined;
      const found = (listed ?? []).find((c) => Date.parse(c.date_created) >= Math.floor(since.getTime() / 1000) * 1000);
      return found && { sid: found.sid };
    },
  };
}
