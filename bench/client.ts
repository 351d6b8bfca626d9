/**
 * The load client, in a child process of bench/run.ts so that its timestamps are not delayed
 * by the fake Slack (which answers the bots' views.open calls in the parent).
 * Protocol: parent -> {type:'run', ...}; child -> {type:'reached', index} as request `index`
 * of `notifyAt` leaves, then {type:'result'}; parent -> {type:'stop'}.
 */
import { signSlackRequest, slashCommandBody } from '../tests/support/slack-requests.js';
import { keepAliveAgent, runOpenLoop, type OpenLoopResult } from './load.js';

export type ToClient =
  | {
      type: 'run';
      urls: string[];
      /** Index into `urls` of each request. */
      targets: number[];
      ratePerSecond: number;
      signingSecret: string;
      /** One trigger id per request, minted by the fake Slack in the parent. */
      triggerIds: string[];
      notifyAt: number[];
    }
  | { type: 'stop' };

export type FromClient =
  | { type: 'reached'; index: number }
  | { type: 'result'; result: OpenLoopResult }
  | { type: 'failed'; error: string };

const send = (msg: FromClient) => process.send?.(msg);

// If bench/run.ts dies, do not linger as an orphan.
process.on('disconnect', () => process.exit(0));

process.on('message', (msg: ToClient) => {
  if (msg.type === 'stop') process.exit(0);
  if (msg.type !== 'run') return;
  const agent = keepAliveAgent();
  const notify = new Set(msg.notifyAt);
  runOpenLoop(agent, {
    urls: msg.urls,
    ratePerSecond: msg.ratePerSecond,
    total: msg.targets.length,
    targetOf: (i) => msg.targets[i] ?? 0,
    prepare: (i) => {
      if (notify.has(i)) send({ type: 'reached', index: i });
      const body = slashCommandBody({
        command: '/incident',
        text: `declare Bench load ${i}`,
        userId: 'U0DECL001',
        channelId: 'C0GENERAL1',
        triggerId: msg.triggerIds[i] ?? `missing-${i}`,
      });
      return {
        body,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
          ...signSlackRequest(msg.signingSecret, Math.floor(Date.now() / 1000), body),
        },
      };
    },
  }).then(
    (result) => {
      agent.destroy();
      send({ type: 'result', result });
    },
    (err: unknown) => send({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
