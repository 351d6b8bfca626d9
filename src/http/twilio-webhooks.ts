/**
 * Twilio's webhooks (POST /webhooks/twilio/sms, /voice, /status) and the email ack link
 * (GET /ack/<token>). A Twilio request is believed only with a valid X-Twilio-Signature, checked
 * with the twilio package's validateRequest against PUBLIC_URL plus the path (the address Twilio
 * calls) or, without PUBLIC_URL, the request's own URL; anything else is 403 and stores nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import twilio from 'twilio';
import type { Logger } from '../log.js';
import type { PagingServices } from '../services/paging/index.js';
import { reply } from './reply.js';

const MAX_BODY = 16 * 1024;

export interface TwilioWebhookDeps {
  /** TWILIO_AUTH_TOKEN; unset: the webhooks answer 404. */
  authToken: string | undefined;
  publicUrl: string | undefined;
  paging: Pick<PagingServices, 'receiveSms' | 'receiveKeypress' | 'followAckLink' | 'receiveDeliveryStatus'>;
  logger: Logger;
}

function readForm(req: IncomingMessage): Promise<Record<string, string> | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.once('end', () =>
      resolve(size > MAX_BODY ? undefined : Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))),
    );
    req.once('error', reject);
  });
}

const xml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const twiml = (res: ServerResponse, inner: string) =>
  reply(res, 200, `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`, { 'content-type': 'text/xml; charset=utf-8' });

/** Reads and verifies a Twilio request; answers it (404, 403, 413) and returns undefined when it may not go on. */
async function verified(deps: TwilioWebhookDeps, req: IncomingMessage, res: ServerResponse): Promise<Record<string, string> | undefined> {
  if (!deps.authToken) {
    reply(res, 404, 'Twilio is not configured here.\n');
    return undefined;
  }
  const params = await readForm(req);
  if (!params) {
    reply(res, 413, 'Too large.\n');
    return undefined;
  }
  const signature = req.headers['x-twilio-signature'];
  const url = `${deps.publicUrl ?? `http://${req.headers.host ?? 'localhost'}`}${req.url ?? '/'}`;
  if (typeof signature !== 'string' || !twilio.validateRequest(deps.authToken, signature, url, params)) {
    deps.logger.warn(
      { path: (req.url ?? '').split('?')[0], signed: typeof signature === 'string' },
      'twilio webhook refused: bad signature',
    );
    reply(res, 403, 'Invalid signature.\n');
    return undefined;
  }
  return params;
}

async function guarded(deps: TwilioWebhookDeps, res: ServerResponse, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    deps.logger.error({ err }, 'paging webhook failed');
    if (!res.headersSent) reply(res, 500, 'Something went wrong; acknowledge in Slack.\n');
  }
}

export function twilioWebhookRoutes(deps: TwilioWebhookDeps): CustomRoute[] {
  return [
    {
      path: '/webhooks/twilio/sms',
      method: ['POST'],
      handler: (req, res) =>
        void guarded(deps, res, async () => {
          const params = await verified(deps, req, res);
          if (!params) return;
          const text = await deps.paging.receiveSms({ from: params.From ?? '', body: params.Body ?? '' });
          twiml(res, `<Message>${xml(text)}</Message>`);
        }),
    },
    {
      path: '/webhooks/twilio/voice',
      method: ['POST'],
      handler: (req, res) =>
        void guarded(deps, res, async () => {
          const params = await verified(deps, req, res);
          if (!params) return;
          const notificationId = new URL(req.url ?? '/', 'http://x').searchParams.get('n') ?? '';
          const text = await deps.paging.receiveKeypress({ notificationId, digits: params.Digits });
          twiml(res, `<Say>${xml(text)}</Say>`);
        }),
    },
    {
      // Status callbacks for the SMS and calls pages send (StatusCallback): delivered or not.
      path: '/webhooks/twilio/status',
      method: ['POST'],
      handler: (req, res) =>
        void guarded(deps, res, async () => {
          const params = await verified(deps, req, res);
          if (!params) return;
          const outcome = await deps.paging.receiveDeliveryStatus({
            notificationId: new URL(req.url ?? '/', 'http://x').searchParams.get('n') ?? '',
            sid: params.MessageSid ?? params.CallSid ?? '',
            status: params.MessageStatus ?? params.CallStatus ?? '',
            errorCode: params.ErrorCode,
          });
          deps.logger.debug({ outcome, status: params.MessageStatus ?? params.CallStatus }, 'twilio status callback');
          reply(res, 204, '');
        }),
    },
    {
      path: '/ack/:token',
      method: ['GET'],
      handler: (req, res) =>
        void guarded(deps, res, async () => {
          const token = String((req as { params?: Record<string, string> }).params?.token ?? '');
          const { status, text } = await deps.paging.followAckLink(token);
          const page = `<!doctype html><html><head><meta charset="utf-8"><title>Meridian</title></head><body><p>${xml(text)}</p></body></html>`;
          reply(res, status, page, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        }),
    },
  ];
}
