import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  EVENT_SCOPES,
  MERIDIAN_CALLS,
  MERIDIAN_EVENTS,
  METHOD_SCOPES,
  missingScopes,
  SCOPE_PURPOSES,
  scopesMeridianNeeds,
} from '../../src/slack-api/method-scopes.js';

interface Manifest {
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] } };
}

async function manifest(): Promise<Manifest> {
  return parseYaml(await readFile('manifests/slack-app.yaml', 'utf8')) as Manifest;
}

/** Web API methods the gateway's source calls on its WebClient (files.uploadV2 is getUploadURLExternal + completeUploadExternal). */
async function methodsTheGatewayCalls(): Promise<string[]> {
  const dir = 'src/slack-api';
  const methods = new Set<string>();
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.ts')) continue;
    const source = await readFile(join(dir, file), 'utf8');
    for (const match of source.matchAll(/\bclient\.((?:[a-z]+\.)+[a-zA-Z0-9]+)\(/g)) {
      const method = match[1] ?? '';
      if (method === 'files.uploadV2') methods.add('files.getUploadURLExternal').add('files.completeUploadExternal');
      else methods.add(method);
    }
  }
  return [...methods].sort();
}

describe('the scope table and the manifest', () => {
  it('when the gateway source is read, then every method it calls is in the table of calls, and nothing else is', async () => {
    expect(MERIDIAN_CALLS.map((c) => c.method).sort()).toEqual(await methodsTheGatewayCalls());
  });

  it('when the manifest is read, then it subscribes to exactly the events the table lists', async () => {
    expect([...(await manifest()).settings.event_subscriptions.bot_events].sort()).toEqual(MERIDIAN_EVENTS.map((e) => e.event).sort());
  });

  it("when the manifest's scopes are compared with what the calls and events need, then nothing is missing and nothing is unused", async () => {
    const requested = [...(await manifest()).oauth_config.scopes.bot].sort();
    const needed = scopesMeridianNeeds();
    expect({ missing: needed.filter((s) => !requested.includes(s)), unused: requested.filter((s) => !needed.includes(s)) }).toEqual({
      missing: [],
      unused: [],
    });
    expect(requested).not.toContain('channels:join');
  });

  it('when a scope is needed, then the table says what breaks without it', () => {
    for (const scope of scopesMeridianNeeds())
      expect({ scope, breaks: SCOPE_PURPOSES[scope] }).toEqual({ scope, breaks: expect.any(String) });
  });

  it('when every event and call is known to the table, then no event or method is silently treated as scope-free by a typo', () => {
    const scopeFree = new Set(['auth.test', 'chat.getPermalink', 'views.open', 'views.update', 'views.publish']);
    for (const { method } of MERIDIAN_CALLS)
      expect({ method, known: scopeFree.has(method) || method in METHOD_SCOPES }).toEqual({ method, known: true });
    for (const { event } of MERIDIAN_EVENTS) expect({ event, known: event in EVENT_SCOPES }).toEqual({ event, known: true });
  });

  it('when the token lacks im:history, then the check names it and what breaks', () => {
    const missing = missingScopes(scopesMeridianNeeds().filter((s) => s !== 'im:history'));
    expect(missing).toEqual([{ scope: 'im:history', breaks: expect.stringContaining('wellbeing nudges') }]);
  });

  it("when the README's setup section is read, then it gives every requested scope a line", async () => {
    const readme = await readFile('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Setting up the Slack app'), readme.indexOf('## Using it'));
    for (const scope of (await manifest()).oauth_config.scopes.bot) {
      expect({ scope, line: section.includes(`| \`${scope}\` |`) }).toEqual({ scope, line: true });
    }
  });
});
