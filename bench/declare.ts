/**
 * Declare-to-channel latency: a signed view_submission of the declare modal, then the two
 * milestones the fake Slack records, `conversations.create` for the incident's channel and the
 * card (`chat.postMessage` into that channel). The fake stamps each call with Date.now() on
 * arrival, in this process, so milestones are measured on one clock at 1 ms resolution.
 */
import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FakeSlack, RecordedCall } from '../tests/fakes/fake-slack.js';
import { declareState } from '../tests/support/meridian-harness.js';
import { signSlackRequest, viewSubmissionBody } from '../tests/support/slack-requests.js';
import { post } from './load.js';

export interface DeclareSample {
  /** Submit sent -> HTTP response (the ack, after the incident's transaction and enqueue). */
  submitAckMs: number;
  /** Submit sent -> conversations.create arrived at Slack. */
  toChannelMs: number;
  /** Submit sent -> the card's chat.postMessage arrived at Slack. */
  toCardMs: number;
  /** Submit sent -> the declarer was told where the channel is (the whole set-up). */
  toNoticeMs: number;
}

export interface DeclareRunOptions {
  fake: FakeSlack;
  agent: http.Agent;
  eventsUrl: string;
  signingSecret: string;
  count: number;
  /** Label used in titles, so each run's channel names are unique. */
  label: string;
}

/** The first call matching `predicate` at or after index `from` of the call log; polls every 2 ms. */
async function nextCall(
  fake: FakeSlack,
  from: number,
  predicate: (c: RecordedCall) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<RecordedCall> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (let i = from; i < fake.calls.length; i++) {
      const c = fake.calls[i]!;
      if (predicate(c)) return c;
    }
    if (Date.now() > deadline) throw new Error(`declare bench: no ${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export interface DeclareRun {
  samples: DeclareSample[];
  /** Submissions the bot refused or failed (with its answer), which have no milestones. */
  failures: string[];
}

/** Declares `count` incidents one after another, each after the previous one's set-up finished. */
export async function runSequentialDeclarations(opts: DeclareRunOptions): Promise<DeclareRun> {
  const url = new URL(opts.eventsUrl);
  const samples: DeclareSample[] = [];
  const failures: string[] = [];
  for (let i = 0; i < opts.count; i++) {
    const tag = `${opts.label}-${String(i).padStart(4, '0')}`;
    const view = {
      id: `V0${tag.toUpperCase().replace(/[^A-Z0-9]/g, '')}`,
      callback_id: 'declare_incident',
      private_metadata: JSON.stringify({ originChannelId: 'C0GENERAL1' }),
      state: declareState({
        title: `Bench outage ${tag}`,
        severity: 'sev2',
        category: 'harmful-trend',
        summary: 'Synthetic declaration from npm run bench',
      }),
    };
    const body = viewSubmissionBody({ userId: 'U0DECL001', view });
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signSlackRequest(opts.signingSecret, Math.floor(Date.now() / 1000), body),
    };
    const from = opts.fake.calls.length;
    const sentAt = Date.now();
    const sentPerf = performance.now();
    const reply = await post(opts.agent, url, { body, headers }, 5_000);
    const submitAckMs = performance.now() - sentPerf;
    if (reply.status !== 200 || reply.text !== '') {
      failures.push(`${tag}: HTTP ${reply.status} ${reply.text.slice(0, 300)}`);
      continue;
    }
    const create = await nextCall(
      opts.fake,
      from,
      (c) => c.method === 'conversations.create' && c.status === 200 && String(c.args.name).endsWith(`bench-outage-${tag}`),
      `conversations.create for ${tag}`,
    );
    const channelId = (create.response as { channel?: { id?: string } }).channel?.id;
    if (!channelId) throw new Error(`declare bench: conversations.create for ${tag} failed: ${JSON.stringify(create.response)}`);
    const card = await nextCall(opts.fake, from, (c) => c.method === 'chat.postMessage' && c.args.channel === channelId, `card for ${tag}`);
    const notice = await nextCall(
      opts.fake,
      from,
      (c) => (c.method === 'chat.postEphemeral' || c.method === 'chat.postMessage') && String(c.args.text).includes(`<#${channelId}>`),
      `the declarer's notice for ${tag}`,
    );
    samples.push({ submitAckMs, toChannelMs: create.at - sentAt, toCardMs: card.at - sentAt, toNoticeMs: notice.at - sentAt });
    // Keep the fake's call log short so scans stay cheap.
    if (opts.fake.calls.length > 2_000) opts.fake.reset();
  }
  return { samples, failures };
}
