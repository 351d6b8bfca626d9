/**
 * Answers through a `response_url` (slash commands, message interactions): the way to reach the
 * person who acted wherever they are, including a channel they are not in, where
 * chat.postEphemeral answers `user_not_in_channel`. Not a Web API call: a JSON POST to the URL.
 */
import { SlackApiError } from './errors.js';
import type { Blocks } from './gateway-messages.js';

const SLACK_API = 'https://slack.com/api/';
const SLACK_RESPONSE_ORIGIN = 'https://hooks.slack.com';
/** Inside a Slack request's follow-up there is no time to wait long: the caller falls back to an ephemeral or a DM. */
const RESPONSE_TIMEOUT_MS = 2_500;

/**
 * Whether `url` is one Slack could have given us: on Slack, `https://hooks.slack.com/…`; against
 * another API URL (the fake Slack, the sandbox), only that server's own origin, so a test or a
 * sandbox never reaches the real Slack and a forged URL never makes the bot POST elsewhere.
 */
function isResponseUrl(url: string, apiUrl: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const allowed = apiUrl === SLACK_API ? SLACK_RESPONSE_ORIGIN : new URL(apiUrl).origin;
  return parsed.origin === allowed && parsed.username === '' && parsed.password === '';
}

export function responseMethods(opts: { apiUrl?: string }) {
  const apiUrl = opts.apiUrl ?? SLACK_API;
  return {
    /**
     * Shows `user` of the request that carried `url` an ephemeral message (`in_channel` posts it
     * in the channel). Throws SlackApiError (method `response_url`) when the URL is not Slack's,
     * expired or used up, or Slack does not take it; callers fall back to an ephemeral or a DM.
     */
    async respond(url: string, message: { text: string; blocks?: Blocks; inChannel?: boolean }): Promise<void> {
      if (!isResponseUrl(url, apiUrl)) throw new SlackApiError({ method: 'response_url', code: 'not_a_response_url' });
      const body = {
        response_type: message.inChannel ? 'in_channel' : 'ephemeral',
        text: message.text,
        ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
      };
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(RESPONSE_TIMEOUT_MS),
        });
      } catch (cause) {
        throw new SlackApiError({ method: 'response_url', code: 'request_failed', cause });
      }
      const answer = await res.text().catch(() => '');
      if (!res.ok) throw new SlackApiError({ method: 'response_url', code: codeOf(answer) ?? `http_${res.status}` });
    },
  };
}

/** Slack's error code in an answer body (`{"ok":false,"error":"expired_url"}`), if it has one. */
function codeOf(answer: string): string | undefined {
  try {
    const parsed = JSON.parse(answer) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error : undefined;
  } catch {
    return /^[a-z_]{1,40}$/.test(answer.trim()) ? answer.trim() : undefined;
  }
}
