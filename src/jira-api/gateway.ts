/**
 * The one place that calls Jira Cloud's REST API v3 (as Slack's calls go through src/slack-api):
 * basic auth with an account e-mail and API token, as Atlassian documents; errors sorted into
 * "Jira refused this request" (a bad project, bad credentials: retrying changes nothing) and
 * "Jira is unavailable" (5xx, 429, network: retried by the scheduled action).
 */

/** An issue as Meridian keeps it: its key and the link people open. */
export interface JiraIssueRef {
  key: string;
  url: string;
}

/** Atlassian Document Format, the v3 API's rich text. */
export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: unknown[];
}

export interface JiraGateway {
  /** POST /rest/api/3/issue. */
  createIssue(input: {
    project: string;
    summary: string;
    description: AdfDocument;
    labels: string[];
    dueDate?: string;
  }): Promise<JiraIssueRef>;
  /** The issue carrying `label` (set at creation), found with JQL: how a retried create learns it was created already. */
  findByLabel(label: string): Promise<JiraIssueRef | undefined>;
  /**
   * Whether the project exists and this account can see it (GET /rest/api/3/project/{key}):
   * false on 404; a yes is remembered for a while. Throws `JiraUnavailable` (down, or no answer
   * within `timeoutMs`) and `JiraRefused` (credentials) like every call.
   */
  projectExists(key: string, opts?: { timeoutMs?: number }): Promise<boolean>;
  /** The issue's status and its category (`new`, `indeterminate`, `done`). */
  issueStatus(key: string): Promise<{ name: string; categoryKey: string } | undefined>;
}

/** Jira answered with a refusal retrying will not change (400, 401, 403, 404); `fields` are its `errors` by field. */
export class JiraRefused extends Error {
  override readonly name = 'JiraRefused';
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** Jira could not be reached, or answered 5xx or 429: try again later. */
export class JiraUnavailable extends Error {
  override readonly name = 'JiraUnavailable';
}

export interface JiraGatewayOptions {
  baseUrl: string;
  email: string;
  apiToken: string;
  timeoutMs?: number;
}

export function createJiraGateway(opts: JiraGatewayOptions): JiraGateway {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const auth = `Basic ${Buffer.from(`${opts.email}:${opts.apiToken}`).toString('base64')}`;
  const browse = (key: string): JiraIssueRef => ({ key, url: `${base}/browse/${encodeURIComponent(key)}` });

  // Projects seen to exist, and when: a follow-up's check costs no request while this is fresh.
  const knownProjects = new Map<string, number>();
  const PROJECT_MEMORY_MS = 10 * 60_000;

  async function call(method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs?: number): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: auth, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs ?? opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new JiraUnavailable(`Jira could not be reached (${err instanceof Error ? err.name : 'error'})`);
    }
    const text = await res.text();
    const json = parse(text);
    if (res.ok) return json;
    if (res.status === 429 || res.status >= 500) throw new JiraUnavailable(`Jira answered ${res.status}`);
    const { messages, fields } = errorsOf(json);
    const what =
      res.status === 401
        ? 'the e-mail and API token were refused'
        : messages.concat(Object.entries(fields).map(([k, v]) => `${k}: ${v}`)).join('; ');
    throw new JiraRefused(res.status, `Jira refused the request (${res.status}): ${what || 'no reason given'}`, fields);
  }

  return {
    async createIssue(input) {
      const fields = {
        project: { key: input.project },
        summary: input.summary,
        issuetype: { name: 'Task' },
        description: input.description,
        labels: input.labels,
        ...(input.dueDate ? { duedate: input.dueDate } : {}),
      };
      const created = (await call('POST', '/rest/api/3/issue', { fields })) as { key?: unknown };
      if (typeof created?.key !== 'string') throw new JiraUnavailable('Jira answered without an issue key');
      return browse(created.key);
    },
    async findByLabel(label) {
      const jql = encodeURIComponent(`labels = "${label.replace(/"/g, '')}"`);
      const found = (await call('GET', `/rest/api/3/search/jql?jql=${jql}&fields=status&maxResults=1`)) as {
        issues?: Array<{ key?: unknown }>;
      };
      const key = found?.issues?.[0]?.key;
      return typeof key === 'string' ? browse(key) : undefined;
    },
    async projectExists(key, check) {
      const seen = knownProjects.get(key);
      if (seen !== undefined && Date.now() - seen < PROJECT_MEMORY_MS) return true;
      try {
        await call('GET', `/rest/api/3/project/${encodeURIComponent(key)}`, undefined, check?.timeoutMs);
      } catch (err) {
        if (err instanceof JiraRefused && err.status === 404) {
          knownProjects.delete(key);
          return false;
        }
        throw err;
      }
      knownProjects.set(key, Date.now());
      return true;
    },
    async issueStatus(key) {
      try {
        const issue = (await call('GET', `/rest/api/3/issue/${encodeURIComponent(key)}?fields=status`)) as {
          fields?: { status?: { name?: unknown; statusCategory?: { key?: unknown } } };
        };
        const status = issue?.fields?.status;
        return { name: String(status?.name ?? ''), categoryKey: String(status?.statusCategory?.key ?? '') };
      } catch (err) {
        if (err instanceof JiraRefused && err.status === 404) return undefined;
        throw err;
      }
    },
  };
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Jira's error body: `{ errorMessages: string[], errors: { field: message } }`. */
function errorsOf(json: unknown): { messages: string[]; fields: Record<string, string> } {
  const body = (typeof json === 'object' && json !== null ? json : {}) as { errorMessages?: unknown; errors?: unknown };
  const messages = Array.isArray(body.errorMessages) ? body.errorMessages.filter((m): m is string => typeof m === 'string') : [];
  const fields: Record<string, string> = {};
  if (typeof body.errors === 'object' && body.errors !== null)
    for (const [k, v] of Object.entries(body.errors)) if (typeof v === 'string') fields[k] = v.slice(0, 200);
  return { messages: messages.map((m) => m.slice(0, 200)), fields };
}
