import { type InteractivityPayload, interactivityBody, signSlackRequest } from './slack/requests.js';

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
    return this.send(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
  }

  /** An interactivity payload (`payload=<json>`). */
  payload(payload: InteractivityPayload): Promise<BotAnswer> {
    return this.send(interactivityBody(payload), 'application/x-www-form-urlencoded');
  }

  /** An Events API delivery. */
  event(envelope: Record<string, unknown>): Promise<BotAnswer> {
    return this.send(JSON.stringify(envelope), 'application/json');
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
