/**
 * The generic outgoing webhook for trackers other than Jira: a JSON POST signed like Slack signs
 * its requests (HMAC-SHA256 of `v0:<timestamp>:<body>` with a shared secret), carrying a delivery
 * id the receiver dedupes on, since a retry after a lost answer sends the same delivery again.
 */
import { createHmac } from 'node:crypto';

export interface OutgoingWebhook {
  /** Resolves when the receiver answered 2xx; throws `WebhookRefused` on 4xx (not retried), anything else to retry. */
  send(deliveryId: string, payload: unknown, at: Date): Promise<void>;
}

export class WebhookRefused extends Error {
  override readonly name = 'WebhookRefused';
}

export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function createOutgoingWebhook(opts: { url: string; secret: string; timeoutMs?: number }): OutgoingWebhook {
  return {
    async send(deliveryId, payload, at) {
      const body = JSON.stringify(payload);
      const timestamp = String(Math.floor(at.getTime() / 1000));
      let res: Response;
      try {
        res = await fetch(opts.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-meridian-delivery': deliveryId,
            'x-meridian-timestamp': timestamp,
            'x-meridian-signature': signWebhookBody(opts.secret, timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
      } catch (err) {
        throw new Error(`the follow-up webhook could not be reached (${err instanceof Error ? err.name : 'error'})`);
      }
      await res.body?.cancel();
      if (res.ok) return;
      if (res.status >= 400 && res.status < 500 && res.status !== 429)
        throw new WebhookRefused(`the follow-up webhook refused the delivery (${res.status})`);
      throw new Error(`the follow-up webhook answered ${res.status}`);
    },
  };
}
