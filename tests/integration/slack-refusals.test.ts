import { afterEach, describe, expect, it } from 'vitest';
import { MissingScope, NotInChannel, SlackAuthError, type SlackConfigurationError } from '../../src/slack-api/errors.js';
import { createSlackGateway, type GatewayLogger } from '../../src/slack-api/index.js';
import { createScopeCheck, missingScopesSentence } from '../../src/slack-api/scope-check.js';
import { manifestBotScopes } from '../../src/sandbox/slack/start.js';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function setUp(scopes?: readonly string[]) {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg?: string }> = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) =>
    void lines.push({ level, obj, ...(msg === undefined ? {} : { msg }) });
  const logger: GatewayLogger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  const refusals: SlackConfigurationError[] = [];
  return {
    lines,
    logger,
    refusals,
    start: async () => {
      fake = await startFakeSlack(scopes === undefined ? {} : { scopes });
      const slack = createSlackGateway({ token: fake.token, apiUrl: fake.url, logger, retry: { onRefusal: (e) => void refusals.push(e) } });
      return { fake, slack };
    },
  };
}

describe('refusals for configuration reasons', () => {
  it('when a DM is posted once-only without im:history, then it fails as MissingScope of conversations.history, said once with the fix, and nothing is posted', async () => {
    const t = setUp(manifestBotScopes().filter((s) => s !== 'im:history'));
    const { fake, slack } = await t.start();

    const error = await slack.postOnce('k1', { channel: 'U0RESP001', text: 'hello' }, { mayExist: true }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MissingScope);
    expect(error).toMatchObject({ method: 'conversations.history', code: 'missing_scope', needed: 'im:history' });
    expect(t.refusals).toHaveLength(1);
    const said = t.lines.filter((l) => l.level === 'error');
    expect(said.map((l) => l.msg)).toEqual([
      'Slack conversations.history refused: the app was installed without a scope this call needs (needs im:history). Reinstall the app from manifests/slack-app.yaml (api.slack.com/apps -> your app -> Install App)',
    ]);
    expect(fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('when the token is revoked, then the error is SlackAuthError naming the revocation, never "credentials rejected"', async () => {
    const t = setUp();
    const { fake, slack } = await t.start();
    fake.revokeToken();

    const error = await slack.postMessage({ channel: 'U0RESP001', text: 'hello' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SlackAuthError);
    expect(String((error as Error).message)).toContain('the bot token was revoked');
    expect(JSON.stringify(t.lines)).not.toContain('rejected our credentials');
  });

  it('when the bot posts to a public channel it is not in without chat:write.public, then NotInChannel says to invite it', async () => {
    const t = setUp(manifestBotScopes().filter((s) => s !== 'chat:write.public'));
    const { fake, slack } = await t.start();
    const feed = fake.addChannel({ name: 'feed', botIsMember: false });

    const error = await slack.postMessage({ channel: feed, text: 'hello' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NotInChannel);
    expect((error as NotInChannel).fix).toContain('/invite @Meridian');
  });

  it('when the start-up check reads the scopes, then a missing one is one error sentence with what breaks, and a grant clears it', async () => {
    const t = setUp(manifestBotScopes().filter((s) => s !== 'usergroups:read'));
    const { fake, slack } = await t.start();
    const check = createScopeCheck({ authTest: () => slack.authTest(), logger: t.logger });

    const first = await check.run();
    fake.grantScopes(['usergroups:read']);
    const second = await check.run();

    expect(first.missing).toEqual([{ scope: 'usergroups:read', breaks: expect.stringContaining('user group') }]);
    expect(t.lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual([missingScopesSentence(first.missing)]);
    expect(missingScopesSentence(first.missing)).toContain('reinstall the app from manifests/slack-app.yaml');
    expect(second.missing).toEqual([]);
    expect(t.lines.at(-1)?.msg).toBe('The Slack token has every scope this version of Meridian needs');
  });
});
