import { afterEach, describe, expect, it } from 'vitest';
import { manifestBotScopes } from '../../src/sandbox/slack/start.js';
import { type FakeSlack, startFakeSlack } from '../fakes/fake-slack.js';

let fake: FakeSlack | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function api(method: string, args: Record<string, string>, token: string) {
  const res = await fetch(`${fake?.url}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(args).toString(),
  });
  return { headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('the fake Slack checks scopes as Slack does', () => {
  it('when installed by default, then the token has exactly the manifest scopes and auth.test says so in x-oauth-scopes', async () => {
    fake = await startFakeSlack();
    const answer = await api('auth.test', {}, fake.token);

    expect(answer.body['ok']).toBe(true);
    expect((answer.headers.get('x-oauth-scopes') ?? '').split(',').sort()).toEqual([...manifestBotScopes()].sort());
    expect(fake.scopesOf()).toEqual([...manifestBotScopes()].sort());
  });

  it('when the token lacks im:history, then reading a DM answers missing_scope with needed and provided, and a channel read still works', async () => {
    fake = await startFakeSlack({ scopes: manifestBotScopes().filter((s) => s !== 'im:history') });
    const dm = fake.dmChannelId('U0RESP001');
    const channel = fake.addChannel({ name: 'ops' });

    const refused = await api('conversations.history', { channel: dm }, fake.token);
    const allowed = await api('conversations.history', { channel }, fake.token);

    expect(refused.body).toMatchObject({ ok: false, error: 'missing_scope', needed: 'im:history' });
    expect(String(refused.body['provided']).split(',')).toContain('channels:history');
    expect(allowed.body['ok']).toBe(true);
  });

  it('when the scope is granted later (a reinstall), then the same call succeeds with the same token', async () => {
    fake = await startFakeSlack({ scopes: manifestBotScopes().filter((s) => s !== 'im:history') });
    const dm = fake.dmChannelId('U0RESP001');
    fake.grantScopes(['im:history']);

    expect((await api('conversations.history', { channel: dm }, fake.token)).body['ok']).toBe(true);
  });

  it('when a private channel is created without groups:write, then Slack refuses it by that scope and no channel exists', async () => {
    fake = await startFakeSlack({ scopes: manifestBotScopes().filter((s) => s !== 'groups:write') });

    const refused = await api('conversations.create', { name: 'inc-private', is_private: 'true' }, fake.token);
    const publicOne = await api('conversations.create', { name: 'inc-public' }, fake.token);

    expect(refused.body).toMatchObject({ ok: false, error: 'missing_scope', needed: 'groups:write' });
    expect(fake.channelByName('inc-private')).toBeUndefined();
    expect(publicOne.body['ok']).toBe(true);
  });

  it('when the bot lacks chat:write.public, then a post to a public channel it is not in answers not_in_channel, and one it is in goes through', async () => {
    fake = await startFakeSlack({ scopes: manifestBotScopes().filter((s) => s !== 'chat:write.public') });
    const outside = fake.addChannel({ name: 'feed', botIsMember: false });
    const inside = fake.addChannel({ name: 'inc-1' });

    expect((await api('chat.postMessage', { channel: outside, text: 'hi' }, fake.token)).body).toEqual({
      ok: false,
      error: 'not_in_channel',
    });
    expect((await api('chat.postMessage', { channel: inside, text: 'hi' }, fake.token)).body['ok']).toBe(true);
    expect(fake.channel(outside)?.messages).toEqual([]);
  });

  it('when the token is revoked, then every call answers token_revoked, and a new install works', async () => {
    fake = await startFakeSlack();
    fake.revokeToken();
    const fresh = fake.install();

    expect((await api('auth.test', {}, fake.token)).body).toEqual({ ok: false, error: 'token_revoked' });
    expect((await api('auth.test', {}, fresh)).body['ok']).toBe(true);
  });
});
