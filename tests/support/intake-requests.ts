/** Reports sent to POST /api/intake the way an integrator sends them: signed with the intake secret. */
import { createHmac } from 'node:crypto';

export const INTAKE_SECRET = 'test-intake-secret-0123456789';

export interface IntakeReply {
  status: number;
  headers: Headers;
  json: Record<string, unknown> | undefined;
}

/** Sends `body` (an object is sent as JSON) signed at `now` (seconds; default the real clock), unless `headers` replace the signature. */
export async function sendReport(
  port: number,
  body: unknown,
  opts: { secret?: string; timestamp?: number; headers?: Record<string, string>; contentType?: string; sign?: boolean } = {},
): Promise<IntakeReply> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', opts.secret ?? INTAKE_SECRET)
    .update(`v0:${timestamp}:${raw}`)
    .digest('hex')}`;
  const signed: Record<string, string> =
    opts.sign === false ? {} : { 'x-meridian-request-timestamp': timestamp, 'x-meridian-signature': signature };
  const res = await fetch(`http://127.0.0.1:${port}/api/intake`, {
    method: 'POST',
    headers: { 'content-type': opts.contentType ?? 'application/json', ...signed, ...opts.headers },
    body: raw,
  });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json };
}
