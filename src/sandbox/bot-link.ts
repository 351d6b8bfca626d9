import { type InteractivityPayload, interactivityBody, signSlackRequest } from './slack/requests.js';
import { BOT_USER_ID } from './slack/state.js';

/**
 * `SANDBOX_ORG=1`: the sandbox plays an Enterprise Grid org, so what it sends says which
 * workspace it happened in (the person's, else the channel's) and which enterprise, as Slack's
 * requests for an org-wide install do.
 */
export interface BotLinkOrg {
  enterpriseId: string;
  teamOf(userId: string | undefined, channelId: string | undefined): string;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The bot's answer to a request the sandbox sent it, as Slack would read it. */
export interface BotAnswer {
  status: number;
  /** The parsed JSON body, when there is one (an ack with a response). */
  json: Record<string, unknown> | undefined;
}

/**
 * Sends the bot what Slack sends: slash commands and interactivity as form bodies with exactly
 * `application/x-www-form-urlencoded`, events as JSON, each signed with the signing secret and
 * the wall clock (Bolt checks the signature against real time).
 */
export class BotLink {
  constructor(
    private readonly secret: string,
    private botUrl: string | undefined = undefined,
    private readonly org: BotLinkOrg | undefined = undefined,
  ) {}

  /** Where the bot's /slack/events is; set once the bot listens. */
  attach(botUrl: string): void {
    this.botUrl = botUrl;
  }

  get url(): string | undefined {
    return this.botUrl;
  }

  /** A form body (`payload=` or a command's fields). */
  form(fields: Record<string, string>): Promise<BotAnswer> {
    const org = this.org;
    const stamped =
      org === undefined
        ? fields
        : { ...fields, team_id: org.teamOf(fields['user_id'], fields['channel_id']), enterprise_id: org.enterpriseId };
    return this.send(new URLSearchParams(stamped).toString(), 'application/x-www-form-urlencoded');
  }

  /** An interactivity payload (`payload=<json>`). */
  payload(payload: InteractivityPayload): Promise<BotAnswer> {
    return this.send(
      interactivityBody(this.org === undefined ? payload : stampPayload(payload, this.org)),
      'application/x-www-form-urlencoded',
    );
  }

  /** An Events API delivery. */
  event(envelope: Record<string, unknown>): Promise<BotAnswer> {
    return this.send(JSON.stringify(this.org === undefined ? envelope : stampEvent(envelope, this.org)), 'application/json');
  }

  private async send(body: string, contentType: string): Promise<BotAnswer> {
    if (this.botUrl === undefined) return { status: 503, json: undefined };
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(`${this.botUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        ...signSlackRequest(this.secret, timestamp, body),
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      },
      body,
      // Slack gives up after 3 s; so does the sandbox.
      signal: AbortSignal.timeout(3_000),
    }).catch(() => undefined);
    if (res === undefined) return { status: 0, json: undefined };
    const text = await res.text();
    let json: Record<string, unknown> | undefined;
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      json = text.trim() === '' ? undefined : { text };
    }
    return { status: res.status, json };
  }
}

/** An interactivity payload as Slack sends it from a workspace of the org: the person's workspace throughout. */
function stampPayload(payload: InteractivityPayload, org: BotLinkOrg): InteractivityPayload {
  const p = payload as unknown as Record<string, unknown>;
  const user = p['user'] as Record<string, unknown> | undefined;
  const channel = p['channel'] as Record<string, unknown> | undefined;
  const teamId = org.teamOf(str(user?.['id']), str(channel?.['id']));
  const team = { ...(p['team'] as Record<string, unknown> | undefined), id: teamId };
  const view = p['view'] as Record<string, unknown> | undefined;
  return {
    ...p,
    team,
    enterprise: { id: org.enterpriseId },
    is_enterprise_install: false,
    ...(user === undefined ? {} : { user: { ...user, team_id: teamId } }),
    ...(view === undefined ? {} : { view: { ...view, team_id: teamId, app_installed_team_id: teamId } }),
  } as unknown as InteractivityPayload;
}

/** An Events API delivery for an org-wide install: the workspace it happened in, the enterprise, and the org's authorization. */
function stampEvent(envelope: Record<string, unknown>, org: BotLinkOrg): Record<string, unknown> {
  const event = (envelope['event'] ?? {}) as Record<string, unknown>;
  const user = str(event['user']) ?? str((event['user'] as Record<string, unknown> | undefined)?.['id']);
  const teamId = org.teamOf(user, str(event['channel']));
  return {
    ...envelope,
    team_id: teamId,
    enterprise_id: org.enterpriseId,
    event: 'team' in event ? { ...event, team: teamId } : event,
    authorizations: [{ enterprise_id: org.enterpriseId, team_id: null, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: true }],
  };
}
