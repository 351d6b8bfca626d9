/**
 * A fake Jira Cloud over HTTP for tests and the sandbox, speaking REST API v3's documented shapes:
 * basic auth (401 when wrong), POST /rest/api/3/issue (201 `{ id, key, self }`; 400 with
 * `errors` naming the field, e.g. a project that does not exist), GET /rest/api/3/search/jql
 * (labels only), GET /rest/api/3/issue/{key} and GET /rest/api/3/project/{key} (404 when unknown). An outage answers 503; the
 * `lose-answer` outage creates the issue and then answers 503, as a timeout after Jira acted.
 * With a webhook registered (as a Jira admin saves one with a secret), a transition POSTs
 * `jira:issue_updated` with the issue and its changelog, signed in X-Hub-Signature.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type StatusCategory = 'new' | 'indeterminate' | 'done';
const STATUSES: Record<string, StatusCategory> = { 'To Do': 'new', 'In Progress': 'indeterminate', Done: 'done' };

export interface FakeJiraIssue {
  id: string;
  key: string;
  project: string;
  summary: string;
  labels: string[];
  description: unknown;
  duedate: string | null;
  status: string;
}

export type FakeJiraOutage = 'none' | 'down' | 'lose-answer';

export interface FakeJira {
  url: string;
  /** Every issue created, in order (the creates a test counts). */
  issues(): FakeJiraIssue[];
  /** Every request seen, method and path. */
  requests(): Array<{ method: string; path: string; status: number }>;
  setOutage(outage: FakeJiraOutage): void;
  /**
   * Moves an issue to a status (To Do, In Progress, Done), as a person in Jira would; resolves
   * once the registered webhook (if any) has answered, with its HTTP status.
   */
  transition(key: string, status: keyof typeof STATUSES): Promise<number | undefined>;
  /** Registers the admin webhook Jira calls on issue changes, with the secret it signs with. */
  setWebhook(hook: { url: string; secret: string } | undefined): void;
  close(): Promise<void>;
}

export async function startFakeJira(opts: {
  email: string;
  apiToken: string;
  projects: readonly string[];
  port?: number;
}): Promise<FakeJira> {
  const issues: FakeJiraIssue[] = [];
  const seen: Array<{ method: string; path: string; status: number }> = [];
  const counters = new Map<string, number>();
  let outage: FakeJiraOutage = 'none';
  let webhook: { url: string; secret: string } | undefined;
  let nextId = 10_000;
  const expected = `Basic ${Buffer.from(`${opts.email}:${opts.apiToken}`).toString('base64')}`;
  let url = '';

  const view = (i: FakeJiraIssue) => ({
    id: i.id,
    key: i.key,
    self: `${url}/rest/api/3/issue/${i.id}`,
    fields: {
      summary: i.summary,
      labels: i.labels,
      duedate: i.duedate,
      status: { name: i.status, statusCategory: { key: STATUSES[i.status] } },
    },
  });

  function create(body: unknown): { status: number; json: unknown } {
    const fields = (typeof body === 'object' && body !== null ? (body as { fields?: Record<string, unknown> }).fields : undefined) ?? {};
    const errors: Record<string, string> = {};
    const project = (fields.project as { key?: unknown } | undefined)?.key;
    if (typeof project !== 'string' || !opts.projects.includes(project)) errors.project = 'valid project is required';
    if (typeof fields.summary !== 'string' || !fields.summary.trim()) errors.summary = 'You must specify a summary of the issue.';
    else if (fields.summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
    if (typeof (fields.issuetype as { name?: unknown } | undefined)?.name !== 'string') errors.issuetype = 'Specify an issue type';
    const labels = Array.isArray(fields.labels) ? fields.labels : [];
    if (labels.some((l) => typeof l !== 'string' || /\s/.test(l))) errors.labels = 'The label must not contain spaces.';
    const description = fields.description as { type?: unknown; version?: unknown } | undefined;
    if (description !== undefined && (description?.type !== 'doc' || description.version !== 1))
      errors.description = 'Operation value must be an Atlassian Document (see the Atlassian Document Format).';
    if (Object.keys(errors).length) return { status: 400, json: { errorMessages: [], errors } };
    const n = (counters.get(project as string) ?? 0) + 1;
    counters.set(project as string, n);
    nextId += 1;
    const issue: FakeJiraIssue = {
      id: String(nextId),
      key: `${project as string}-${n}`,
      project: project as string,
      summary: fields.summary as string,
      labels: labels as string[],
      description: fields.description ?? null,
      duedate: typeof fields.duedate === 'string' ? fields.duedate : null,
      status: 'To Do',
    };
    issues.push(issue);
    return { status: 201, json: { id: issue.id, key: issue.key, self: `${url}/rest/api/3/issue/${issue.id}` } };
  }

  function search(jql: string): { status: number; json: unknown } {
    const m = /^\s*labels\s*=\s*"?([^"\s]+)"?\s*$/i.exec(jql);
    if (!m)
      return {
        status: 400,
        json: { errorMessages: [`Error in the JQL Query: this fake reads only labels = "...". (${jql.slice(0, 80)})`], errors: {} },
      };
    const found = issues.filter((i) => i.labels.includes(m[1] as string)).map(view);
    return { status: 200, json: { issues: found, isLast: true } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://fake-jira');
    const send = (status: number, json: unknown) => {
      seen.push({ method: req.method ?? '', path: u.pathname, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.headers.authorization !== expected)
      return send(401, { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} });
    if (outage === 'down') return send(503, { errorMessages: ['Service Unavailable'], errors: {} });
    let body: unknown;
    try {
      body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    } catch {
      return send(400, { errorMessages: ['Unexpected character in the request body.'], errors: {} });
    }
    if (req.method === 'POST' && u.pathname === '/rest/api/3/issue') {
      const out = create(body);
      if (outage === 'lose-answer' && out.status === 201) return send(503, { errorMessages: ['Service Unavailable'], errors: {} });
      return send(out.status, out.json);
    }
    if (req.method === 'GET' && u.pathname === '/rest/api/3/search/jql') {
      const out = search(u.searchParams.get('jql') ?? '');
      return send(out.status, out.json);
    }
    const project = /^\/rest\/api\/3\/project\/([^/]+)$/.exec(u.pathname);
    if (req.method === 'GET' && project) {
      const key = decodeURIComponent(project[1] as string);
      return opts.projects.includes(key)
        ? send(200, { id: String(10_000 + opts.projects.indexOf(key)), key, name: key, self: `${url}/rest/api/3/project/${key}` })
        : send(404, { errorMessages: [`No project could be found with key '${key}'.`], errors: {} });
    }
    const one = /^\/rest\/api\/3\/issue\/([^/]+)$/.exec(u.pathname);
    if (req.method === 'GET' && one) {
      const issue = issues.find((i) => i.key === decodeURIComponent(one[1] as string) || i.id === one[1]);
      return issue
        ? send(200, view(issue))
        : send(404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
    }
    return send(404, { errorMessages: ['No such endpoint in the fake Jira.'], errors: {} });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    issues: () => issues.map((i) => ({ ...i, labels: [...i.labels] })),
    requests: () => [...seen],
    setOutage(o) {
      outage = o;
    },
    async transition(key, status) {
      const issue = issues.find((i) => i.key === key);
      if (!issue) throw new Error(`no issue ${key}`);
      const from = issue.status;
      issue.status = status;
      if (!webhook) return undefined;
      // Jira Cloud's issue event: the whole issue, who did it, and what changed.
      const body = JSON.stringify({
        timestamp: Date.now(),
        webhookEvent: 'jira:issue_updated',
        issue_event_type_name: 'issue_generic',
        user: { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Jira user' },
        issue: view(issue),
        changelog: { id: String(nextId++), items: [{ field: 'status', fieldtype: 'jira', fromString: from, toString: status }] },
      });
      const signature = `sha256=${createHmac('sha256', webhook.secret).update(body).digest('hex')}`;
      const res = await fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature': signature, 'x-atlassian-webhook-identifier': String(nextId++) },
        body,
      });
      await res.text();
      return res.status;
    },
    setWebhook(hook) {
      webhook = hook;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
