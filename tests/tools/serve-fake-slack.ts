/**
 * Runs the fake Slack on its own, for trying the bot by hand:
 *   npx tsx tests/tools/serve-fake-slack.ts   (prints the URL and feed channel id)
 * then start the bot with SLACK_API_URL=<url> SLACK_BOT_TOKEN=xoxb-test-token and send it
 * signed requests (tests/support/slack-requests.ts). Every call is printed as it arrives.
 */
import { startFakeSlack } from '../fakes/fake-slack.js';

async function main(): Promise<void> {
  const fake = await startFakeSlack({ token: 'xoxb-test-token' });
  const feed = fake.addChannel({ name: 'incidents-feed', botIsMember: true });
  process.stdout.write(`${JSON.stringify({ url: fake.url, feedChannelId: feed })}\n`);
  let seen = 0;
  const timer = setInterval(() => {
    for (const call of fake.calls.slice(seen)) {
      process.stdout.write(`${call.status} ${call.method} ${JSON.stringify(call.args).slice(0, 400)}\n`);
    }
    seen = fake.calls.length;
  }, 200);
  process.once('SIGTERM', () => {
    clearInterval(timer);
    void fake.close().then(() => process.exit(0));
  });
}

void main();
