/**
 * POST /api/intake: reports from outside Slack, signed like Slack's requests (see docs/intake.md).
 * Nothing is stored unless the request is signed, within the size limit, JSON, valid, from a
 * source the config names, signed by that source's secret, and under its secret's and the overall
 * rate limit. The report's text is never logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { SHARED_INTAKE_SECRET, secretNameOf, type IntakeSource, type IntakeSubmission, type ReportStatus } from '../domain/intake.js';
import type { Logger } from '../log.js';
import { parseIntakeReport } from './intake-body.js';
import { reply } from './reply.js';
import { INTAKE_SIGNATURE_HEADER, INTAKE_TIMESTAMP_HEADER, verifyIntakeSignature } from './intake-signature.js';

/** The largest body read; more is refused with 413 and not read further. */
export const INTAKE_MAX_BODY_BYTES = 64 * 1024;

export interface IntakeRouteDeps {
  /** INTAKE_SIGNING_SECRET; unset: the route answers 404. */
  secret: string | undefined;
  /** INTAKE_SOURCE_SECRETS: the secrets of single sources, by name (`intake.sources[].secret`). */
  sourceSecrets: Readonly<Record<string, string>>;
  /** `intake.sources`: only these may send, each signed by its own secret or the shared one. */
  sources: readonly IntakeSource[];
  categoryIds: readonly string[];
  /** Seconds until requests signed by this secret may come again, or null when allowed. */
  rateLimit(secretName: string): Promise<number | null>;
  receive(report: IntakeSubmission): Promise<{ reportId: string; status: ReportStatus; created: boolean }>;
  logger: Logger;
  clock: () => Date;
}

type Body = { ok: true; raw: Buffer } | { ok: false };

/** The intake's answers are JSON. */
type Send = (status: number, body: Record<string, unknown>, extra?: Record<string, string>) => void;

/** Reads at most `limit` bytes; past it, stops reading and answers false. */
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve({ ok: false });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve({ ok: true, raw: Buffer.concat(chunks) }));
    req.once('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function intakeRoute(deps: IntakeRouteDeps): CustomRoute {
  return {
    path: '/api/intake',
    method: ['POST'],
    handler: async (req, res) => {
      const send: Send = (status, body, extra) => reply(res, status, body, extra);
      if (!deps.secret) return send(404, { error: 'not_found' });
      try {
        await handle(deps, deps.secret, req, res, send);
      } catch (err) {
        deps.logger.error({ err }, 'intake request failed');
        if (!res.headersSent) send(500, { error: 'internal_error' });
      }
    },
  };
}

async function handle(deps: IntakeRouteDeps, secret: string, req: IncomingMessage, res: ServerResponse, send: Send): Promise<void> {
  const tooLarge = () => {
    send(413, { error: 'too_large', limit_bytes: INTAKE_MAX_BODY_BYTES }, { connection: 'close' });
    // The rest of the body is never read: drop the connection once the answer is out.
    res.once('finish', () => req.destroy());
  };
  if (Number(header(req, 'content-length') ?? 0) > INTAKE_MAX_BODY_BYTES) return tooLarge();
  const body = await readBody(req, INTAKE_MAX_BODY_BYTES);
  if (!body.ok) return tooLarge();

  const signedBy = signingSecretOf(deps, secret, req, body.raw);
  if (signedBy === undefined) {
    deps.logger.warn({ route: '/api/intake' }, 'intake request with a missing, stale or wrong signature');
    return send(401, { error: 'invalid_signature' });
  }

  const type = (header(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  let json: unknown;
  try {
    if (type !== 'application/json') throw new Error('not JSON');
    json = JSON.parse(body.raw.toString('utf8'));
  } catch {
    return send(415, { error: 'unsupported_media_type', message: 'Send the report as JSON with content-type application/json.' });
  }

  const parsed = parseIntakeReport(json, deps.categoryIds, deps.clock());
  if (!parsed.ok) return send(400, { error: 'invalid_report', issues: parsed.issues });
  const source = deps.sources.find((s) => s.id === parsed.report.source);
  if (!source) {
    deps.logger.warn({ signedBy }, 'intake report from a source the config does not name');
    return send(400, {
      error: 'invalid_report',
      issues: [{ path: 'source', message: "expected a source listed in the config's intake.sources" }],
    });
  }
  // A source is bound to its secret: the shared secret cannot speak for a source that has its own.
  if (secretNameOf(source) !== signedBy) {
    deps.logger.warn({ source: source.id, signedBy }, "intake report signed with a secret that is not its source's");
    return send(403, {
      error: 'wrong_secret_for_source',
      message: `Reports from ${source.id} must be signed with that source's own secret.`,
    });
  }

  const retryAfter = await deps.rateLimit(signedBy);
  if (retryAfter !== null) {
    deps.logger.warn({ source: parsed.report.source, signedBy, retryAfter }, 'intake sender over the rate limit');
    return send(429, { error: 'rate_limited', retry_after_seconds: retryAfter }, { 'retry-after': String(retryAfter) });
  }

  const received = await deps.receive(parsed.report);
  deps.logger.info(
    { reportId: received.reportId, source: parsed.report.source, externalId: parsed.report.externalId, created: received.created },
    received.created ? 'intake report received' : 'intake report received again',
  );
  send(received.created ? 202 : 200, { report_id: received.reportId, status: received.status });
}

/** The name of the secret that signed the request (`shared` or a source secret's), or undefined when none did. */
function signingSecretOf(deps: IntakeRouteDeps, shared: string, req: IncomingMessage, rawBody: Buffer): string | undefined {
  const signature = {
    timestamp: header(req, INTAKE_TIMESTAMP_HEADER),
    signature: header(req, INTAKE_SIGNATURE_HEADER),
    rawBody,
    now: deps.clock(),
  };
  const candidates: Array<[string, string]> = [[SHARED_INTAKE_SECRET, shared], ...Object.entries(deps.sourceSecrets)];
  return candidates.find(([, secret]) => verifyIntakeSignature({ ...signature, secret }))?.[0];
}
