/**
 * Requests Slack sends to our app, for end-to-end tests: the sandbox's own typed builders
 * (src/sandbox/slack/requests.ts, which build what Slack builds and sign as Slack signs) with the
 * defaults a test does not care about, and {@link sendToSlackEndpoint}, which posts them signed
 * (or deliberately not) like Slack does.
 *
 * The builders are pure: no clock, no randomness. Only {@link sendToSlackEndpoint} reads the
 * clock, and only when the test does not pass `now`.
 */
import {
  blockActionsPayload,
  eventCallback,
  interactivityBody,
  messageShortcutPayload,
  signSlackRequest,
  slashCommandRequest,
  type SubmittedView,
  viewSubmissionPayload,
} from '../../src/sandbox/slack/requests.js';
import { BOT_USER_ID, TEAM_ID } from '../fakes/fake-slack.js';

export { signSlackRequest, type SubmittedView };

/** A fixed action_ts, as each click has its own only when the test says so. */
const ACTION_TS = '1700000000.000001';

/** A slash command as Slack posts it: a form-encoded body. */
export function slashCommandBody(input: {
  command: string;
  text: string;
  userId: string;
  channelId: string;
  triggerId: string;
  teamId?: string;
  responseUrl?: string;
  userName?: string;
  channelName?: string;
}): string {
  const teamId = input.teamId ?? TEAM_ID;
  return slashCommandRequest({
    command: input.command,
    text: input.text,
    user: { id: input.userId, ...(input.userName === undefined ? {} : { name: input.userName }) },
    channelId: input.channelId,
    channelName: input.channelName ?? 'general',
    triggerId: input.triggerId,
    responseUrl: input.responseUrl ?? `https://hooks.slack.com/commands/${teamId}/1/fake`,
    teamId,
  });
}

/** A modal submission: `payload=<json>` of type `view_submission`. */
export function viewSubmissionBody(input: { userId: string; view: SubmittedView; teamId?: string; triggerId?: string }): string {
  return interactivityBody(
    viewSubmissionPayload({
      user: { id: input.userId },
      view: { hash: '1700000000.abcdef', ...input.view },
      triggerId: input.triggerId ?? '1700000000.1.view-submission',
      ...(input.teamId === undefined ? {} : { teamId: input.teamId }),
    }),
  );
}

/** A button click (or other block action) in a message, or in a modal when `view` is given. */
export function blockActionBody(input: {
  userId: string;
  actionId: string;
  value: string;
  blockId?: string;
  triggerId: string;
  channelId?: string;
  messageTs?: string;
  view?: SubmittedView;
  teamId?: string;
  /** Each click has its own; default one fixed value. */
  actionTs?: string;
  /** A checkboxes element's ticked option values (the action is then of type `checkboxes`). */
  selectedOptions?: string[];
  /** The response_url of a click in a message; default a hooks.slack.com one (which a bot against the fake refuses to call). */
  responseUrl?: string;
}): string {
  const teamId = input.teamId ?? TEAM_ID;
  const inMessage = input.view === undefined && input.messageTs !== undefined;
  const common = { action_id: input.actionId, block_id: input.blockId ?? 'actions', action_ts: input.actionTs ?? ACTION_TS };
  const action =
    input.selectedOptions === undefined
      ? { type: 'button', ...common, value: input.value, text: { type: 'plain_text', text: input.actionId } }
      : {
          type: 'checkboxes',
          ...common,
          selected_options: input.selectedOptions.map((value) => ({ value, text: { type: 'plain_text', text: value } })),
        };
  return interactivityBody(
    blockActionsPayload({
      user: { id: input.userId },
      action,
      triggerId: input.triggerId,
      teamId,
      ...(input.channelId === undefined ? {} : { channel: { id: input.channelId, name: 'incident' } }),
      ...(input.messageTs === undefined ? {} : { messageTs: input.messageTs }),
      ...(inMessage && input.messageTs !== undefined
        ? {
            message: { ts: input.messageTs, user: BOT_USER_ID, text: '', blocks: [] },
            responseUrl: input.responseUrl ?? `https://hooks.slack.com/actions/${teamId}/1/fake`,
          }
        : {}),
      ...(input.view === undefined ? {} : { view: { hash: '1700000000.abcdef', ...input.view } }),
    }),
  );
}

/** A message shortcut ("Declare incident"): `payload=` of type `message_action`. */
export function messageShortcutBody(input: {
  userId: string;
  callbackId: string;
  triggerId: string;
  channelId: string;
  message: { ts: string; text: string; user?: string };
  teamId?: string;
}): string {
  const teamId = input.teamId ?? TEAM_ID;
  return interactivityBody(
    messageShortcutPayload({
      user: { id: input.userId },
      callbackId: input.callbackId,
      triggerId: input.triggerId,
      actionTs: '1700000000.000002',
      channel: { id: input.channelId, name: 'escalations' },
      message: input.message,
      responseUrl: `https://hooks.slack.com/app/${teamId}/1/fake`,
      teamId,
    }),
  );
}

/** An Events API delivery: the JSON of an `event_callback`. */
export function eventBody(input: { eventId: string; event: Record<string, unknown>; teamId?: string; eventTime?: number }): string {
  return JSON.stringify(
    eventCallback({
      eventId: input.eventId,
      event: input.event,
      eventTime: input.eventTime ?? 1_700_000_000,
      ...(input.teamId === undefined ? {} : { teamId: input.teamId }),
    }),
  );
}

/** How a request reaches the endpoint. */
export interface SendOptions {
  secret: string;
  /** Default: JSON when the body starts with `{`, else form-encoded. */
  contentType?: 'application/x-www-form-urlencoded' | 'application/json';
  /** The clock for the signature timestamp; default the real time. */
  now?: Date;
  /** Overrides the timestamp (seconds), e.g. one 10 minutes old to test the replay guard. */
  timestamp?: number;
  /** Slack's retry of an unacknowledged delivery: sets X-Slack-Retry-Num / -Reason. */
  retryNum?: number;
  retryReason?: string;
  /** `bad` signs with another secret; `missing` sends no signature headers. Default `valid`. */
  signature?: 'valid' | 'bad' | 'missing';
}

/** The endpoint's answer. `json` is set when the body parses as JSON. */
export interface EndpointAnswer {
  status: number;
  text: string;
  json?: unknown;
}

/** POSTs a body to our Slack endpoint, signed (or deliberately not) like Slack does. */
export async function sendToSlackEndpoint(url: string, body: string, opts: SendOptions): Promise<EndpointAnswer> {
  const timestamp = opts.timestamp ?? Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const signature = opts.signature ?? 'valid';
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? (body.trimStart().startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded'),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (signature !== 'missing') {
    Object.assign(headers, signSlackRequest(signature === 'bad' ? `${opts.secret}-wrong` : opts.secret, timestamp, body));
  }
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
  }
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  try {
    return { status: res.status, text, json: JSON.parse(text) as unknown };
  } catch {
    return { status: res.status, text };
  }
}
