import type { IncomingMessage } from 'node:http';

/** Fields @slack/web-api JSON-encodes in form bodies; the fake hands them to methods as objects. */
const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'files', 'metadata', 'unfurls', 'document_content', 'changes']);

/** A parsed request: arguments without the token, the token (header or form field), the raw bytes. */
export interface ParsedRequest {
  args: Record<string, unknown>;
  token: string | undefined;
  raw: Buffer;
  /** Files of a multipart body (the upload step of files.uploadV2 sends one named `body`). */
  uploads: Buffer[];
}

/** Reads the whole body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function decodeJsonFields(args: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(args)) {
    const value = args[key];
    if (!JSON_FIELDS.has(key) || typeof value !== 'string') continue;
    try {
      args[key] = JSON.parse(value) as unknown;
    } catch {
      // Slack would reject it; leave the string so the method answers `invalid_arguments`.
    }
  }
  return args;
}

async function parseMultipart(raw: Buffer, contentType: string): Promise<{ args: Record<string, unknown>; uploads: Buffer[] }> {
  // The Fetch API's multipart parser (undici) saves writing one; it needs a Response to run on.
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const args: Record<string, unknown> = {};
  const uploads: Buffer[] = [];
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') args[key] = value;
    else uploads.push(Buffer.from(await value.arrayBuffer()));
  }
  return { args, uploads };
}

/**
 * Parses what @slack/web-api sends: `application/x-www-form-urlencoded` (the default),
 * `application/json`, or `multipart/form-data` (binary data).
 */
export async function parseRequest(req: IncomingMessage): Promise<ParsedRequest> {
  const raw = await readBody(req);
  const contentType = req.headers['content-type'] ?? '';
  let args: Record<string, unknown> = {};
  let uploads: Buffer[] = [];
  if (contentType.startsWith('application/json')) {
    const parsed: unknown = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    args = typeof parsed === 'object' && parsed !== null ? { ...(parsed as Record<string, unknown>) } : {};
  } else if (contentType.startsWith('multipart/form-data')) {
    ({ args, uploads } = await parseMultipart(raw, contentType));
  } else {
    args = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  }
  const header = req.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
  const formToken = typeof args['token'] === 'string' ? args['token'] : undefined;
  delete args['token'];
  return { args: decodeJsonFields(args), token: bearer ?? formToken, raw, uploads };
}
