/**
 * POST /webhooks/jira: Jira Cloud's admin webhook (issue created / updated), so an issue moved to
 * a Done status closes its follow-up at once; the `follow-up-sync` polling stays as the fallback.
 * The webhook is saved in Jira with JIRA_WEBHOOK_SECRET: Jira signs the raw body (X-Hub-Signature,
 * `sha256=<hex HMAC-SHA256>`). No secret configured: 404. No signature: 401; a wrong one: 403;
 * a body that is not a Jira issue event: 400 naming the fields. Nothing is stored before all pass.
 */
import type { IncomingMessage } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../log.js';
import type { TrackerIssueChange, TrackerIssueOutcome } from '../services/follow-ups/tracker-webhook.js';
import { JIRA_SIGNATURE_HEADER, verifyJiraSignature } from './jira-signature.js';
import { reply } from './reply.js';

/** Jira's issue payloads carry the whole issue (description, comments): room for big ones. */
const MAX_BODY = 1024 * 1024;

/** The part of Jira's `jira:issue_*` payload Meridian reads. */
const issueEvent = z.object({
  webhookEvent: z.string().min(1),
  issue: z.object({
    key: z.string().regex(/^[A-Z][A-Z0-9_]*-\d+$/, 'expected an issue key such as LEGAL-12'),
    fields: z.object({
      labels: z.array(z.string()).optional(),
      status: z.object({
        name: z.string(),
        statusCategory: z.object({ key: z.string().min(1) }),
      }),
    }),
  }),
});

/** The events that can change an issue's status; the rest (comments, worklogs, deletion) are answered and ignored. */
const ISSUE_EVENTS = new Set(['jira:issue_created', 'jira:issue_updated']);

export interface JiraWebhookDeps {
  /** JIRA_WEBHOOK_SECRET; unset: the route answers 404. */
  secret: string | undefined;
  receive(change: TrackerIssueChange): Promise<TrackerIssueOutcome>;
  logger: Logger;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.once('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

export function jiraWebhookRoute(deps: JiraWebhookDeps): CustomRoute {
  return {
    path: '/webhooks/jira',
    method: ['POST'],
    handler: (req, res) =>
      void (async () => {
        if (!deps.secret) return reply(res, 404, 'Jira webhooks are off here: set JIRA_WEBHOOK_SECRET.\n');
        const raw = await readBody(req);
        if (!raw) return reply(res, 413, { error: 'too_large' });
        const signature = req.headers[JIRA_SIGNATURE_HEADER];
        if (typeof signature !== 'string' || !signature)
          return reply(res, 401, { error: 'signature_required', message: 'Save the webhook in Jira with the shared secret.' });
        if (!verifyJiraSignature({ secret: deps.secret, signature, rawBody: raw })) {
          deps.logger.warn({ path: '/webhooks/jira' }, 'jira webhook refused: bad signature');
          return reply(res, 403, { error: 'bad_signature' });
        }
        let json: unknown;
        try {
          json = JSON.parse(raw.toString('utf8'));
        } catch {
          return reply(res, 400, { error: 'invalid_json', fields: [] });
        }
        const event = (json as { webhookEvent?: unknown } | null)?.webhookEvent;
        if (typeof event === 'string' && !ISSUE_EVENTS.has(event)) return reply(res, 200, { ignored: event });
        const parsed = issueEvent.safeParse(json);
        if (!parsed.success) {
          const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(body)'))];
          return reply(res, 400, { error: 'invalid_fields', fields, message: `Not a Jira issue event: check ${fields.join(', ')}.` });
        }
        const { issue } = parsed.data;
        const outcome = await deps.receive({
          key: issue.key,
          labels: issue.fields.labels ?? [],
          statusName: issue.fields.status.name,
          statusCategoryKey: issue.fields.status.statusCategory.key,
        });
        return reply(res, 200, outcome);
      })().catch((err: unknown) => {
        deps.logger.error({ err }, 'jira webhook failed');
        // 5xx: Jira retries the delivery.
        if (!res.headersSent) reply(res, 500, { error: 'internal' });
      }),
  };
}
