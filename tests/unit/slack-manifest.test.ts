import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { SlackEdgeDeps } from '../../src/slack/edge-deps.js';
import * as actions from '../../src/slack/listeners/actions/index.js';
import * as commands from '../../src/slack/listeners/commands/index.js';
import * as events from '../../src/slack/listeners/events/index.js';
import * as shortcuts from '../../src/slack/listeners/shortcuts/index.js';
import * as followUps from '../../src/slack/listeners/follow-ups/index.js';
import * as views from '../../src/slack/listeners/views/index.js';

const MANIFEST_DIR = 'manifests';
const SCHEMA_PATH = 'manifests/schema/manifest.schema.1.0.0.json';

interface Manifest {
  features?: { slash_commands?: Array<{ command: string }>; shortcuts?: Array<{ name: string; callback_id: string }> };
  settings?: { event_subscriptions?: { bot_events?: string[] } };
}

async function validator() {
  const schema = JSON.parse(await readFile(SCHEMA_PATH, 'utf8')) as object;
  // strict off: Slack's schema carries annotations (e.g. `markdownDescription`) that are not JSON Schema keywords.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  return (manifest: unknown): string[] =>
    validate(manifest) ? [] : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
}

async function manifestFiles(): Promise<string[]> {
  return (await readdir(MANIFEST_DIR)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).map((f) => join(MANIFEST_DIR, f));
}

async function shippedManifest(): Promise<Manifest> {
  return parseYaml(await readFile('manifests/slack-app.yaml', 'utf8')) as Manifest;
}

/** What the listeners register, read by registering them on an app that only records the names. */
function registeredListeners(): { events: Set<string>; commands: Set<string>; shortcuts: Set<string> } {
  const seen = { events: new Set<string>(), commands: new Set<string>(), shortcuts: new Set<string>() };
  const recordName = (into: Set<string>) => (name: unknown) => {
    if (typeof name !== 'string')
      throw new Error(`a listener registered with a non-string id (${String(name)}); this test reads names only`);
    into.add(name);
  };
  const ignore = () => undefined;
  const app = {
    event: recordName(seen.events),
    command: recordName(seen.commands),
    shortcut: recordName(seen.shortcuts),
    action: ignore,
    view: ignore,
    options: ignore,
    use: ignore,
    message: () => {
      throw new Error('a message listener needs message.* events and *:history scopes; declare them in the manifest and here');
    },
  } as unknown as App;
  // Registration may read deps (e.g. destructure a service); nothing is called, so any shape will do.
  const anything: object = new Proxy(() => undefined, { get: () => anything });
  const deps = anything as SlackEdgeDeps;
  for (const group of [commands, views, actions, shortcuts, events, followUps]) group.register(app, deps);
  return seen;
}

describe("Slack's app manifest schema", () => {
  it('when every manifest in manifests/ is checked against the vendored schema, then none has an error', async () => {
    const validate = await validator();
    const files = await manifestFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect({ file, errors: validate(parseYaml(await readFile(file, 'utf8'))) }).toEqual({ file, errors: [] });
    }
  });

  it('when the shortcut is named as it was (34 characters), then the schema refuses it at its name', async () => {
    const validate = await validator();
    const manifest = await shippedManifest();
    const shortcut = manifest.features?.shortcuts?.[0];
    if (!shortcut) throw new Error('the manifest has no shortcut');
    shortcut.name = 'Declare incident from this message';
    expect(validate(manifest)).toContain('/features/shortcuts/0/name must NOT have more than 24 characters');
  });

  it('when the manifest has a key Slack does not know, then the schema refuses it', async () => {
    const validate = await validator();
    const manifest = (await shippedManifest()) as Manifest & { settings: Record<string, unknown> };
    manifest.settings['socket_mode'] = true;
    expect(validate(manifest).join('\n')).toMatch(/\/settings must NOT have additional properties/);
  });
});

describe('the manifest and the listeners', () => {
  it('when the listeners are registered, then every event, command and shortcut they handle is declared, and nothing else is', async () => {
    const manifest = await shippedManifest();
    const handled = registeredListeners();
    // `app.event('message')` receives the message.* subscriptions of the conversation types incident channels are.
    const handledEvents = [...handled.events].flatMap((e) => (e === 'message' ? ['message.channels', 'message.groups'] : [e]));
    expect(handledEvents.sort()).toEqual([...(manifest.settings?.event_subscriptions?.bot_events ?? [])].sort());
    expect([...handled.commands].sort()).toEqual((manifest.features?.slash_commands ?? []).map((c) => c.command).sort());
    expect([...handled.shortcuts].sort()).toEqual((manifest.features?.shortcuts ?? []).map((s) => s.callback_id).sort());
  });
});
