/**
 * How every HTTP route of ours answers: one reply function (text or JSON) and one bearer-token
 * check, so status codes, content types and the 401's `WWW-Authenticate` are the same everywhere.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A JSON answer's body. */
type JsonBody = Record<string, unknown>;

/**
 * Answers with `status`: a string as UTF-8 plain text, an object as JSON. `headers` may add
 * headers or set another content type (CSV, Markdown).
 */
export function reply(res: ServerResponse, status: number, body: string | JsonBody, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string';
  res.writeHead(status, { 'content-type': text ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...headers });
  res.end(text ? body : JSON.stringify(body));
}

/**
 * Answers with `status` and a body of text pieces sent as they come, with backpressure (a large
 * export never held whole, issue 26). Rejects when the pieces or the socket fail: the status has
 * left by then, so the response is cut short (no final chunk), which a client sees as a failure.
 */
export async function replyStream(
  res: ServerResponse,
  status: number,
  pieces: AsyncIterable<string>,
  headers: Record<string, string> = {},
): Promise<void> {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  await pipeline(Readable.from(pieces), res);
}

/**
 * The gate of a route behind a bearer token: without a configured token the route is off (404
 * with `offMessage`); a missing or wrong `Authorization: Bearer` is 401. Answers the request
 * itself and returns false when it may not go on.
 */
export function bearerAllowed(req: IncomingMessage, res: ServerResponse, token: string | undefined, offMessage: string): boolean {
  if (!token) {
    reply(res, 404, offMessage);
    return false;
  }
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  if (!sameSecret(given, token)) {
    reply(res, 401, 'A valid bearer token is required.\n', { 'www-authenticate': 'Bearer' });
    return false;
  }
  return true;
}

/** Constant-time comparison of two secrets. */
function sameSecret(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}
